/**
 * The graph ranking works on: modules as integer indices, runtime edges only, with barrel
 * imports replaced by the dependency on the module that declares the imported names.
 */
import type { Edge, RankInput } from '../types';

export interface RankGraph {
  ids: string[];
  index: Map<string, number>;
  loc: number[];
  totalLoc: number;
  /** Distinct successors / predecessors per module (no self-loops). */
  out: number[][];
  in: number[][];
  /** Number of runtime edge records per directed pair `from * n + to` (import multiplicity). */
  pairWeight: Map<number, number>;
  runtimeEdgeCount: number;
}

export const isRuntime = (e: Edge): boolean => e.kind !== 'type-only';

/**
 * Runtime edges with barrels resolved: an import of a barrel that also has `via` edges (one per
 * declaring module) counts as a dependency on those declaring modules, not on the whole barrel.
 * The barrel edge stays when it names something the `via` edges do not cover (a name the barrel
 * declares itself).
 */
export function trueRuntimeEdges(edges: Edge[]): Edge[] {
  const runtime = edges.filter(isRuntime);
  const viaNames = new Map<string, Set<string> | null>();
  for (const e of runtime) {
    if (e.via === undefined) continue;
    const key = `${e.from}\0${e.via}`;
    const known = viaNames.get(key);
    if (known === null) continue;
    if (e.names === undefined) viaNames.set(key, null);
    else {
      const set = known ?? new Set<string>();
      for (const n of e.names) set.add(n);
      viaNames.set(key, set);
    }
  }
  return runtime.filter((e) => {
    if (e.via !== undefined) return true;
    const key = `${e.from}\0${e.to}`;
    if (!viaNames.has(key)) return true;
    const covered = viaNames.get(key);
    if (covered === null || covered === undefined || e.names === undefined) return false;
    return !e.names.every((n) => covered.has(n));
  });
}

export function buildRankGraph(input: RankInput): RankGraph {
  const ids = input.modules.map((m) => m.id).sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const locById = new Map(input.modules.map((m) => [m.id, m.loc]));
  const loc = ids.map((id) => Math.max(0, locById.get(id) ?? 0));
  const n = ids.length;
  const outSets: Set<number>[] = ids.map(() => new Set());
  const inSets: Set<number>[] = ids.map(() => new Set());
  const pairWeight = new Map<number, number>();
  let runtimeEdgeCount = 0;
  for (const e of trueRuntimeEdges(input.edges)) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    outSets[a].add(b);
    inSets[b].add(a);
    const key = a * n + b;
    pairWeight.set(key, (pairWeight.get(key) ?? 0) + 1);
    runtimeEdgeCount++;
  }
  const sorted = (s: Set<number>) => [...s].sort((x, y) => x - y);
  return {
    ids,
    index,
    loc,
    totalLoc: loc.reduce((a, b) => a + b, 0),
    out: outSets.map(sorted),
    in: inSets.map(sorted),
    pairWeight,
    runtimeEdgeCount,
  };
}

/** Modules outside `inside` reachable from it along `adj` (breadth-first, so nearer ones come first). */
export function reachOutside(adj: number[][], inside: Uint8Array, start: number[]): number[] {
  const seen = new Uint8Array(inside.length);
  const queue: number[] = [];
  for (const s of start) {
    seen[s] = 1;
    queue.push(s);
  }
  const found: number[] = [];
  for (let head = 0; head < queue.length; head++) {
    for (const next of adj[queue[head]]) {
      if (seen[next]) continue;
      seen[next] = 1;
      queue.push(next);
      if (!inside[next]) found.push(next);
    }
  }
  return found;
}

export function memberMask(n: number, members: number[]): Uint8Array {
  const mask = new Uint8Array(n);
  for (const m of members) mask[m] = 1;
  return mask;
}

export function folderOf(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? '.' : id.slice(0, slash);
}

/** True when `id` lies in `folder` or one of its subfolders. */
export function inFolder(id: string, folder: string): boolean {
  return folder === '.' || id.startsWith(folder + '/');
}
