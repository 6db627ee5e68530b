import type { DirectedGraph } from 'graphology';
import { stronglyConnectedComponents } from 'graphology-components';
import { RUNTIME_KINDS, type ModuleGraph } from '../graph';
import type { ModuleReport } from '../types';

export type ModuleMetrics = Pick<ModuleReport, 'ca' | 'ce' | 'caTypeOnly' | 'ceTypeOnly' | 'instability' | 'blastRadius' | 'transitiveDependencies' | 'cycle'>;

export interface Metrics {
  modules: Map<string, ModuleMetrics>;
  cycles: string[][];
  typeOnlyCycles: string[][];
}

/**
 * Coupling figures, cycles and transitive reach:
 * - ca/ce count distinct modules over runtime file edges; caTypeOnly/ceTypeOnly count the
 *   modules coupled only by type-only edges (a module both imported and type-imported counts once, as runtime);
 * - cycles are the non-trivial strongly connected components of the runtime file graph;
 * - blastRadius/transitiveDependencies are reach counts over the dependency graph (barrels seen
 *   through), computed once per SCC of its condensation with bitsets: O(E × N/32).
 */
export function measure(graph: ModuleGraph, options: { uncounted?: ReadonlySet<string> } = {}): Metrics {
  const runtimeOut = new Map<string, Set<string>>();
  const runtimeIn = new Map<string, Set<string>>();
  const typeOut = new Map<string, Set<string>>();
  const typeIn = new Map<string, Set<string>>();
  for (const id of graph.ids) {
    runtimeOut.set(id, new Set());
    runtimeIn.set(id, new Set());
    typeOut.set(id, new Set());
    typeIn.set(id, new Set());
  }
  for (const e of graph.edges) {
    if (e.via !== undefined || e.from === e.to) continue;
    if (RUNTIME_KINDS.has(e.kind)) {
      runtimeOut.get(e.from)!.add(e.to);
      runtimeIn.get(e.to)!.add(e.from);
    } else {
      typeOut.get(e.from)!.add(e.to);
      typeIn.get(e.to)!.add(e.from);
    }
  }

  const cycles = nonTrivialComponents(graph.runtime);
  const cycleOf = new Map<string, number>();
  cycles.forEach((c, i) => c.forEach((id) => cycleOf.set(id, i)));
  const typeOnlyCycles = nonTrivialComponents(graph.all).filter((c) => {
    const first = cycleOf.get(c[0]);
    // the same component as a runtime cycle: nothing new appears with type-only edges
    return !(first !== undefined && cycles[first].length === c.length && c.every((id) => cycleOf.get(id) === first));
  });

  // reach counts leave out non-runtime modules (tests, scripts): they are not what breaks when a module moves
  const deps = reachCounts(graph.dependencies, 'out', options.uncounted);
  const dependents = reachCounts(graph.dependencies, 'in', options.uncounted);

  const modules = new Map<string, ModuleMetrics>();
  for (const id of graph.ids) {
    const ro = runtimeOut.get(id)!;
    const ri = runtimeIn.get(id)!;
    let ceTypeOnly = 0;
    for (const t of typeOut.get(id)!) if (!ro.has(t)) ceTypeOnly++;
    let caTypeOnly = 0;
    for (const s of typeIn.get(id)!) if (!ri.has(s)) caTypeOnly++;
    const ca = ri.size;
    const ce = ro.size;
    modules.set(id, {
      ca,
      ce,
      caTypeOnly,
      ceTypeOnly,
      instability: ca + ce === 0 ? 0 : round(ce / (ca + ce)),
      blastRadius: dependents.get(id)!,
      transitiveDependencies: deps.get(id)!,
      cycle: cycleOf.get(id) ?? null,
    });
  }
  return { modules, cycles, typeOnlyCycles };
}

/** Strongly connected components of size > 1, or a module importing itself; ids sorted, components sorted. */
function nonTrivialComponents(g: DirectedGraph): string[][] {
  return stronglyConnectedComponents(g)
    .filter((c) => c.length > 1 || g.hasDirectedEdge(c[0], c[0]))
    .map((c) => [...c].sort())
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** For each node, how many other nodes (not in `uncounted`) it reaches ('out') or is reached from ('in'). */
export function reachCounts(g: DirectedGraph, direction: 'out' | 'in', uncounted?: ReadonlySet<string>): Map<string, number> {
  const components = stronglyConnectedComponents(g);
  const n = g.order;
  const index = new Map<string, number>();
  g.forEachNode((node) => index.set(node, index.size));
  const compOf = new Int32Array(n);
  components.forEach((c, ci) => c.forEach((node) => (compOf[index.get(node)!] = ci)));

  // condensation DAG, edges pointing the way reach flows
  const succ: Set<number>[] = components.map(() => new Set());
  g.forEachEdge((_e, _a, source, target) => {
    const s = compOf[index.get(source)!];
    const t = compOf[index.get(target)!];
    if (s === t) return;
    if (direction === 'out') succ[s].add(t);
    else succ[t].add(s);
  });

  // Kahn's order, then fill bitsets from the sinks back
  const indeg = new Int32Array(components.length);
  for (const ss of succ) for (const t of ss) indeg[t]++;
  const order: number[] = [];
  for (let c = 0; c < components.length; c++) if (indeg[c] === 0) order.push(c);
  for (let i = 0; i < order.length; i++) for (const t of succ[order[i]]) if (--indeg[t] === 0) order.push(t);

  const words = (n + 31) >>> 5;
  const counted = new Uint32Array(words).fill(0xffffffff);
  if (uncounted) for (const node of uncounted) if (index.has(node)) counted[index.get(node)! >>> 5] &= ~(1 << (index.get(node)! & 31));
  const bits: Uint32Array[] = new Array(components.length);
  const counts = new Int32Array(components.length);
  for (let i = order.length - 1; i >= 0; i--) {
    const c = order[i];
    const b = new Uint32Array(words);
    for (const node of components[c]) {
      const k = index.get(node)!;
      b[k >>> 5] |= 1 << (k & 31);
    }
    for (const t of succ[c]) {
      const tb = bits[t];
      for (let w = 0; w < words; w++) b[w] |= tb[w];
    }
    bits[c] = b;
    counts[c] = popcount(b, counted);
  }
  const result = new Map<string, number>();
  g.forEachNode((node) => result.set(node, counts[compOf[index.get(node)!]] - (uncounted?.has(node) ? 0 : 1)));
  return result;
}

function popcount(b: Uint32Array, mask: Uint32Array): number {
  let total = 0;
  for (let w = 0; w < b.length; w++) {
    let v = b[w] & mask[w];
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    total += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return total;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
