/**
 * Louvain communities on the undirected view of the runtime graph, made deterministic:
 * nodes and edges are inserted in sorted order and the algorithm's randomness comes from a
 * seeded PRNG, so the same report always yields the same communities.
 */
import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import type { RankGraph } from './graph';

export const LOUVAIN_SEED = 0x5eed;

/** mulberry32: a tiny, well-known 32-bit seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Undirected pair weights: imports a→b and b→a add up. Keys `min * n + max`. */
export function undirectedWeights(g: RankGraph): Map<number, number> {
  const n = g.ids.length;
  const weights = new Map<number, number>();
  for (const [key, w] of g.pairWeight) {
    const a = Math.floor(key / n);
    const b = key % n;
    const k = a < b ? a * n + b : b * n + a;
    weights.set(k, (weights.get(k) ?? 0) + w);
  }
  return weights;
}

/** Community number per module index (modules without edges are their own community). */
export function louvainCommunities(g: RankGraph): number[] {
  const n = g.ids.length;
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  for (let i = 0; i < n; i++) graph.addNode(String(i));
  const weights = undirectedWeights(g);
  for (const key of [...weights.keys()].sort((x, y) => x - y)) {
    graph.addEdge(String(Math.floor(key / n)), String(key % n), { weight: weights.get(key)! });
  }
  const result = new Array<number>(n);
  if (graph.size === 0) {
    for (let i = 0; i < n; i++) result[i] = i;
    return result;
  }
  const mapping = louvain(graph, { getEdgeWeight: 'weight', rng: seededRandom(LOUVAIN_SEED) });
  for (let i = 0; i < n; i++) result[i] = mapping[String(i)];
  return result;
}

/** Splits each community into its connected pieces (undirected, inside the community). */
export function connectedPieces(g: RankGraph, community: number[]): number[][] {
  const n = g.ids.length;
  const seen = new Uint8Array(n);
  const pieces: number[][] = [];
  for (let start = 0; start < n; start++) {
    if (seen[start]) continue;
    seen[start] = 1;
    const piece = [start];
    for (let head = 0; head < piece.length; head++) {
      const v = piece[head];
      for (const list of [g.out[v], g.in[v]]) {
        for (const w of list) {
          if (seen[w] || community[w] !== community[start]) continue;
          seen[w] = 1;
          piece.push(w);
        }
      }
    }
    pieces.push(piece.sort((x, y) => x - y));
  }
  return pieces;
}
