import { execFileSync, spawnSync } from 'node:child_process';
import { render } from '..';
import { shopReport } from './fixtures/report';

const ANSI = /\x1b\[/;
const report = shopReport();
const names = report.candidates.map((c) => c.name);

/** Positions of each string in text, asserting each is present. */
function positions(text: string, items: string[]): number[] {
  return items.map((s) => {
    const at = text.indexOf(s);
    if (at < 0) throw new Error(`missing ${JSON.stringify(s)}`);
    return at;
  });
}
const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);

describe('table', () => {
  const text = render(report, 'table', { top: 5 });

  test('summary line, top candidates in rank order with each term column, then their reasons', () => {
    expect(text).toContain('20 modules, 31 import edges (30 runtime, 1 type-only), 1 runtime cycle, 13 routes, 4 tables, 23 warnings');
    expect(text).toContain(`top 5 of ${report.candidates.length}`);
    const header = text.split('\n').find((l) => l.includes('candidate') && l.includes('score'))!;
    expect(header.split('│').map((s) => s.trim()).filter(Boolean)).toEqual(['#', 'candidate', 'kind', 'label', 'score', 'blast', 'data', 'cycle', 'take', 'size', 'prefix']);
    const rows = text.split('\n').filter((l) => /^│ \d+ /.test(l));
    expect(rows.map((l) => l.split('│')[2].trim())).toEqual(names.slice(0, 5));
    expect(rows[0].split('│').map((s) => s.trim()).slice(1, 12)).toEqual([
      '1',
      'src/reviews',
      'folder',
      'service',
      report.candidates[0].score.toFixed(2),
      ...report.candidates[0].terms.map((t) => t.contribution.toFixed(2)),
    ]);
    const why = text.slice(text.indexOf('Why'));
    expect(increasing(positions(why, report.candidates.slice(0, 5).map((c) => `${c.rank}. ${c.name}:`)))).toBe(true);
    for (const t of report.candidates[0].terms) expect(why).toContain(t.reason);
    expect(text).not.toContain(names[5] + ':');
  });

  test('cycles, tables with writers and readers, decomposition figures explained, warnings capped at 20', () => {
    expect(text).toContain('#1 (2 modules): src/orders/service.ts ⇄ src/users/service.ts');
    const products = text.split('\n').find((l) => l.includes('│ products'))!;
    expect(products).toContain('src/catalog/repo.ts');
    expect(text).toMatch(/modularity -?\d\.\d{3}: Newman Q/);
    expect(text).toMatch(/ICP \d+(\.\d)? %: inter-partition call percentage/);
    expect(text).toContain(`IFN ${report.decomposition.ifn}: modules called from another service`);
    expect(text).toContain('src/legacy.ts:20 ');
    expect(text).not.toContain('src/legacy.ts:21 ');
    expect(text).toContain('… and 3 more warnings');
  });

  test('no ANSI codes without color, colours with it', () => {
    expect(text).not.toMatch(ANSI);
    expect(render(report, 'table', { top: 5, color: true })).toMatch(ANSI);
  });

  test('barrel via-edges are counted apart when the report has them', () => {
    const withVia = shopReport(0);
    withVia.summary.viaEdges = 1;
    expect(render(withVia, 'table')).toContain('31 import edges (30 runtime, 1 type-only; plus 1 through barrels to the declaring modules)');
  });

  test('a list that opens with libraries says where the first service stands', () => {
    expect(text).not.toContain('first service');
    const relabel = (n: number) => ({ ...report, candidates: report.candidates.map((c, i) => (i < n ? { ...c, label: 'library' as const } : c)) });
    const third = report.candidates[2];
    const line = `The first 2 candidates are libraries (no routes: the facade cannot move them); the first service is #3 ${third.name} (score ${third.score.toFixed(2)}).`;
    expect(render(relabel(2), 'table', { top: 5 })).toContain(line);
    expect(render(relabel(2), 'md', { top: 5 })).toContain(line);
    expect(render(relabel(report.candidates.length), 'table', { top: 5 })).toContain('No candidate serves routes or GraphQL operations');
  });

  test('top defaults to 10', () => {
    expect(render(report, 'table')).toContain(`top 10 of ${report.candidates.length}`);
  });
});

describe('md', () => {
  const md = render(report, 'md', { top: 3 });

  test('headings and a Markdown table with the candidates in rank order', () => {
    expect(md).toMatch(/^# strangler analysis of `\/fixture`/);
    for (const h of [`## Extraction candidates (top 3 of ${report.candidates.length}, safest first)`, '## Runtime cycles (1)', '## Shared database tables (3 of 4 tables used by more than one module)', '## Warnings (23)']) expect(md).toContain(h);
    expect(md).toContain('| # | candidate | kind | label | score | blast | data | cycle | take | size | prefix |');
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual(names.slice(0, 3));
    expect(md).toContain(`### 1. src/reviews (score ${report.candidates[0].score.toFixed(2)})`);
    expect(md).toContain(`- **blastRadius** +${report.candidates[0].terms[0].contribution.toFixed(2)} (value 2, weight 3): 2 of 17 modules`);
    expect(md).toContain('| products | src/catalog/repo.ts, src/admin/repo.ts | src/catalog/repo.ts |');
    // reviews is used by reviews/repo.ts alone: not shared, not listed.
    expect(md).not.toContain('| reviews |');
    expect(md).toContain('- … and 3 more warnings');
    expect(md).not.toMatch(ANSI);
  });

  test('schema code among table writers and type-only cycles are explained', () => {
    const withSchema = shopReport(0);
    withSchema.tables[0].writers.push('src/db/migrations/001_init.ts');
    withSchema.typeOnlyCycles = [['src/a.ts', 'src/b.ts']];
    const text = render(withSchema, 'md');
    expect(text).toContain('1 module (src/db/migrations/001_init.ts) is schema or seed code: ranking ignores its table accesses.');
    expect(text).toContain('1 more cycle exists only through type-only imports; it does not count at runtime.');
    expect(render(report, 'md')).not.toContain('schema or seed code');
  });

  test('non-runtime modules are said apart and leave the shared tables', () => {
    const apart = shopReport(0);
    apart.nonRuntime = {
      counted: false,
      modules: [
        { module: 'src/admin/repo.ts', kind: 'test', reason: 'in a test folder (test/)' },
        { module: 'src/admin/routes.ts', kind: 'test', reason: 'a test file (routes.test.ts)' },
        { module: 'web/main.tsx', kind: 'browser', reason: 'browser-side: imports react-dom' },
      ],
    };
    const md = render(apart, 'md');
    expect(md).toContain(
      "3 modules are not runtime code (2 test, 1 browser-side): left out of the ranking and reach metrics (--include-non-runtime counts them); the JSON report's `nonRuntime` field says which and why.",
    );
    // products (catalog/repo.ts, admin/repo.ts) and orders (orders/repo.ts, admin/repo.ts) were shared
    // through admin/repo.ts, which is not runtime code; users stays shared by users/ and orders/
    expect(md).not.toContain('| products |');
    expect(md).not.toContain('| orders |');
    expect(md).toContain('| users | src/users/repo.ts | src/orders/repo.ts, src/users/repo.ts |');
    expect(md).toContain('## Shared database tables (1 of 4 tables used by more than one module)');
    const counted = render({ ...apart, nonRuntime: { ...apart.nonRuntime, counted: true } }, 'table');
    expect(counted).toContain('3 modules are not runtime code (2 test, 1 browser-side); counted like runtime modules (--include-non-runtime)');
    expect(counted).toContain('│ products');
  });

  test('cell text with pipes is escaped', () => {
    const odd = shopReport(0);
    odd.tables[0].name = 'weird|table';
    expect(render(odd, 'md')).toContain('| weird\\|table |');
  });
});

describe('dot', () => {
  const dot = render(report, 'dot');

  test('clusters per folder, one node per module, edge styles by kind, cycle edges red', () => {
    expect(dot.startsWith('digraph strangler {')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    const clusters = dot.match(/subgraph cluster_\d+ \{/g)!;
    expect(clusters.length).toBe(7); // src, src/admin, catalog, orders, reviews, shared, users
    expect(dot).toContain('label="src/orders";');
    expect(dot).toContain('"src/reviews/routes.ts" [label="routes.ts", fillcolor=palegreen];');
    expect(dot).toContain('"src/app.ts" -> "src/reviews/routes.ts" [style=solid];');
    expect(dot).toContain('"src/reviews/service.ts" -> "src/users/types.ts" [style=dashed];');
    expect(dot).toContain('"src/app.ts" -> "src/admin/repo.ts" [style=dotted];');
    expect(dot).toContain('"src/orders/service.ts" -> "src/users/service.ts" [style=solid, color=red, penwidth=1.5];');
    expect(dot).toContain('"src/users/service.ts" -> "src/orders/service.ts" [style=solid, color=red, penwidth=1.5];');
    // The barrel's `via` edge is not drawn twice.
    expect(dot.match(/"src\/reviews\/repo.ts" -> /g)!.length).toBe(1);
  });

  test('Graphviz accepts it, quotes included', () => {
    const odd = shopReport(0);
    odd.modules.push({ ...odd.modules[0], id: 'src/we"ird\\name.ts' });
    odd.edges.push({ from: 'src/app.ts', to: 'src/we"ird\\name.ts', kind: 'static', line: 1, specifier: './x' });
    const text = render(odd, 'dot');
    expect(text).toContain('"src/we\\"ird\\\\name.ts"');
    const hasDot = spawnSync('dot', ['-V']).status === 0;
    if (hasDot) {
      const plain = execFileSync('dot', ['-Tplain'], { input: text }).toString();
      expect(plain).toContain('node "src/we\\"ird\\\\name.ts"');
      expect(plain.split('\n').filter((l) => l.startsWith('edge ')).length).toBe(text.split('\n').filter((l) => l.includes(' -> ')).length);
    } else {
      // Without Graphviz: braces balance and every edge end is a declared node.
      expect(text.split('{').length).toBe(text.split('}').length);
      const declared = new Set([...text.matchAll(/^ {4}("(?:[^"\\]|\\.)*") \[/gm)].map((m) => m[1]));
      for (const m of text.matchAll(/^ {2}("(?:[^"\\]|\\.)*") -> ("(?:[^"\\]|\\.)*")/gm)) {
        expect(declared.has(m[1])).toBe(true);
        expect(declared.has(m[2])).toBe(true);
      }
    }
  });
});

describe('mermaid', () => {
  const mmd = render(report, 'mermaid');
  const lines = mmd.split('\n');

  test('flowchart LR with subgraphs per folder, safe ids, edge styles and red cycle links', () => {
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  subgraph f3 ["src/orders"]');
    const nodes = new Map(lines.flatMap((l) => {
      const m = /^ {4}(\S+)\["([^"]*)"\]$/.exec(l);
      return m ? [[m[1], m[2]] as const] : [];
    }));
    expect(nodes.size).toBe(20);
    for (const id of nodes.keys()) expect(id).toMatch(/^n\d+$/);
    const idOf = (module: string) => {
      const folder = module.slice(0, module.lastIndexOf('/'));
      const f = lines.findIndex((l) => l === `  subgraph ${lines.find((x) => x.endsWith(`["${folder}"]`))!.split(' ')[3]} ["${folder}"]`);
      const base = module.slice(module.lastIndexOf('/') + 1);
      return lines.slice(f).find((l) => l.endsWith(`["${base}"]`))!.trim().split('[')[0];
    };
    const app = idOf('src/app.ts');
    expect(lines).toContain(`  ${app} --> ${idOf('src/reviews/routes.ts')}`);
    expect(lines).toContain(`  ${app} -. dynamic .-> ${idOf('src/admin/repo.ts')}`);
    expect(lines).toContain(`  ${idOf('src/reviews/service.ts')} -.-> ${idOf('src/users/types.ts')}`);
    const edgeLines = lines.filter((l) => / (-->|-\.->|-\. dynamic \.->) /.test(l));
    const cycleEdge = edgeLines.indexOf(`  ${idOf('src/orders/service.ts')} --> ${idOf('src/users/service.ts')}`);
    const linkStyle = lines.find((l) => l.startsWith('  linkStyle ') && l.includes('stroke:#d00'))!;
    expect(linkStyle.split(' ')[3].split(',').map(Number)).toContain(cycleEdge);
    const typeOnlyEdge = edgeLines.indexOf(`  ${idOf('src/reviews/service.ts')} -.-> ${idOf('src/users/types.ts')}`);
    expect(lines).toContain(`  linkStyle ${typeOnlyEdge} stroke-dasharray:6 4`);
    expect(lines).toContain(`  class ${['src/reviews/repo.ts', 'src/reviews/routes.ts', 'src/reviews/service.ts'].map(idOf).join(',')} best`);
  });
});

test('an unknown format is refused by name', () => {
  expect(() => render(report, 'svg' as never)).toThrow("unknown report format 'svg' (formats: table, md, dot, mermaid, html)");
});

test('a report without candidates still renders every section', () => {
  const empty = { ...shopReport(0), candidates: [] };
  expect(render(empty, 'table')).toContain('No candidates: nothing can move out short of the whole codebase.');
  expect(render(empty, 'md')).toContain('## Runtime cycles (1)');
});
