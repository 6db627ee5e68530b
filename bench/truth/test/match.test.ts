import type { Candidate, ModuleReport, Route } from '../../../analyzer/types';
import { normalizePath, normalizeTable, reportOperations, routeKey, sameTable, scoreCorpus } from '../match';
import type { TruthFile } from '../truth-file';

// Small hand-made reports and truths: the scorer's matching rules, not any corpus.

function route(method: string, path: string, module = 'src/a.ts'): Route {
  return { method, path, module, line: 1 };
}

function mod(id: string, tables: { name: string; access: 'read' | 'write' }[] = []): ModuleReport {
  return { id, loc: 1, ca: 0, ce: 0, caTypeOnly: 0, ceTypeOnly: 0, instability: 0, blastRadius: 0, transitiveDependencies: 0, cycle: null, routes: [], tables, packages: [] };
}

function candidate(name: string, modules: string[], dataReason: string): Candidate {
  return {
    id: name,
    kind: 'folder',
    name,
    modules,
    score: 0,
    rank: 1,
    label: 'library',
    routes: [],
    pathPrefixes: [],
    tables: [],
    terms: [{ name: 'dataCoupling', value: 0, weight: 1, contribution: 0, reason: dataReason }],
  };
}

const NONE = 'Shares no database table with code outside it.';

function truth(partial: Partial<TruthFile>): TruthFile {
  return { corpus: 't', notes: '', routes: [], tables: [], ...partial };
}

const tr = (method: string, path: string, infra = false) => ({ method, path, module: 'src/a.ts', line: 3, evidence: 'src/a.ts:3 x', ...(infra ? { infra } : {}) });
const tt = (module: string, table: string, access: 'read' | 'write') => ({ module, table, access, line: 7, evidence: `${module}:7 x`, mapping: 'm.ts:1 y' });

describe('route paths', () => {
  it('treats parameter syntaxes and names alike', () => {
    expect(normalizePath('/users/:id')).toBe(normalizePath('/users/{userId}'));
    expect(normalizePath('/users/:id(\\d+)')).toBe(normalizePath('/users/:uid'));
    expect(normalizePath('/users/:id')).not.toBe(normalizePath('/users/id'));
  });

  it('treats wildcards alike and keeps them apart from parameters', () => {
    expect(normalizePath('/files/*')).toBe(normalizePath('/files/*path'));
    expect(normalizePath('/{*splat}')).toBe('/*');
    expect(normalizePath('/files/*')).not.toBe(normalizePath('/files/:name'));
  });

  it('drops doubled, trailing and missing slashes, and folds the case of static segments', () => {
    expect(normalizePath('api//v1/Users/')).toBe('/api/v1/users');
    expect(normalizePath('')).toBe('/');
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('/api/documents.List')).toBe('/api/documents.list');
  });

  it('compares methods in upper case and keeps ALL apart from GET', () => {
    expect(routeKey('get', '/x')).toBe(routeKey('GET', '/x'));
    expect(routeKey('ALL', '/x')).not.toBe(routeKey('GET', '/x'));
  });
});

describe('table names', () => {
  it('folds case and drops quotes and the default schema', () => {
    expect(normalizeTable('"public"."Users"')).toEqual(['', 'users']);
    expect(normalizeTable('`orders`')).toEqual(['', 'orders']);
    expect(normalizeTable('audit.events')).toEqual(['audit', 'events']);
  });

  it('matches a qualified name with its bare name, but not two different schemas', () => {
    expect(sameTable('storage.objects', 'objects')).toBe(true);
    expect(sameTable('storage.objects', 'audit.objects')).toBe(false);
    expect(sameTable('group_users', 'groupUsers')).toBe(false);
  });
});

describe('scoreCorpus', () => {
  it('counts exact routes and names the near miss of a route that lost its prefix', () => {
    const t = truth({ routes: [tr('GET', '/v1/auth/providers'), tr('POST', '/api/users/:id'), tr('GET', '/health', true)] });
    const s = scoreCorpus(t, { routes: [route('GET', '/auth/providers'), route('post', '/api/users/{userId}'), route('GET', '/health/')], modules: [], candidates: [] });
    expect(s.routes).toMatchObject({ listed: 3, exact: 2, infraListed: 1, infraExact: 1 });
    expect(s.routes.misses).toEqual([{ route: t.routes[0], reportedAs: 'GET /auth/providers' }]);
  });

  it('names the near miss of a route that lost a version segment in the middle', () => {
    const t = truth({ routes: [tr('GET', '/api/v1/auth/google'), tr('GET', '/api/v1/info')] });
    const s = scoreCorpus(t, { routes: [route('GET', '/api/auth/google'), route('GET', '/api/v1/other')], modules: [], candidates: [] });
    expect(s.routes.misses.map((m) => m.reportedAs)).toEqual(['GET /api/auth/google', undefined]);
  });

  it('reports a route found under another method as that method', () => {
    const t = truth({ routes: [tr('PUT', '/items/:id')] });
    const s = scoreCorpus(t, { routes: [route('PATCH', '/items/:id')], modules: [], candidates: [] });
    expect(s.routes.exact).toBe(0);
    expect(s.routes.misses[0].reportedAs).toBe('PATCH /items/:id');
  });

  it('finds a table access only in the same module with the same access', () => {
    const t = truth({
      tables: [tt('src/repo.ts', '"User"', 'read'), tt('src/repo.ts', 'user', 'write'), tt('src/other.ts', 'orders', 'read'), tt('src/gone.ts', 'orders', 'read')],
    });
    const s = scoreCorpus(t, {
      routes: [],
      modules: [mod('src/repo.ts', [{ name: 'User', access: 'read' }]), mod('src/other.ts', [{ name: 'items', access: 'read' }]), mod('src/elsewhere.ts', [{ name: 'orders', access: 'read' }])],
      candidates: [],
    });
    expect(s.tables).toMatchObject({ listed: 4, found: 1 });
    expect(s.tables.misses.map((m) => [m.entry.module, m.entry.access, m.reportHas])).toEqual([
      ['src/repo.ts', 'write', 'read User'],
      ['src/other.ts', 'read', '1 other table access(es)'],
      ['src/gone.ts', 'read', 'module not in the report'],
    ]);
  });

  it('calls "shares no table" false only when the truth has the table touched inside and outside the candidate', () => {
    const t = truth({ tables: [tt('src/a/repo.ts', 'users', 'read'), tt('src/b/svc.ts', 'users', 'write'), tt('src/c/only.ts', 'logs', 'write')] });
    const s = scoreCorpus(t, {
      routes: [],
      modules: [],
      candidates: [
        candidate('a', ['src/a/repo.ts'], NONE),
        candidate('c', ['src/c/only.ts'], NONE),
        candidate('ab', ['src/a/repo.ts', 'src/b/svc.ts'], NONE),
        candidate('b', ['src/b/svc.ts'], 'Writes users that code outside reads (1 table points).'),
      ],
    });
    expect(s.falseNoTable.candidatesSayingNone).toBe(3);
    expect(s.falseNoTable.cases).toEqual([{ candidate: 'a', module: 'src/a/repo.ts', table: 'users', outside: 'src/b/svc.ts' }]);
  });

  it('matches GraphQL operations by type, field and module, and says when the report has none', () => {
    const op = { type: 'Query', field: 'me', module: 'src/user.resolver.ts', line: 4, evidence: 'x' };
    const t = truth({ graphql: [op, { ...op, type: 'Mutation', field: 'login' }] });
    const none = scoreCorpus(t, { routes: [], modules: [], candidates: [] });
    expect(none.graphql).toMatchObject({ listed: 2, found: null });
    const some = scoreCorpus(t, { routes: [], modules: [], candidates: [], graphql: { operations: [{ operation: 'Query', name: 'me', file: './src/user.resolver.ts' }] } });
    expect(some.graphql.found).toBe(1);
    expect(some.graphql.misses.map((o) => o.field)).toEqual(['login']);
  });
});

describe('reportOperations', () => {
  it('reads an array at report.graphql or report.operations', () => {
    expect(reportOperations({ graphql: [{ type: 'Mutation', field: 'x', module: 'a.ts' }] })).toEqual([{ type: 'Mutation', field: 'x', module: 'a.ts' }]);
    expect(reportOperations({ operations: [{ kind: 'Query', name: 'y', module: 'b.ts' }] })).toEqual([{ type: 'Query', field: 'y', module: 'b.ts' }]);
    expect(reportOperations({ routes: [] })).toBeNull();
  });
});
