/**
 * Ranking: which modules or groups of modules are safest to extract first (least downstream
 * effect), and the suggested decomposition into services. docs/ranking.md documents the formula.
 */
import type { Candidate, RankInput, RankOutput } from '../types';
import { candidateSeeds } from './candidates';
import { louvainCommunities } from './communities';
import { decompose, refinePartition } from './decomposition';
import { buildRankGraph } from './graph';
import { RoutePrefixer } from './prefixes';
import { rankContext, scoreCandidate, type ScoredCandidate } from './terms';
import { foldVariants } from './variants';

export { WEIGHTS, TERM_ORDER, TABLE_POINTS } from './weights';

const KIND_ORDER: Candidate['kind'][] = ['folder', 'router', 'cycle', 'community', 'module'];

/** Lower score first; ties: fewer modules, then kind (folder before router...), then id. */
function compareCandidates(a: ScoredCandidate, b: ScoredCandidate): number {
  return (
    a.score - b.score ||
    a.modules.length - b.modules.length ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function rankCandidates(input: RankInput): RankOutput {
  const g = buildRankGraph(input);
  const ctx = rankContext(g, input, (routes) => new RoutePrefixer(routes));
  const community = louvainCommunities(g);
  const { seeds, routeFolders } = candidateSeeds(g, input, ctx.cycles, community);
  const candidates: Candidate[] = foldVariants(seeds.map((seed) => scoreCandidate(ctx, seed)).sort(compareCandidates), compareCandidates).map((c, i) => ({ ...c, rank: i + 1 }));
  const partition = refinePartition(g, community, [...ctx.cycles, ...routeFolders]);
  return { candidates, decomposition: decompose(g, partition) };
}
