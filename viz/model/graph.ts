/**
 * The report as the viewer walks it: modules by integer index, the folder tree, the drawn
 * module pairs (file edges grouped by from → to), and the dependency graph behind blast radius.
 * Pure data, no DOM: the page and the tests use the same code.
 */
import type { Candidate, Edge, ModuleReport, Report, Route } from '../../analyzer/types';

export interface Folder {
  index: number;
  /** '' for the root; otherwise the directory, `/`-separated (`src/orders`). */
  path: string;
  /** Label relative to the parent; a chain of folders holding one folder each reads as one (`src/api/v1`). */
  name: string;
  parent: number;
  children: number[];
  /** Modules directly in this folder. */
  modules: number[];
  depth: number;
  /** Lines of code and module count, this folder and everything below. */
  loc: number;
  count: number;
}

/** One drawn module-to-module connection: every file edge from → to (each kind), never a `via` edge. */
export interface Pair {
  from: number;
  to: number;
  /** At least one runtime edge (static, dynamic, re-export, require). */
  runtime: boolean;
  /** At least one type-only edge. */
  typeOnly: boolean;
  /** Runtime, and both ends sit in the same runtime cycle. */
  inCycle: boolean;
  edges: Edge[];
}

export const isDependencyEdge = (e: Edge): boolean => e.kind !== 'type-only' && e.seenThrough !== true;

export class ViewGraph {
  readonly ids: string[];
  readonly index = new Map<string, number>();
  readonly modules: ModuleReport[];
  readonly folders: Folder[] = [];
  /** Folder index of each module. */
  readonly folderOf: Int32Array;
  readonly pairs: Pair[] = [];
  /** Pairs by `from * n + to`. */
  readonly pairIndex = new Map<number, number>();
  /** Dependency graph (runtime edges, barrels seen through, as the analyzer's blast radius counts). */
  readonly depOut: number[][];
  readonly depIn: number[][];
  /** Index into report.cycles, or -1. */
  readonly cycleOf: Int32Array;
  /** Candidate indices (into report.candidates) that include each module. */
  readonly candidatesOf: number[][];
  /** Index into report.decomposition.services, or -1. */
  readonly serviceOf: Int32Array;
  readonly routesOf: Route[][];
  readonly totalLoc: number;

  constructor(readonly report: Report) {
    this.modules = [...report.modules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.ids = this.modules.map((m) => m.id);
    this.ids.forEach((id, i) => this.index.set(id, i));
    const n = this.ids.length;
    this.totalLoc = this.modules.reduce((s, m) => s + m.loc, 0);

    this.cycleOf = new Int32Array(n).fill(-1);
    report.cycles.forEach((c, ci) => c.forEach((id) => this.set(this.cycleOf, id, ci)));
    this.serviceOf = new Int32Array(n).fill(-1);
    report.decomposition.services.forEach((s, si) => s.modules.forEach((id) => this.set(this.serviceOf, id, si)));
    this.candidatesOf = this.ids.map(() => []);
    report.candidates.forEach((c, ci) => c.modules.forEach((id) => this.candidatesOf[this.index.get(id) ?? -1]?.push(ci)));
    this.routesOf = this.modules.map((m) => m.routes);

    this.depOut = this.ids.map(() => []);
    this.depIn = this.ids.map(() => []);
    const dep = new Set<number>();
    for (const e of report.edges) {
      const a = this.index.get(e.from);
      const b = this.index.get(e.to);
      if (a === undefined || b === undefined) continue;
      if (isDependencyEdge(e) && a !== b && !dep.has(a * n + b)) {
        dep.add(a * n + b);
        this.depOut[a].push(b);
        this.depIn[b].push(a);
      }
      if (e.via !== undefined || a === b) continue;
      const key = a * n + b;
      let pi = this.pairIndex.get(key);
      if (pi === undefined) {
        pi = this.pairs.length;
        this.pairIndex.set(key, pi);
        this.pairs.push({ from: a, to: b, runtime: false, typeOnly: false, inCycle: false, edges: [] });
      }
      const p = this.pairs[pi];
      p.edges.push(e);
      if (e.kind === 'type-only') p.typeOnly = true;
      else p.runtime = true;
    }
    for (const p of this.pairs) p.inCycle = p.runtime && this.cycleOf[p.from] >= 0 && this.cycleOf[p.from] === this.cycleOf[p.to];

    this.folderOf = new Int32Array(n);
    this.buildFolders();
  }

  private set(arr: Int32Array, id: string, value: number): void {
    const i = this.index.get(id);
    if (i !== undefined) arr[i] = value;
  }

  private buildFolders(): void {
    const direct = new Map<string, number[]>();
    const childDirs = new Map<string, Set<string>>([['', new Set()]]);
    this.ids.forEach((id, i) => {
      const dir = dirname(id);
      (direct.get(dir) ?? direct.set(dir, []).get(dir)!).push(i);
      // register every ancestor
      for (let d = dir; d !== ''; d = dirname(d)) {
        const parent = dirname(d);
        const set = childDirs.get(parent) ?? childDirs.set(parent, new Set()).get(parent)!;
        if (set.has(d)) break;
        set.add(d);
        if (!childDirs.has(d)) childDirs.set(d, new Set());
      }
    });
    const make = (start: string, parent: number, depth: number): number => {
      let dir = start;
      let name = start === '' ? '' : basename(start);
      // a folder holding only one folder reads as one node: `src/api/v1`
      while (dir !== '' && !direct.has(dir) && childDirs.get(dir)!.size === 1) {
        dir = [...childDirs.get(dir)!][0];
        name += `/${basename(dir)}`;
      }
      const f: Folder = { index: this.folders.length, path: dir, name, parent, children: [], modules: direct.get(dir) ?? [], depth, loc: 0, count: 0 };
      this.folders.push(f);
      for (const m of f.modules) this.folderOf[m] = f.index;
      for (const child of [...childDirs.get(dir)!].sort()) f.children.push(make(child, f.index, depth + 1));
      f.loc = f.modules.reduce((s, m) => s + this.modules[m].loc, 0) + f.children.reduce((s, c) => s + this.folders[c].loc, 0);
      f.count = f.modules.length + f.children.reduce((s, c) => s + this.folders[c].count, 0);
      return f.index;
    };
    make('', -1, 0);
  }

  /** Folder indices from the root down to the module's folder. */
  ancestors(module: number): number[] {
    const chain: number[] = [];
    for (let f = this.folderOf[module]; f >= 0; f = this.folders[f].parent) chain.unshift(f);
    return chain;
  }

  candidate(id: string): Candidate | undefined {
    return this.report.candidates.find((c) => c.id === id);
  }
}

export function dirname(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? '' : id.slice(0, slash);
}

export function basename(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/**
 * Modules reached from `start` (one module or several) over `adj`, with their distance (the
 * starts at 0), up to `maxDepth` steps (Infinity: the whole transitive closure, what the report counts).
 */
export function reach(adj: readonly number[][], start: number | readonly number[], maxDepth = Infinity): Map<number, number> {
  let frontier = typeof start === 'number' ? [start] : [...start];
  const dist = new Map<number, number>(frontier.map((m) => [m, 0]));
  for (let d = 1; frontier.length && d <= maxDepth; d++) {
    const next: number[] = [];
    for (const m of frontier)
      for (const t of adj[m])
        if (!dist.has(t)) {
          dist.set(t, d);
          next.push(t);
        }
    frontier = next;
  }
  return dist;
}
