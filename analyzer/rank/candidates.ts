/**
 * Which module sets are worth ranking: folders, routers with their private dependencies,
 * runtime cycles, and Louvain communities. Identical module sets are kept once (first kind wins:
 * folder, router, cycle, community).
 */
import type { Candidate, RankInput } from '../types';
import { connectedPieces } from './communities';
import { compareText, folderOf, type RankGraph } from './graph';
import { infrastructureOf } from './infrastructure';

export interface CandidateSeed {
  id: string;
  kind: Candidate['kind'];
  name: string;
  /** Sorted module indices. */
  members: number[];
}

/** The folder holding most of the members (ties: the alphabetically first). */
export function mainFolder(g: RankGraph, members: number[]): string {
  const counts = new Map<string, number>();
  for (const m of members) {
    const f = folderOf(g.ids[m]);
    counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  let best = '.';
  let bestCount = -1;
  for (const [f, c] of [...counts].sort(([a], [b]) => compareText(a, b))) {
    if (c > bestCount) {
      best = f;
      bestCount = c;
    }
  }
  return best;
}

function ancestorsOf(folder: string): string[] {
  const result: string[] = [];
  let f = folder;
  while (f !== '.') {
    result.push(f);
    const slash = f.lastIndexOf('/');
    f = slash < 0 ? '.' : f.slice(0, slash);
  }
  result.push('.');
  return result;
}

/**
 * Every folder is a candidate. A folder whose route-owning code sits in two or more of its
 * subfolders is a composition folder (the app root, a `modules/` folder): only its own files count,
 * so `src/` does not swallow every domain. Any other folder brings its whole subtree: a domain with
 * its router in `controllers/` or a sub-router in `items/` is one candidate. A folder without routes
 * inside a domain (a folder with some of the app's routes, not all, and not a composition folder:
 * `auth/dto/`, `payments/providers/`) moves with the domain: not a candidate of its own.
 */
function folderCandidates(g: RankGraph, routeModules: Set<number>): CandidateSeed[] {
  const routeFolders = new Set([...routeModules].map((m) => folderOf(g.ids[m])));
  const folders = new Set<string>();
  for (const id of g.ids) for (const f of ancestorsOf(folderOf(id))) folders.add(f);
  // the immediate subfolders through which each folder reaches route-owning code
  const routeBranches = new Map<string, Set<string>>();
  for (const rf of routeFolders) {
    const chain = ancestorsOf(rf);
    for (let i = 1; i < chain.length; i++) {
      const branches = routeBranches.get(chain[i]) ?? new Set<string>();
      branches.add(chain[i - 1]);
      routeBranches.set(chain[i], branches);
    }
  }
  const containers = new Set([...routeBranches].filter(([, b]) => b.size >= 2).map(([f]) => f));
  const hasRoutes = (f: string): boolean => routeFolders.has(f) || routeBranches.has(f);
  // the folder that holds every route folder is the app, not a domain
  const holdsAll = (f: string): boolean => [...routeFolders].every((rf) => rf === f || ancestorsOf(rf).includes(f));
  const isDomain = (f: string): boolean => f !== '.' && hasRoutes(f) && !containers.has(f) && !holdsAll(f);
  const inDomain = (f: string): boolean => !hasRoutes(f) && ancestorsOf(f).slice(1).some(isDomain);
  const direct = new Map<string, number[]>();
  const subtree = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  g.ids.forEach((id, i) => {
    push(direct, folderOf(id), i);
    for (const f of ancestorsOf(folderOf(id))) push(subtree, f, i);
  });
  const seeds: CandidateSeed[] = [];
  for (const folder of [...folders].sort()) {
    if (inDomain(folder)) continue;
    const members = (containers.has(folder) ? direct.get(folder) : subtree.get(folder)) ?? [];
    if (members.length === 0 || members.length === g.ids.length) continue;
    seeds.push({ id: `folder:${folder}`, kind: 'folder', name: folder === '.' ? '(root)' : folder, members });
  }
  return seeds;
}

/**
 * A folder that cuts runtime cycles, closed over those cycles: the "extract together" option.
 * Offered when the partners it brings are no more than the folder's own modules; a larger cycle
 * is offered as the cycle candidate itself.
 */
function cycleClosedFolders(g: RankGraph, folders: CandidateSeed[], cycles: number[][]): CandidateSeed[] {
  const cycleOf = new Int32Array(g.ids.length).fill(-1);
  cycles.forEach((c, i) => c.forEach((m) => (cycleOf[m] = i)));
  const seeds: CandidateSeed[] = [];
  for (const f of folders) {
    const insideCount = new Map<number, number>();
    for (const m of f.members) if (cycleOf[m] >= 0) insideCount.set(cycleOf[m], (insideCount.get(cycleOf[m]) ?? 0) + 1);
    const cut = [...insideCount].filter(([c, n]) => n < cycles[c].length).map(([c]) => c);
    if (cut.length === 0) continue;
    const added = cut.reduce((sum, c) => sum + cycles[c].length - insideCount.get(c)!, 0);
    if (added > f.members.length) continue;
    const inside = new Set(f.members);
    for (const c of cut) for (const m of cycles[c]) inside.add(m);
    seeds.push({
      id: `${f.id}+cycles`,
      kind: 'folder',
      name: `${f.name} + its cycle partners`,
      members: [...inside].sort((a, b) => a - b),
    });
  }
  return seeds;
}

/** A router plus the modules only it (transitively) imports: what moves with it at no extra cost. */
function routerCandidates(g: RankGraph, routeModules: Set<number>): CandidateSeed[] {
  const seeds: CandidateSeed[] = [];
  for (const r of [...routeModules].sort((a, b) => a - b)) {
    const inside = new Set([r]);
    const queue = [...g.out[r]];
    while (queue.length > 0) {
      const d = queue.pop()!;
      if (inside.has(d) || routeModules.has(d)) continue;
      if (!g.in[d].every((p) => inside.has(p))) continue;
      inside.add(d);
      queue.push(...g.out[d]);
    }
    seeds.push({ id: `router:${g.ids[r]}`, kind: 'router', name: g.ids[r], members: [...inside].sort((a, b) => a - b) });
  }
  return seeds;
}

function cycleCandidates(g: RankGraph, cycles: number[][]): CandidateSeed[] {
  return cycles.flatMap((members, i) => {
    if (members.length < 2) return [];
    const folders = [...new Set(members.map((m) => folderOf(g.ids[m])))].sort();
    const shown = folders.length > 3 ? `${folders.slice(0, 3).join(', ')}, …` : folders.join(', ');
    return [{ id: `cycle:${i + 1}`, kind: 'cycle' as const, name: `cycle ${i + 1} (${shown})`, members: [...members].sort((a, b) => a - b) }];
  });
}

/**
 * Louvain leaves a module without runtime imports (a types-only file) alone; such a module joins
 * the piece that holds most of its folder, so `feed/feed.types.ts` stays with the feed community.
 */
function communityCandidates(g: RankGraph, community: number[]): CandidateSeed[] {
  const loose = (i: number) => g.out[i].length === 0 && g.in[i].length === 0;
  const pieces = connectedPieces(g, community).filter((p) => p.length >= 2);
  const pieceVotes = new Map<string, Map<number, number>>();
  pieces.forEach((members, p) => {
    for (const m of members) {
      const f = folderOf(g.ids[m]);
      const votes = pieceVotes.get(f) ?? new Map<number, number>();
      votes.set(p, (votes.get(p) ?? 0) + 1);
      pieceVotes.set(f, votes);
    }
  });
  for (let i = 0; i < g.ids.length; i++) {
    const votes = loose(i) ? pieceVotes.get(folderOf(g.ids[i])) : undefined;
    if (!votes) continue;
    const [best] = [...votes].sort(([pa, a], [pb, b]) => b - a || pa - pb)[0];
    pieces[best].push(i);
  }
  return pieces.map((members, i) => {
    const sorted = [...members].sort((a, b) => a - b);
    return { id: `community:${i + 1}`, kind: 'community' as const, name: `${mainFolder(g, sorted)} (community ${i + 1})`, members: sorted };
  });
}

export interface Seeds {
  seeds: CandidateSeed[];
  /** Module sets of the route-owning folders' candidates (before dedupe): kept whole in the decomposition. */
  routeFolders: number[][];
}

export function candidateSeeds(g: RankGraph, input: RankInput, cycles: number[][], community: number[]): Seeds {
  // Modules with routes the facade can move, or GraphQL resolvers: a module serving only a health probe is no router.
  const routeModules = new Set<number>();
  for (const r of [...input.modules.flatMap((m) => m.routes), ...input.routes]) {
    const i = g.index.get(r.module);
    if (i !== undefined && !infrastructureOf(r)) routeModules.add(i);
  }
  for (const op of input.graphql ?? []) {
    const i = g.index.get(op.module);
    if (i !== undefined) routeModules.add(i);
  }
  const folders = folderCandidates(g, routeModules);
  const all = [
    ...folders,
    ...cycleClosedFolders(g, folders, cycles),
    ...routerCandidates(g, routeModules),
    ...cycleCandidates(g, cycles),
    ...communityCandidates(g, community),
  ];
  const seen = new Set<string>();
  const inert = (m: number): boolean => g.out[m].length === 0 && g.in[m].length === 0 && !routeModules.has(m);
  const seeds = all.filter((s) => {
    // Moving everything is not an extraction.
    if (s.members.length === g.ids.length) return false;
    // Data files (a folder of .json) and code nothing runs against (type declarations, dead files:
    // no runtime import in or out, no route) move for free and tell nothing: not candidates.
    if (s.members.every((m) => g.ids[m].endsWith('.json') || inert(m))) return false;
    const key = s.members.join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const routeFolderIds = new Set([...routeModules].map((m) => `folder:${folderOf(g.ids[m])}`));
  return { seeds, routeFolders: folders.filter((f) => routeFolderIds.has(f.id)).map((f) => f.members) };
}
