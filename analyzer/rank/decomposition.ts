/**
 * The suggested decomposition: the Louvain partition refined so that no runtime cycle and no
 * route-owning folder is split, and its quality figures (docs/ranking.md defines each).
 */
import type { Decomposition } from '../types';
import { mainFolder } from './candidates';
import { undirectedWeights } from './communities';
import { folderOf, type RankGraph } from './graph';
import { round } from './weights';

/** Union-find over module indices. */
class Groups {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]];
      x = this.parent[x];
    }
    return x;
  }
  union(members: number[]): void {
    for (let i = 1; i < members.length; i++) {
      const a = this.find(members[0]);
      const b = this.find(members[i]);
      if (a !== b) this.parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
}

/**
 * Each group that must stay whole (cycles and route-owning folders, chained where they overlap)
 * moves entirely into the community that already holds most of it; modules without any runtime
 * edge join the service holding most of their folder.
 */
export function refinePartition(g: RankGraph, community: number[], keepTogether: number[][]): number[] {
  const n = g.ids.length;
  const groups = new Groups(n);
  for (const members of keepTogether) groups.union(members);
  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = groups.find(i);
    const list = byRoot.get(r);
    if (list) list.push(i);
    else byRoot.set(r, [i]);
  }
  const result = [...community];
  const grouped = new Uint8Array(n);
  for (const members of byRoot.values()) {
    if (members.length < 2) continue;
    const target = majority(members.map((m) => community[m]));
    for (const m of members) {
      result[m] = target;
      grouped[m] = 1;
    }
  }
  // Louvain leaves each module without runtime edges alone; put it with its folder instead.
  const loose = (i: number) => !grouped[i] && g.out[i].length === 0 && g.in[i].length === 0;
  const folderVotes = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (loose(i)) continue;
    const f = folderOf(g.ids[i]);
    const list = folderVotes.get(f);
    if (list) list.push(result[i]);
    else folderVotes.set(f, [result[i]]);
  }
  for (let i = 0; i < n; i++) {
    const votes = loose(i) ? folderVotes.get(folderOf(g.ids[i])) : undefined;
    if (votes) result[i] = majority(votes);
  }
  return result;
}

/** Most frequent value; ties go to the smallest. */
function majority(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0];
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
  return best;
}

/** Services named after their main folder; numbered in order of their first module. */
export function decompose(g: RankGraph, partition: number[]): Decomposition {
  const n = g.ids.length;
  const serviceOf = new Array<number>(n);
  const services: number[][] = [];
  const renumber = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let s = renumber.get(partition[i]);
    if (s === undefined) {
      s = services.length;
      renumber.set(partition[i], s);
      services.push([]);
    }
    services[s].push(i);
    serviceOf[i] = s;
  }
  const names = new Map<string, number>();
  const named = services.map((members, s) => {
    const folder = mainFolder(g, members);
    const seen = (names.get(folder) ?? 0) + 1;
    names.set(folder, seen);
    return { id: `service-${s + 1}`, name: seen === 1 ? folder : `${folder} #${seen}`, modules: members.map((m) => g.ids[m]) };
  });
  return { services: named, ...partitionQuality(g, serviceOf) };
}

/** Modularity, SM, ICP and IFN of a partition (service index per module). */
export function partitionQuality(g: RankGraph, serviceOf: number[]): Omit<Decomposition, 'services'> {
  const n = g.ids.length;
  const k = serviceOf.reduce((max, s) => Math.max(max, s + 1), 0);

  // Newman modularity on the undirected weighted view (the graph Louvain optimizes).
  const weights = undirectedWeights(g);
  let m = 0;
  const degree = new Float64Array(k);
  const internal = new Float64Array(k);
  for (const [key, w] of weights) {
    const a = Math.floor(key / n);
    const b = key % n;
    m += w;
    degree[serviceOf[a]] += w;
    degree[serviceOf[b]] += w;
    if (serviceOf[a] === serviceOf[b]) internal[serviceOf[a]] += w;
  }
  let modularity = 0;
  if (m > 0) for (let s = 0; s < k; s++) modularity += internal[s] / m - (degree[s] / (2 * m)) ** 2;

  // Structural modularity (Jin et al.) on distinct directed dependencies.
  const size = new Float64Array(k);
  for (const s of serviceOf) size[s]++;
  const mu = new Float64Array(k);
  const sigma = new Map<number, number>();
  let crossWeight = 0;
  const interfaces = new Set<number>();
  for (const [key, w] of g.pairWeight) {
    const a = Math.floor(key / n);
    const b = key % n;
    const sa = serviceOf[a];
    const sb = serviceOf[b];
    if (sa === sb) mu[sa]++;
    else {
      const pair = Math.min(sa, sb) * k + Math.max(sa, sb);
      sigma.set(pair, (sigma.get(pair) ?? 0) + 1);
      crossWeight += w;
      interfaces.add(b);
    }
  }
  let cohesion = 0;
  for (let s = 0; s < k; s++) cohesion += mu[s] / (size[s] * size[s]);
  let coupling = 0;
  for (const [pair, count] of sigma) coupling += count / (2 * size[Math.floor(pair / k)] * size[pair % k]);
  const structuralModularity = k === 0 ? 0 : cohesion / k - (k > 1 ? coupling / ((k * (k - 1)) / 2) : 0);

  return {
    modularity: round(modularity, 6),
    structuralModularity: round(structuralModularity, 6),
    icp: g.runtimeEdgeCount > 0 ? round(crossWeight / g.runtimeEdgeCount, 6) : 0,
    ifn: interfaces.size,
  };
}
