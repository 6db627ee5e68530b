/**
 * Reports of any size for the viewer benchmark: modules in folders (`src/a3/p12/m7.ts`: areas of
 * 25 parts of 20 modules), 5 imports a module (3 inside its part, 1 inside its area, 1 anywhere,
 * toward earlier modules so the graph is layered, a few closing small cycles inside a part), a router with
 * routes in every part, a table per part. Metrics, cycles and ranking come from the analyzer's own
 * code, so the report is what `strangler analyze` would write for such a project. Seeded: the
 * same size always gives the same report.
 */
import { DirectedGraph } from 'graphology';
import { stronglyConnectedComponents } from 'graphology-components';
import { reachCounts } from '../../analyzer/metrics';
import { rankCandidates } from '../../analyzer/rank';
import { seededRandom } from '../../analyzer/rank/communities';
import { SCHEMA_VERSION, type Edge, type ModuleReport, type RankInput, type Report, type Route, type TableUsage } from '../../analyzer/types';

const PART = 20;
const PARTS_PER_AREA = 25;
export const EDGES_PER_MODULE = 5;

export function generateReport(moduleCount: number, seed = 7): Report {
  const random = seededRandom(seed);
  const ids: string[] = [];
  const partOf: number[] = [];
  for (let i = 0; i < moduleCount; i++) {
    const part = Math.floor(i / PART);
    const area = Math.floor(part / PARTS_PER_AREA);
    partOf.push(part);
    ids.push(`src/a${area}/p${part % PARTS_PER_AREA}/${i % PART === 0 ? 'router' : i % PART === 1 ? 'repository' : `m${i % PART}`}.ts`);
  }
  const parts = Math.ceil(moduleCount / PART);
  const partStart = (p: number): number => p * PART;
  const partSize = (p: number): number => Math.min(PART, moduleCount - partStart(p));

  const edges: Edge[] = [];
  const seen = new Set<string>();
  const lines = new Int32Array(moduleCount);
  const add = (from: number, to: number, kind: Edge['kind']): void => {
    if (from === to || seen.has(`${from}>${to}`)) return;
    seen.add(`${from}>${to}`);
    edges.push({ from: ids[from], to: ids[to], kind, line: ++lines[from], specifier: relative(ids[from], ids[to]) });
  };
  for (let i = 0; i < moduleCount; i++) {
    const part = partOf[i];
    const start = partStart(part);
    const size = partSize(part);
    const area = Math.floor(part / PARTS_PER_AREA);
    const areaParts = Math.min(PARTS_PER_AREA, parts - area * PARTS_PER_AREA);
    for (let k = 0; k < EDGES_PER_MODULE; k++) {
      const r = random();
      let to: number;
      if (k < 3) to = start + Math.floor(random() * size);
      else if (k === 3) {
        const other = area * PARTS_PER_AREA + Math.floor(random() * areaParts);
        to = partStart(other) + Math.floor(random() * partSize(other));
      } else to = Math.floor(random() * moduleCount);
      // layered: toward earlier modules, but for one import in 100 inside a part, which closes small cycles
      if (to > i && !(r < 0.01 && partOf[to] === part)) to = Math.floor(random() * Math.max(1, i));
      add(i, to, random() < 0.15 ? 'type-only' : 'static');
    }
  }

  const runtime = new DirectedGraph();
  const all = new DirectedGraph();
  for (const id of ids) {
    runtime.addNode(id);
    all.addNode(id);
  }
  for (const e of edges) {
    all.mergeEdge(e.from, e.to);
    if (e.kind !== 'type-only') runtime.mergeEdge(e.from, e.to);
  }
  const cycles = stronglyConnectedComponents(runtime)
    .filter((c) => c.length > 1)
    .map((c) => [...c].sort())
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const cycleOf = new Map<string, number>();
  cycles.forEach((c, i) => c.forEach((id) => cycleOf.set(id, i)));
  const blast = reachCounts(runtime, 'in');
  const deps = reachCounts(runtime, 'out');

  const routes: Route[] = [];
  const modules: ModuleReport[] = ids.map((id, i) => {
    const part = partOf[i];
    const own: Route[] =
      i % PART === 0
        ? [
            { method: 'GET', path: `/api/p${part}`, module: id, line: 4 },
            { method: 'GET', path: `/api/p${part}/:id`, module: id, line: 8 },
            { method: 'POST', path: `/api/p${part}`, module: id, line: 12 },
          ]
        : [];
    routes.push(...own);
    const tables: ModuleReport['tables'] =
      i % PART === 1
        ? [
            { name: `t${part}`, access: 'write' },
            ...(part > 0 ? [{ name: `t${part - 1}`, access: 'read' as const }] : []),
          ]
        : [];
    const ca = runtime.inDegree(id);
    const ce = runtime.outDegree(id);
    const caAll = all.inDegree(id);
    const ceAll = all.outDegree(id);
    return {
      id,
      loc: 20 + Math.floor(random() * random() * 400),
      ca,
      ce,
      caTypeOnly: caAll - ca,
      ceTypeOnly: ceAll - ce,
      instability: ca + ce === 0 ? 0 : Math.round((ce / (ca + ce)) * 1000) / 1000,
      blastRadius: blast.get(id)!,
      transitiveDependencies: deps.get(id)!,
      cycle: cycleOf.get(id) ?? null,
      routes: own,
      tables,
      definesTables: [],
      packages: i % 7 === 0 ? ['express'] : [],
    };
  });
  const usage = new Map<string, TableUsage>();
  for (const m of modules)
    for (const t of m.tables) {
      const u = usage.get(t.name) ?? { name: t.name, readers: [], writers: [], definedBy: [] };
      (t.access === 'read' ? u.readers : u.writers).push(m.id);
      usage.set(t.name, u);
    }
  const typeOnly = edges.filter((e) => e.kind === 'type-only').length;
  const input: RankInput = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'strangler', version: '0.1.0' },
    generatedAt: '2026-01-01T00:00:00.000Z',
    root: `/bench/generated-${moduleCount}`,
    tsconfig: 'tsconfig.json',
    summary: {
      modules: moduleCount,
      edges: edges.length,
      runtimeEdges: edges.length - typeOnly,
      typeOnlyEdges: typeOnly,
      viaEdges: 0,
      cycles: cycles.length,
      typeOnlyCycles: 0,
      routes: routes.length,
      tables: usage.size,
      warnings: 0,
      durationMs: 0,
    },
    modules,
    edges,
    cycles,
    typeOnlyCycles: [],
    routes,
    tables: [...usage.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    warnings: [],
  };
  return { ...input, ...rankCandidates(input) };
}

/** `./x.js`, `../p3/y.js`: the specifier an import from one module to the other would use. */
function relative(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let common = 0;
  while (common < a.length && a[common] === b[common]) common++;
  const up = a.length - common;
  const rest = b.slice(common).join('/').replace(/\.ts$/, '.js');
  return `${up === 0 ? './' : '../'.repeat(up)}${rest}`;
}
