import { rankCandidates } from '..';
import { validateReport } from '../../schema';
import type { Candidate, RankOutput } from '../../types';
import { buildInput } from './fixtures/build-input';
import { shop } from './fixtures/shop';

const byId = (out: RankOutput, id: string): Candidate => {
  const c = out.candidates.find((x) => x.id === id);
  if (!c) throw new Error(`no candidate ${id} in ${out.candidates.map((x) => x.id).join(', ')}`);
  return c;
};
const term = (c: Candidate, name: string) => c.terms.find((t) => t.name === name)!;

describe('rankCandidates on a small shop', () => {
  const out = rankCandidates(shop());

  test('the leaf route folder with its own table ranks first, with one prefix rule', () => {
    const first = out.candidates[0];
    expect(first.id).toBe('folder:src/reviews');
    expect(first.modules).toEqual(['src/reviews/repo.ts', 'src/reviews/routes.ts', 'src/reviews/service.ts']);
    expect(first.label).toBe('service');
    expect(first.pathPrefixes).toEqual(['/api/reviews']);
    expect(first.tables).toEqual([{ name: 'reviews', access: 'write' }]);
    expect(term(first, 'dataCoupling').value).toBe(0);
    expect(term(first, 'cycleCut').value).toBe(0);
    expect(term(first, 'routePrefix').contribution).toBe(0);
    expect(term(first, 'blastRadius').reason).toBe('2 of 17 modules outside it (12 %) depend on it: src/app.ts, src/server.ts.');
  });

  test('a barrel import counts as a dependency on the declaring module only; type-only imports do not count', () => {
    const take = term(byId(out, 'folder:src/reviews'), 'takeAlong');
    // reviews/repo.ts imports the shared barrel for `db` only: not logger.ts, not index.ts; users/types.ts is type-only.
    expect(take.value).toBe(120);
    expect(take.reason).toBe(
      'Depends on 1 module outside it (120 of 1,080 loc outside, 11 %) to copy or call remotely: src/shared/db.ts.',
    );
  });

  test('ranks are 1..n in score order and each score is the sum of its contributions', () => {
    out.candidates.forEach((c, i) => {
      expect(c.rank).toBe(i + 1);
      expect(c.score).toBeCloseTo(c.terms.reduce((s, t) => s + t.contribution, 0), 6);
      if (i > 0) expect(c.score).toBeGreaterThanOrEqual(out.candidates[i - 1].score);
      expect(c.terms.map((t) => t.name)).toEqual(['blastRadius', 'dataCoupling', 'cycleCut', 'takeAlong', 'size', 'routePrefix']);
      for (const t of c.terms) expect(t.reason).toMatch(/\.$/);
    });
  });

  test('a folder that cuts a runtime cycle takes the cycle penalty; its cycle-closed variant does not', () => {
    const orders = byId(out, 'folder:src/orders');
    expect(term(orders, 'cycleCut').value).toBe(1);
    expect(term(orders, 'cycleCut').contribution).toBe(2);
    expect(term(orders, 'cycleCut').reason).toContain('#1 with src/users/service.ts');
    const closed = byId(out, 'folder:src/orders+cycles');
    expect(closed.modules).toContain('src/users/service.ts');
    expect(term(closed, 'cycleCut').value).toBe(0);
    expect(closed.rank).toBeLessThan(orders.rank);
    // The cycle itself is a candidate too.
    expect(byId(out, 'cycle:1').modules).toEqual(['src/orders/service.ts', 'src/users/service.ts']);
  });

  test('the shared kernel is a library candidate and ranks late', () => {
    const shared = byId(out, 'folder:src/shared');
    expect(shared.label).toBe('library');
    expect(shared.pathPrefixes).toEqual([]);
    expect(term(shared, 'routePrefix').contribution).toBe(1.5);
    expect(term(shared, 'blastRadius').value).toBe(16);
    expect(shared.rank).toBeGreaterThan(out.candidates.length / 2);
    expect(shared.rank).toBeGreaterThan(byId(out, 'folder:src/reviews').rank);
    expect(shared.rank).toBeGreaterThan(byId(out, 'folder:src/catalog').rank);
  });

  test('writing a table that another folder also writes is the worst data coupling', () => {
    const admin = byId(out, 'folder:src/admin');
    const catalog = byId(out, 'folder:src/catalog');
    const orders = byId(out, 'folder:src/orders');
    // admin: products written by catalog too (1) + reads orders (0.25).
    expect(term(admin, 'dataCoupling').value).toBe(1.25);
    expect(term(admin, 'dataCoupling').reason).toBe('Writes products that code outside also writes; reads orders owned or used outside (1.25 table points).');
    expect(term(catalog, 'dataCoupling').value).toBe(1);
    // orders: its orders table is read by admin (0.5) + it reads users (0.25) + catalog's service,
    // which it imports, reaches products (0.1).
    expect(term(orders, 'dataCoupling').value).toBe(0.85);
    expect(term(orders, 'dataCoupling').reason).toBe(
      'Writes orders that code outside reads; reads users owned or used outside; reaches products through code outside it (0.85 table points).',
    );
    expect(term(catalog, 'dataCoupling').contribution).toBeGreaterThan(term(orders, 'dataCoupling').contribution);
  });

  test('routes that share a prefix with another candidate need more facade rules', () => {
    const admin = byId(out, 'folder:src/admin');
    expect(admin.pathPrefixes).toEqual(['/api/admin/stats']);
    // one prefix, one exact path, and that path (/api/products/:id) is catalog's for GET: split by method, counted twice
    expect(term(admin, 'routePrefix').value).toBe(3);
    expect(term(admin, 'routePrefix').contribution).toBe(1);
    expect(term(admin, 'routePrefix').reason).toContain('exact paths /api/products/:id');
    expect(term(admin, 'routePrefix').reason).toContain('other candidates serve /api/products/:id with other methods (a path split by method counts twice');
    // catalog's /api/products holds admin's DELETE: no pure prefix, two exact paths, one of them split by method.
    const catalog = byId(out, 'folder:src/catalog');
    expect(catalog.pathPrefixes).toEqual([]);
    expect(term(catalog, 'routePrefix').value).toBe(3);
  });

  test('a router candidate brings the modules only it imports', () => {
    const input = buildInput(
      {
        'src/app.ts': {},
        'src/x/routes.ts': { routes: ['GET /x'] },
        'src/x/service.ts': {},
        'src/x/repo.ts': {},
        'src/x/jobs.ts': {},
        'src/x/shared.ts': {},
      },
      [
        'src/app.ts -> src/x/routes.ts',
        'src/app.ts -> src/x/jobs.ts',
        'src/x/routes.ts -> src/x/service.ts',
        'src/x/service.ts -> src/x/repo.ts',
        'src/x/service.ts -> src/x/shared.ts',
        'src/x/jobs.ts -> src/x/shared.ts',
      ],
    );
    const router = byId(rankCandidates(input), 'router:src/x/routes.ts');
    // shared.ts is also imported by jobs.ts: it stays outside.
    expect(router.modules).toEqual(['src/x/repo.ts', 'src/x/routes.ts', 'src/x/service.ts']);
    // users/service.ts is also imported by orders/service.ts: the users router stands alone.
    expect(byId(out, 'router:src/users/routes.ts').modules).toEqual(['src/users/routes.ts']);
  });

  test('identical module sets appear once', () => {
    const sets = out.candidates.map((c) => c.modules.join(','));
    expect(new Set(sets).size).toBe(sets.length);
    // router:src/reviews/routes.ts with its private service and repo is exactly folder:src/reviews.
    expect(out.candidates.some((c) => c.id === 'router:src/reviews/routes.ts')).toBe(false);
  });

  test('the decomposition never splits the cycle or a route-owning folder and covers every module once', () => {
    const services = out.decomposition.services;
    const all = services.flatMap((s) => s.modules).sort();
    expect(all).toEqual(shop().modules.map((m) => m.id).sort());
    const serviceOf = (id: string) => services.findIndex((s) => s.modules.includes(id));
    expect(serviceOf('src/orders/service.ts')).toBe(serviceOf('src/users/service.ts'));
    for (const folder of ['src/orders', 'src/users', 'src/reviews', 'src/catalog', 'src/admin']) {
      const ids = all.filter((id) => id.startsWith(`${folder}/`));
      expect(new Set(ids.map(serviceOf)).size).toBe(1);
    }
  });
});

describe('data coupling', () => {
  test('migrations and seeders do not make a table shared; tables behind its dependencies count a little', () => {
    const input = buildInput(
      {
        'src/app.ts': {},
        'src/seed.ts': { tables: ['posts:write', 'accounts:write'] },
        'src/db/migrations/001_init.ts': { tables: ['posts:write', 'accounts:write'] },
        'src/feed/router.ts': { routes: ['GET /api/feed'] },
        'src/feed/repo.ts': { tables: ['posts:read', 'posts:write'] },
        'src/accounts/repo.ts': { tables: ['accounts:read', 'accounts:write'] },
      },
      ['src/app.ts -> src/feed/router.ts', 'src/feed/router.ts -> src/feed/repo.ts', 'src/feed/router.ts -> src/accounts/repo.ts', 'src/seed.ts -> src/feed/repo.ts'],
    );
    const out = rankCandidates(input);
    const feed = term(byId(out, 'folder:src/feed'), 'dataCoupling');
    expect(feed.value).toBe(0.1);
    expect(feed.reason).toBe('Reaches accounts through code outside it (0.1 table points).');
    // The router candidate takes accounts/repo.ts (only it imports that) but leaves feed/repo.ts
    // behind (the seeder imports it too): it reaches posts through code it leaves behind.
    const router = byId(out, 'router:src/feed/router.ts');
    expect(router.modules).toEqual(['src/accounts/repo.ts', 'src/feed/router.ts']);
    expect(term(router, 'dataCoupling').reason).toBe('Reaches posts through code outside it (0.1 table points).');
  });
});

describe('scattered routes', () => {
  test('one prefix per pure subtree, exact rules where another candidate owns a sibling or parameter path', () => {
    const input = buildInput(
      {
        'src/app.ts': {},
        'src/a/routes.ts': { routes: ['GET /api/a', 'GET /api/a/:id', 'GET /v2/a/list', 'GET /api/orders/:id', 'POST /api/mixed'] },
        'src/b/routes.ts': { routes: ['GET /api/b', 'GET /api/orders/stats', 'GET /api/mixed'] },
      },
      ['src/app.ts -> src/a/routes.ts', 'src/app.ts -> src/b/routes.ts'],
    );
    const out = rankCandidates(input);
    const a = byId(out, 'folder:src/a');
    expect(a.pathPrefixes).toEqual(['/api/a', '/v2/a/list']);
    const prefix = term(a, 'routePrefix');
    // /api/orders/:id would also match b's /api/orders/stats, and /api/mixed is b's for GET (split by method: twice).
    expect(prefix.value).toBe(5);
    expect(prefix.contribution).toBe(1.2);
    expect(prefix.reason).toBe(
      "Its 5 routes need 5 facade rules (prefixes /api/a, /v2/a/list; exact paths /api/mixed, /api/orders/:id) because other candidates' routes sit beside them, and other candidates serve /api/mixed with other methods (a path split by method counts twice: both sides then serve the resource).",
    );
    const b = byId(out, 'folder:src/b');
    expect(b.pathPrefixes).toEqual(['/api/b', '/api/orders/stats']);
  });
});

describe('determinism', () => {
  test('the same input twice, and the same input in another order, give identical output', () => {
    const first = rankCandidates(shop());
    expect(rankCandidates(shop())).toEqual(first);
    const shuffled = shop();
    shuffled.modules.reverse();
    shuffled.edges.reverse();
    shuffled.routes.reverse();
    expect(rankCandidates(shuffled)).toEqual(first);
  });
});

describe('barrels', () => {
  test('an import through a barrel depends on the declaring modules, type-only names included', () => {
    const input = buildInput(
      { 'src/app/main.ts': {}, 'src/db/index.ts': {}, 'src/db/connection.ts': { loc: 40 }, 'src/db/migrate.ts': { loc: 60 }, 'src/db/own.ts': { loc: 5 } },
      [
        'src/db/index.ts -> src/db/connection.ts : re-export',
        'src/db/index.ts -> src/db/migrate.ts : re-export',
        'src/app/main.ts -> src/db/index.ts',
        'src/app/main.ts -> src/db/connection.ts via src/db/index.ts',
        'src/app/main.ts -> src/db/connection.ts : type-only via src/db/index.ts',
      ],
    );
    input.edges[2].names = ['openDatabase', 'Db'];
    input.edges[3].names = ['openDatabase'];
    input.edges[4].names = ['Db'];
    const out = rankCandidates(input);
    expect(term(byId(out, 'folder:src/app'), 'takeAlong').reason).toBe('Depends on 1 module outside it (40 of 115 loc outside, 35 %) to copy or call remotely: src/db/connection.ts.');
    // A name the barrel declares itself keeps the barrel edge (and so everything it re-exports).
    input.edges[2].names = ['openDatabase', 'Db', 'barrelOwn'];
    expect(term(byId(rankCandidates(input), 'folder:src/app'), 'takeAlong').value).toBe(110);
  });
});

describe('GraphQL', () => {
  const input = buildInput(
    {
      'src/app.ts': {},
      'src/graph/users.resolver.ts': {},
      'src/graph/orders.resolver.ts': {},
      'src/users/users.service.ts': {},
      'src/admin/admin.controller.ts': { routes: ['GET /api/admin/stats'] },
      'src/shop/shop.resolver.ts': {},
      'src/shop/cart.resolver.ts': {},
      'src/reports/reports.resolver.ts': {},
      'src/helpers/report-format.ts': { loc: 2 },
    },
    [
      'src/app.ts -> src/graph/users.resolver.ts',
      'src/app.ts -> src/graph/orders.resolver.ts',
      'src/app.ts -> src/admin/admin.controller.ts',
      'src/app.ts -> src/shop/shop.resolver.ts',
      'src/app.ts -> src/shop/cart.resolver.ts',
      'src/app.ts -> src/reports/reports.resolver.ts',
      'src/reports/reports.resolver.ts -> src/helpers/report-format.ts',
      'src/graph/users.resolver.ts -> src/users/users.service.ts',
    ],
  );
  const op = (type: string, field: string, module: string, line: number, path = '/graphql') => ({ type, field, module, line, path });
  input.graphql = [
    op('Mutation', 'createUser', 'src/graph/users.resolver.ts', 12),
    op('Query', 'orders', 'src/graph/orders.resolver.ts', 8),
    op('Query', 'user', 'src/graph/users.resolver.ts', 7),
    // served on a path the analyzer could not read (set from configuration)
    op('Query', 'products', 'src/shop/shop.resolver.ts', 5, '/<dynamic>'),
    op('Query', 'carts', 'src/shop/cart.resolver.ts', 5, '/<dynamic>'),
    op('Query', 'report', 'src/reports/reports.resolver.ts', 9, '/reports/graphql'),
  ];
  const out = rankCandidates(input);
  const prefix = (id: string) => term(byId(out, id), 'routePrefix');

  test('resolvers make a service; an endpoint whose resolvers are all inside moves by its path', () => {
    const graph = byId(out, 'folder:src/graph');
    expect(graph.label).toBe('service');
    expect(graph.graphql!.map((o) => `${o.type}.${o.field}`)).toEqual(['Mutation.createUser', 'Query.orders', 'Query.user']);
    expect(graph.pathPrefixes).toEqual(['/graphql']);
    expect(prefix('folder:src/graph').value).toBe(1);
    expect(prefix('folder:src/graph').reason).toBe('Its 3 GraphQL operations move with one prefix rule: /graphql.');
  });

  test('an endpoint shared with resolvers outside needs routing by operation name too: counted twice', () => {
    const users = byId(out, 'router:src/graph/users.resolver.ts');
    expect(users.label).toBe('service');
    expect(users.modules).toEqual(['src/graph/users.resolver.ts', 'src/users/users.service.ts']);
    expect(prefix(users.id).value).toBe(2);
    expect(prefix(users.id).contribution).toBe(0.75);
    expect(prefix(users.id).reason).toBe(
      'Its 2 GraphQL operations need 2 facade rules (shared GraphQL endpoint /graphql) because the GraphQL endpoint /graphql serves resolvers outside it too, so the facade must route by operation name as well as by path (counted twice).',
    );
  });

  test('a folder holding one resolver and that resolver with its private helper are one move', () => {
    const reports = byId(out, 'router:src/reports/reports.resolver.ts');
    expect(reports.modules).toEqual(['src/helpers/report-format.ts', 'src/reports/reports.resolver.ts']);
    expect(reports.variants!.map((v) => v.id)).toEqual(['folder:src/reports']);
    expect(out.candidates.map((c) => c.id)).not.toContain('folder:src/reports');
  });

  test('an endpoint on a path set at run time is a rule the report cannot name; shared, if others spell it the same', () => {
    expect(prefix('folder:src/shop').value).toBe(2);
    expect(prefix('folder:src/shop').reason).toBe(
      'Its 2 GraphQL operations need 2 facade rules because its GraphQL operations are served on a path set at run time (/<dynamic>): a rule the report cannot name (counted twice).',
    );
    expect(prefix('router:src/shop/cart.resolver.ts').value).toBe(2);
  });
});

describe('paths the analyzer could not read', () => {
  test('a route whose path begins with a part set at run time is a rule the report cannot name', () => {
    const input = buildInput(
      {
        'src/app.ts': {},
        'src/auth/demo.ts': { routes: ['POST /<dynamic>/auth/demo/login', 'GET /api/demo/status'] },
        'src/export/export.router.ts': { routes: ['GET /api/export/<dynamic>'] },
      },
      ['src/app.ts -> src/auth/demo.ts', 'src/app.ts -> src/export/export.router.ts'],
    );
    const out = rankCandidates(input);
    const demo = term(byId(out, 'folder:src/auth'), 'routePrefix');
    expect(demo.value).toBe(3);
    expect(demo.reason).toBe(
      'Its 2 routes need 3 facade rules (prefix /api/demo/status) because one path begins with a part set at run time (/<dynamic>/auth/demo/login): a rule the report cannot name (counted twice).',
    );
    // a run-time part further down still leaves a literal prefix to route on
    expect(byId(out, 'folder:src/export').pathPrefixes).toEqual(['/api/export']);
  });
});

describe('folders', () => {
  const input = buildInput(
    {
      'src/app.ts': {},
      'src/users/controllers/users.controller.ts': { routes: ['GET /api/users'] },
      'src/users/services/users.service.ts': {},
      'src/users/dto/create-user.dto.ts': {},
      'src/orders/orders.router.ts': { routes: ['GET /api/orders'] },
      'src/orders/items/items.router.ts': { routes: ['GET /api/orders/:id/items'] },
      'src/shared/db.ts': {},
    },
    [
      'src/app.ts -> src/users/controllers/users.controller.ts',
      'src/app.ts -> src/orders/orders.router.ts',
      'src/users/controllers/users.controller.ts -> src/users/services/users.service.ts',
      'src/users/controllers/users.controller.ts -> src/users/dto/create-user.dto.ts',
      'src/users/services/users.service.ts -> src/shared/db.ts',
      'src/orders/orders.router.ts -> src/orders/items/items.router.ts',
      'src/orders/items/items.router.ts -> src/shared/db.ts',
    ],
  );
  const out = rankCandidates(input);
  const ids = out.candidates.map((c) => c.id);

  test('a domain with its router in a subfolder, or with a sub-router, is one candidate with all of it', () => {
    expect(byId(out, 'folder:src/users').modules).toEqual(['src/users/controllers/users.controller.ts', 'src/users/dto/create-user.dto.ts', 'src/users/services/users.service.ts']);
    expect(byId(out, 'folder:src/orders').modules).toEqual(['src/orders/items/items.router.ts', 'src/orders/orders.router.ts']);
  });

  test("the app folder, with routes in two subfolders, counts only its own files; a domain's route-less parts are not candidates", () => {
    expect(byId(out, 'folder:src').modules).toEqual(['src/app.ts']);
    expect(ids).not.toContain('folder:src/users/dto');
    expect(ids).not.toContain('folder:src/users/services');
    // a shared kernel outside any domain stays a library candidate
    expect(byId(out, 'folder:src/shared').label).toBe('library');
  });
});

describe('what is not a candidate', () => {
  test('a folder of type declarations or of JSON data moves for free and tells nothing', () => {
    const input = buildInput(
      {
        'src/server.ts': {},
        'src/orders/routes.ts': { routes: ['GET /api/orders'] },
        'src/orders/service.ts': {},
        'src/contracts/order.ts': { loc: 30 },
        'src/contracts/user.ts': { loc: 20 },
        'src/data/countries.json': { loc: 250 },
      },
      [
        'src/server.ts -> src/orders/routes.ts',
        'src/orders/routes.ts -> src/orders/service.ts',
        'src/orders/service.ts -> src/contracts/order.ts : type-only',
        'src/orders/routes.ts -> src/contracts/user.ts : type-only',
        'src/orders/service.ts -> src/data/countries.json',
      ],
    );
    const ids = rankCandidates(input).candidates.map((c) => c.id);
    expect(ids).not.toContain('folder:src/contracts');
    expect(ids).not.toContain('folder:src/data');
    expect(ids).toContain('folder:src/orders');
  });

  test('with the non-runtime modules of the report left out, unless they are counted', () => {
    const input = buildInput(
      { 'src/server.ts': {}, 'src/orders/routes.ts': { routes: ['GET /api/orders'] }, 'src/orders/routes.test.ts': { routes: ['GET /test-only'] }, 'test/helpers.ts': {} },
      ['src/server.ts -> src/orders/routes.ts', 'src/orders/routes.test.ts -> src/orders/routes.ts', 'src/orders/routes.test.ts -> test/helpers.ts'],
    );
    const modules = [
      { module: 'src/orders/routes.test.ts', kind: 'test' as const, reason: 'a test file (routes.test.ts)' },
      { module: 'test/helpers.ts', kind: 'test' as const, reason: 'in a test folder (test/)' },
    ];
    const left = rankCandidates({ ...input, nonRuntime: { counted: false, modules } });
    const orders = byId(left, 'folder:src/orders');
    expect(orders.modules).toEqual(['src/orders/routes.ts']);
    expect(orders.routes.map((r) => r.path)).toEqual(['/api/orders']);
    expect(term(orders, 'blastRadius').reason).toBe('1 of 1 modules outside it (100 %) depend on it: src/server.ts.');
    expect(left.candidates.map((c) => c.id)).not.toContain('folder:test');
    expect(left.decomposition.services.flatMap((s) => s.modules).sort()).toEqual(['src/orders/routes.ts', 'src/server.ts']);
    const counted = rankCandidates({ ...input, nonRuntime: { counted: true, modules } });
    expect(byId(counted, 'folder:src/orders').routes.map((r) => r.path)).toEqual(['/api/orders', '/test-only']);
  });
});

describe('degenerate inputs', () => {
  test('an empty project and a one-unit project have no candidates; the whole codebase is never one', () => {
    expect(rankCandidates(buildInput({}, []))).toEqual({
      candidates: [],
      decomposition: { services: [], modularity: 0, structuralModularity: 0, icp: 0, ifn: 0 },
    });
    const small = rankCandidates(buildInput({ 'a.ts': { routes: ['GET /'] }, 'b.ts': {} }, ['a.ts -> b.ts']));
    expect(small.candidates).toEqual([]);
    expect(small.decomposition.services).toEqual([{ id: 'service-1', name: '.', modules: ['a.ts', 'b.ts'] }]);
  });
});

describe('contract', () => {
  test('a report completed with the ranking validates against report.schema.json', () => {
    const input = shop();
    const errors = validateReport({ ...input, ...rankCandidates(input) });
    expect(errors).toEqual([]);
  });
});
