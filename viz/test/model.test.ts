import path from 'node:path';
import { analyze } from '../../analyzer/analyze';
import { validateReport } from '../../analyzer/schema';
import type { Report } from '../../analyzer/types';
import { candidateCut, facadeRules, rulesYaml, serviceName } from '../model/candidate';
import { computeCut, FOLDER_BUDGET, globToRegExp, hideMatcher, initialExpanded } from '../model/cut';
import { diffReports } from '../model/diff';
import { candidateFocus, cutStates, modulesFocus } from '../model/focus';
import { reach, ViewGraph } from '../model/graph';
import { checkReport, ReportError } from '../model/report-check';
import { routeMatches, search } from '../model/search';
import { DEFAULT_STATE, formatState, parseState } from '../model/url-state';
import { generateReport } from '../../bench/viz/generate';
import { tinyReport } from './fixtures/tiny';

const SAMPLE = path.resolve(__dirname, '..', '..', 'sample-monolith');
const none = (): boolean => false;

describe('the tiny fixture is a real report', () => {
  it('passes the schema', () => {
    expect(validateReport(tinyReport())).toEqual([]);
  });
});

describe('ViewGraph', () => {
  const g = new ViewGraph(tinyReport());

  it('builds the folder tree, reading a folder that only holds a folder as one (src/shared/lib)', () => {
    expect(g.folders.map((f) => [f.path, f.name, f.count, f.loc])).toEqual([
      ['', '', 7, 247],
      ['src', 'src', 7, 247],
      ['src/catalog', 'catalog', 1, 60],
      ['src/orders', 'orders', 3, 122],
      ['src/shared/lib', 'shared/lib', 2, 35],
    ]);
    expect(g.ancestors(g.index.get('src/shared/lib/db.ts')!).map((f) => g.folders[f].path)).toEqual(['', 'src', 'src/shared/lib']);
  });

  it('walks the dependency graph the analyzer counts: blast radius and dependencies match every module', () => {
    for (const [m, mod] of g.modules.entries()) {
      expect([mod.id, reach(g.depIn, m).size - 1]).toEqual([mod.id, mod.blastRadius]);
      expect([mod.id, reach(g.depOut, m).size - 1]).toEqual([mod.id, mod.transitiveDependencies]);
    }
  });

  it('draws file edges only, one pair per from → to, with runtime, type-only and cycle flags', () => {
    const pairs = g.pairs.map((p) => `${g.ids[p.from]} -> ${g.ids[p.to]}${p.runtime ? ' runtime' : ''}${p.typeOnly ? ' type-only' : ''}${p.inCycle ? ' cycle' : ''}`);
    expect(pairs.sort()).toEqual(
      [
        'src/app.ts -> src/orders/index.ts runtime',
        'src/orders/index.ts -> src/orders/orders.router.ts runtime',
        'src/orders/orders.router.ts -> src/orders/orders.service.ts runtime',
        'src/orders/orders.service.ts -> src/shared/lib/db.ts runtime',
        'src/orders/orders.service.ts -> src/catalog/catalog.service.ts runtime',
        'src/catalog/catalog.service.ts -> src/shared/lib/db.ts runtime',
        'src/catalog/catalog.service.ts -> src/orders/orders.service.ts type-only',
        'src/shared/lib/db.ts -> src/shared/lib/log.ts runtime cycle',
        'src/shared/lib/log.ts -> src/shared/lib/db.ts runtime cycle',
      ].sort(),
    );
  });

  it('limits reach by depth', () => {
    const db = g.index.get('src/shared/lib/db.ts')!;
    const depth1 = [...reach(g.depIn, db, 1).keys()].map((m) => g.ids[m]).sort();
    expect(depth1).toEqual(['src/catalog/catalog.service.ts', 'src/orders/orders.service.ts', 'src/shared/lib/db.ts', 'src/shared/lib/log.ts']);
  });
});

describe('the cut: what is drawn', () => {
  const g = new ViewGraph(tinyReport());

  it('opens everything up to 1,000 modules', () => {
    const cut = computeCut(g, initialExpanded(g), none, true);
    expect(cut.items.map((i) => i.key).sort()).toEqual(g.ids.map((id) => `m:${id}`).sort());
    expect(cut.edges).toHaveLength(9);
  });

  it('a closed folder is one node, and the pairs between two nodes are one edge with counts', () => {
    const expanded = new Set([0, 1]); // root and src open; catalog, orders, shared/lib closed
    const cut = computeCut(g, expanded, none, true);
    expect(cut.items.map((i) => `${i.key} ${i.count} ${i.loc}`)).toEqual(['m:src/app.ts 1 30', 'f:src/catalog 1 60', 'f:src/orders 3 122', 'f:src/shared/lib 2 35']);
    const edges = cut.edges.map((e) => `${cut.items[e.source].key} -> ${cut.items[e.target].key} pairs=${e.pairs.length} runtime=${e.runtime} typeOnly=${e.typeOnly}${e.inCycle ? ' cycle' : ''}`);
    expect(edges.sort()).toEqual(
      [
        'm:src/app.ts -> f:src/orders pairs=1 runtime=1 typeOnly=0',
        'f:src/orders -> f:src/shared/lib pairs=1 runtime=1 typeOnly=0',
        'f:src/orders -> f:src/catalog pairs=1 runtime=1 typeOnly=0',
        'f:src/catalog -> f:src/shared/lib pairs=1 runtime=1 typeOnly=0',
        'f:src/catalog -> f:src/orders pairs=1 runtime=0 typeOnly=1',
      ].sort(),
    );
  });

  it('leaves out type-only edges when asked, and hidden modules', () => {
    const hide = hideMatcher(['src/shared']);
    const cut = computeCut(g, initialExpanded(g), (m) => hide(g.ids[m]), false);
    expect(cut.items.map((i) => i.key)).not.toContain('m:src/shared/lib/db.ts');
    expect(cut.items).toHaveLength(5);
    expect(cut.itemOf[g.index.get('src/shared/lib/log.ts')!]).toBe(-1);
    // 9 pairs, minus the type-only one, minus the 4 touching shared/lib
    expect(cut.edges).toHaveLength(4);
  });

  it('opens large graphs folders first, within the node budget', () => {
    const big = new ViewGraph(generateReport(5000));
    const expanded = initialExpanded(big);
    const cut = computeCut(big, expanded, none, true);
    expect(cut.items.length).toBeLessThanOrEqual(FOLDER_BUDGET);
    expect(cut.items.every((i) => i.kind === 'folder')).toBe(true);
    expect(cut.items.reduce((s, i) => s + i.count, 0)).toBe(5000);
  });
});

describe('hide rules', () => {
  it('a path hides that folder and what is below it; a glob matches ids, or file names when it has no /', () => {
    const hide = hideMatcher(['src/legacy', '**/*.test.ts', '*.spec.ts']);
    expect(['src/legacy/a.ts', 'src/legacy', 'src/legacyx/a.ts', 'src/a.test.ts', 'x/y/z.test.ts', 'deep/a.spec.ts', 'src/a.ts'].map(hide)).toEqual([true, true, false, true, true, true, false]);
    expect(globToRegExp('src/*/index.ts').test('src/a/index.ts')).toBe(true);
    expect(globToRegExp('src/*/index.ts').test('src/a/b/index.ts')).toBe(false);
    expect(globToRegExp('src/**/index.ts').test('src/index.ts')).toBe(true);
  });
});

describe('focus', () => {
  const g = new ViewGraph(tinyReport());
  const cut = computeCut(g, initialExpanded(g), none, true);
  const states = (focusOn: string, depth: number | null = null): Record<string, string> => {
    const s = cutStates(cut, modulesFocus(g, [g.index.get(focusOn)!], depth));
    return Object.fromEntries(cut.items.map((it, i) => [it.key.slice(2), s.nodes[i]]));
  };

  it('lights up the blast radius and the dependencies of a module', () => {
    expect(states('src/orders/orders.service.ts')).toEqual({
      'src/app.ts': 'dependent',
      'src/orders/index.ts': 'dependent',
      'src/orders/orders.router.ts': 'dependent',
      'src/orders/orders.service.ts': 'selected',
      'src/catalog/catalog.service.ts': 'dependency',
      'src/shared/lib/db.ts': 'dependency',
      'src/shared/lib/log.ts': 'dependency',
    });
  });

  it('a module in a cycle is both a dependent and a dependency of its partner; depth narrows', () => {
    expect(states('src/shared/lib/db.ts')['src/shared/lib/log.ts']).toBe('both');
    expect(states('src/shared/lib/db.ts', 1)).toMatchObject({ 'src/app.ts': 'dim', 'src/orders/orders.service.ts': 'dependent' });
  });

  it('a candidate: members, the callers and the callees across its boundary', () => {
    const c = tinyReport().candidates[0];
    const s = cutStates(cut, candidateFocus(g, c.modules, candidateCut(g, c)));
    expect(Object.fromEntries(cut.items.map((it, i) => [it.key.slice(2), s.nodes[i]]))).toEqual({
      'src/app.ts': 'caller',
      'src/orders/index.ts': 'member',
      'src/orders/orders.router.ts': 'member',
      'src/orders/orders.service.ts': 'member',
      'src/catalog/catalog.service.ts': 'callee',
      'src/shared/lib/db.ts': 'callee',
      'src/shared/lib/log.ts': 'dim',
    });
  });
});

describe('candidate cut', () => {
  const report = tinyReport();
  const g = new ViewGraph(report);
  const cut = candidateCut(g, report.candidates[0]);

  it('lists the runtime imports that would cross the boundary, through barrels as the blast radius sees them', () => {
    expect(cut.boundary.map((b) => `${b.direction} ${b.edge.from}:${b.edge.line} -> ${b.edge.to}${b.edge.via ? ` via ${b.edge.via}` : ''}`)).toEqual([
      'inbound src/app.ts:3 -> src/orders/orders.router.ts via src/orders/index.ts',
      'outbound src/orders/orders.service.ts:1 -> src/shared/lib/db.ts',
      'outbound src/orders/orders.service.ts:2 -> src/catalog/catalog.service.ts',
    ]);
    expect(cut.typeOnly.map((b) => `${b.direction} ${b.edge.from}:${b.edge.line}`)).toEqual(['inbound src/catalog/catalog.service.ts:2']);
  });

  it('says which tables it shares, with whom, and which are its own', () => {
    expect(cut.shared).toEqual([{ name: 'products', access: 'read', readers: [], writers: ['src/catalog/catalog.service.ts'], definedBy: [] }]);
    expect(cut.own).toEqual(['orders']);
  });

  it('writes the facade rules that would move its routes', () => {
    expect(serviceName(report.candidates[0])).toBe('orders');
    expect(rulesYaml(cut.rules, 'orders')).toBe(['routes:', '  - name: orders', '    match: { prefix: /api/orders }', '    service: orders', '    weight: 0'].join('\n'));
    const scattered = facadeRules({ ...report.candidates[0], name: 'src/inventory/inventory.router.ts', pathPrefixes: ['/api/orders'], routes: [...report.routes] });
    expect(scattered.map((r) => [r.name, r.match, r.routes.length])).toEqual([
      ['inventory-1', { prefix: '/api/orders' }, 2],
      ['inventory-2', { path: '/health', methods: ['GET'] }, 1],
    ]);
  });
});

describe('search', () => {
  const g = new ViewGraph(tinyReport());
  it('finds a module by file name and a handler by route path or concrete URL', () => {
    expect(search(g, 'catalog.serv').map((h) => g.ids[h.module])).toEqual(['src/catalog/catalog.service.ts']);
    const byPattern = search(g, '/api/orders/:id');
    expect(byPattern[0]).toMatchObject({ kind: 'route', route: { method: 'GET', path: '/api/orders/:id' } });
    expect(g.ids[byPattern[0].module]).toBe('src/orders/orders.router.ts');
    expect(search(g, '/api/orders/42').map((h) => (h.kind === 'route' ? h.route.path : ''))).toContain('/api/orders/:id');
    expect(search(g, '   ')).toEqual([]);
  });

  it('matches express patterns segment by segment', () => {
    expect(routeMatches('/api/orders/:id', '/api/orders/7')).toBe(true);
    expect(routeMatches('/api/orders/:id', '/api/orders')).toBe(false);
    expect(routeMatches('/api/orders/:id', '/api/orders/7/items')).toBe(false);
    expect(routeMatches('/files/*rest', '/files/a/b')).toBe(true);
    expect(routeMatches('/api/users{/:id}', '/api/users/3')).toBe(true);
  });
});

describe('URL state', () => {
  it('round-trips, and keeps slashes readable', () => {
    const state = { ...DEFAULT_STATE, selection: 'm:src/orders/orders.service.ts', candidate: null, depth: 2, color: 'rank' as const, typeOnly: false, hide: ['src/legacy', '*.test.ts'], open: ['src', 'src/orders'], zoom: [10, -20, 1.5] as [number, number, number] };
    const hash = formatState(state);
    expect(hash).toContain('sel=m:src/orders/orders.service.ts');
    expect(parseState(hash)).toEqual(state);
    expect(formatState(DEFAULT_STATE)).toBe('');
    expect(parseState('#depth=-3&color=nope&zoom=1,2')).toEqual(DEFAULT_STATE);
  });
});

describe('diff', () => {
  it('says which edges came and went, which cycles are new and which scores moved', () => {
    const before = tinyReport();
    const after = tinyReport();
    after.edges = after.edges.filter((e) => !(e.from === 'src/shared/lib/log.ts'));
    after.edges.push({ from: 'src/catalog/catalog.service.ts', to: 'src/orders/orders.service.ts', kind: 'static', line: 3, specifier: '../orders/orders.service' });
    after.cycles = [['src/catalog/catalog.service.ts', 'src/orders/orders.service.ts']];
    after.candidates = [{ ...after.candidates[0], score: 2.25, rank: 1 }];
    const d = diffReports(before, after);
    expect(d.edgesAdded.map((e) => `${e.from} -> ${e.to} ${e.kind}`)).toEqual(['src/catalog/catalog.service.ts -> src/orders/orders.service.ts static']);
    expect(d.edgesRemoved.map((e) => `${e.from} -> ${e.to} ${e.kind}`)).toEqual(['src/shared/lib/log.ts -> src/shared/lib/db.ts dynamic']);
    expect(d.cyclesAdded).toEqual([['src/catalog/catalog.service.ts', 'src/orders/orders.service.ts']]);
    expect(d.cyclesRemoved).toEqual([['src/shared/lib/db.ts', 'src/shared/lib/log.ts']]);
    expect(d.scores).toEqual([{ id: 'folder:src/orders', name: 'src/orders', before: { score: 1.5, rank: 1 }, after: { score: 2.25, rank: 1 } }]);
    expect(d.empty).toBe(false);
    expect(diffReports(before, tinyReport()).empty).toBe(true);
  });
});

describe('checkReport', () => {
  const check = (text: string): Report => checkReport(text, 'report.json', validateReport, '1.0.0');
  const problem = (text: string): ReportError => {
    try {
      check(text);
    } catch (err) {
      if (err instanceof ReportError) return err;
      throw err;
    }
    throw new Error('no error');
  };

  it('says where the JSON breaks', () => {
    const e = problem('{\n  "schemaVersion": "1.0.0",\n  "modules": [1, 2\n}');
    expect(e.kind).toBe('not-json');
    expect(e.message).toMatch(/^report\.json: not JSON: .*line 4, column 1/);
    expect(problem('').message).toBe('report.json: not JSON: the file is empty');
    expect(problem('{"a":').message).toBe('report.json: not JSON: Unexpected end of JSON input (the text ends at line 1 before the JSON does)');
    expect(problem('{"a": 1}\n\n  x').message).toMatch(/at line 3, column 3$/);
    expect(problem('{"a": "b\\q"}').message).toMatch(/at line 1, column 10$/);
  });

  it('lists the schema problems with their paths, and a version it cannot read', () => {
    const bad = tinyReport() as unknown as Record<string, unknown>;
    delete bad.modules;
    const e = problem(JSON.stringify(bad));
    expect(e.kind).toBe('schema');
    expect(e.problems).toContain("/: must have required property 'modules'");
    expect(problem('[1]').message).toBe('report.json: not a strangler report: expected a JSON object (a report from `strangler analyze`), got an array');
    expect(problem(JSON.stringify({ ...tinyReport(), schemaVersion: '2.0.0' })).message).toMatch(/schemaVersion 2\.0\.0, but this viewer reads 1\.x reports/);
    expect(check(JSON.stringify(tinyReport())).modules).toHaveLength(7);
  });
});

describe('on the sample monolith', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyze(SAMPLE, { workers: 0 });
  });

  it('the report says enough to walk the same dependency graph as its blast radius', () => {
    const g = new ViewGraph(report);
    expect(report.edges.some((e) => e.seenThrough)).toBe(true);
    const wrong = g.modules.filter((m, i) => reach(g.depIn, i).size - 1 !== m.blastRadius || reach(g.depOut, i).size - 1 !== m.transitiveDependencies);
    expect(wrong.map((m) => m.id)).toEqual([]);
  });
});
