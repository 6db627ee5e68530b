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
  // Type-only `via` edges cover names too: `import { a, type T } from './barrel'` needs the barrel for neither.
  const viaNames = new Map<string, Set<string> | null>();
  for (const e of edges) {
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

/** Modules the ranking leaves out: the report's non-runtime modules, unless they are to be counted. */
export function uncountedModules(input: RankInput): Set<string> {
  return new Set(input.nonRuntime && !input.nonRuntime.counted ? input.nonRuntime.modules.map((m) => m.module) : []);
}

export function buildRankGraph(input: RankInput): RankGraph {
  const uncounted = uncountedModules(input);
  const ids = input.modules.map((m) => m.id).filter((id) => !uncounted.has(id)).sort();
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

export function memberMask(n: number, members: number[]): Uint8Array {
  const mask = new Uint8Array(n);
  for (const m of members) mask[m] = 1;
  return mask;
}

/** Code-point order: the same everywhere, unlike localeCompare. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function folderOf(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? '.' : id.slice(0, slash);
}

/**
 * Transitive reachability for many module sets at once: bitsets over modules per strongly
 * connected component, filled in topological order of the condensation, so a candidate's
 * closure is the OR of its members' rows instead of a graph walk.
 */
export class Reachability {
  private readonly words: number;
  private readonly sccOf: Int32Array;
  private readonly down: Uint32Array[];
  private readonly up: Uint32Array[];
  /** Scratch space reused by outside(): the OR of rows, and which components were ORed already. */
  private readonly acc: Uint32Array;
  private readonly seen: Int32Array;
  private generation = 0;

  constructor(private readonly g: RankGraph) {
    const n = g.ids.length;
    this.words = Math.ceil(n / 32);
    const { sccOf, order } = condensation(g);
    this.sccOf = sccOf;
    const count = order.length;
    const members: number[][] = Array.from({ length: count }, () => []);
    for (let i = 0; i < n; i++) members[sccOf[i]].push(i);
    const fill = (adj: number[][], sequence: number[]) => {
      const rows: Uint32Array[] = new Array(count);
      for (const c of sequence) {
        const row = new Uint32Array(this.words);
        for (const m of members[c]) {
          row[m >>> 5] |= 1 << (m & 31);
          for (const next of adj[m]) {
            const s = sccOf[next];
            if (s === c) continue;
            const other = rows[s];
            for (let w = 0; w < this.words; w++) row[w] |= other[w];
          }
        }
        rows[c] = row;
      }
      return rows;
    };
    // `order` is topological (dependents before dependencies).
    this.down = fill(g.out, [...order].reverse());
    this.up = fill(g.in, order);
    this.acc = new Uint32Array(this.words);
    this.seen = new Int32Array(count);
  }

  /**
   * Modules outside `mask` reachable from `members`: how many, their loc (when `withLoc`), and up
   * to `max` examples (direct neighbours first, then by id). `visit` sees each of them.
   */
  outside(
    direction: 'down' | 'up',
    members: number[],
    mask: Uint8Array,
    options: { max?: number; withLoc?: boolean; visit?: (m: number) => void } = {},
  ): { count: number; loc: number; examples: number[] } {
    const { max = 3, withLoc = false, visit } = options;
    const rows = direction === 'down' ? this.down : this.up;
    const adj = direction === 'down' ? this.g.out : this.g.in;
    const words = this.words;
    const acc = this.acc.fill(0);
    const stamp = ++this.generation;
    const examples: number[] = [];
    for (const m of members) {
      if (examples.length < max) {
        for (const next of adj[m]) if (!mask[next] && examples.length < max && !examples.includes(next)) examples.push(next);
      }
      const c = this.sccOf[m];
      if (this.seen[c] === stamp) continue;
      this.seen[c] = stamp;
      const row = rows[c];
      for (let w = 0; w < words; w++) acc[w] |= row[w];
    }
    for (const m of members) acc[m >>> 5] &= ~(1 << (m & 31));
    let count = 0;
    let loc = 0;
    const walk = withLoc || visit !== undefined;
    for (let w = 0; w < words; w++) {
      let bits = acc[w];
      if (bits === 0) continue;
      if (!walk && examples.length >= max) {
        count += popcount(bits);
        continue;
      }
      while (bits !== 0) {
        const low = bits & -bits;
        const m = (w << 5) + 31 - Math.clz32(low);
        bits ^= low;
        count++;
        loc += this.g.loc[m];
        visit?.(m);
        if (examples.length < max && !examples.includes(m)) examples.push(m);
      }
    }
    return { count, loc, examples };
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Tarjan's SCCs (iterative) and a topological order of the components. */
function condensation(g: RankGraph): { sccOf: Int32Array; order: number[] } {
  const n = g.ids.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const sccOf = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const finished: number[] = [];
  let counter = 0;
  let sccCount = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      if (i < g.out[v].length) {
        frame[1]++;
        const w = g.out[v][i];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          sccOf[w] = sccCount;
        } while (w !== v);
        finished.push(sccCount++);
      }
    }
  }
  // Tarjan completes components sinks first: reversed, dependents come before dependencies.
  return { sccOf, order: finished.reverse() };
}
