/**
 * Candidates that are the same move under two names (a folder and its only router, a folder and the
 * community that is nearly it) are shown once: the better-ranked one, with the others as its variants.
 * The same move: the same routes, mostly the same modules, the same runtime cycles cut (a variant
 * that closes a cycle the other cuts is a different decision) and nearly the same score.
 */
import type { ScoredCandidate } from './terms';

/** Same routes and at least this share of modules in common (Jaccard): the same service. */
const SAME_SERVICE = 0.5;
/** Without routes the module sets must be nearly equal to be the same library. */
const SAME_LIBRARY = 0.8;
/** A larger score difference is a real choice between the two: both are shown. */
const SAME_SCORE = 0.1;

const cyclesCut = (c: ScoredCandidate): number => c.terms.find((t) => t.name === 'cycleCut')?.value ?? 0;

/** Its routes and GraphQL operations, as one key: the traffic the move takes. */
const routeKey = (c: ScoredCandidate): string =>
  [...c.routes.map((r) => `${r.method} ${r.path} ${r.module}:${r.line}`), ...(c.graphql ?? []).map((o) => `${o.type}.${o.field} ${o.path} ${o.module}:${o.line}`)].sort().join('\n');

/** How many ids two sorted id lists share. */
function common(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared;
}

/**
 * The same move twice: equal routes, the same cycles cut, a score at most SAME_SCORE worse, and
 * module sets that overlap by the threshold or (with routes) one inside the other: a folder that
 * holds only a router, and that router with the private helpers it brings from other folders.
 */
function sameMove(best: ScoredCandidate, c: ScoredCandidate): boolean {
  if (c.score - best.score > SAME_SCORE || cyclesCut(best) !== cyclesCut(c)) return false;
  const [small, large] = best.modules.length <= c.modules.length ? [best, c] : [c, best];
  const shared = common(small.modules, large.modules);
  const jaccard = shared / (small.modules.length + large.modules.length - shared);
  if (c.label === 'service') return jaccard >= SAME_SERVICE || shared === small.modules.length;
  return jaccard >= SAME_LIBRARY;
}

/**
 * `sorted`: best first. Each group of the same move is shown once, as its fullest member (most
 * modules: what really moves together; ties: the better score), the others as its variants.
 */
export function foldVariants(sorted: ScoredCandidate[], compare: (a: ScoredCandidate, b: ScoredCandidate) => number): ScoredCandidate[] {
  const groups: ScoredCandidate[][] = [];
  const byRoutes = new Map<string, ScoredCandidate[][]>();
  for (const c of sorted) {
    const key = routeKey(c);
    const candidates = byRoutes.get(key) ?? [];
    const group = candidates.find((g) => sameMove(g[0], c));
    if (group) group.push(c);
    else {
      groups.push([c]);
      candidates.push(groups[groups.length - 1]);
      byRoutes.set(key, candidates);
    }
  }
  return groups
    .map((g) => {
      const shown = g.reduce((a, b) => (b.modules.length > a.modules.length ? b : a));
      const others = g.filter((c) => c !== shown);
      return others.length ? { ...shown, variants: others.map((c) => ({ id: c.id, kind: c.kind, score: c.score, moduleCount: c.modules.length })) } : shown;
    })
    .sort(compare);
}
