/**
 * Which candidate the user means: an id, a name or a rank from the report's candidates[], or module
 * paths (comma-separated; a folder stands for the modules under it). A miss names the close matches;
 * a `library` candidate is refused with the reason and the nearest `service` candidates.
 */
import type { Candidate, Report } from '../analyzer/types';

export class CandidateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CandidateError';
  }
}

export function resolveCandidate(report: Report, arg: string): Candidate {
  const wanted = arg.trim();
  const byRank = /^#?\d+$/.test(wanted) ? report.candidates.find((c) => c.rank === Number(wanted.replace('#', ''))) : undefined;
  const found =
    byRank ??
    report.candidates.find((c) => c.id === wanted) ??
    uniqueBy(report.candidates, (c) => c.name === wanted, wanted) ??
    fromModules(report, wanted);
  if (!found) {
    const close = closeMatches(report, wanted);
    throw new CandidateError(
      `extract: no candidate "${wanted}" in the report` +
        (close.length ? `; close matches: ${close.join(', ')}` : `; candidates are named by id, name or rank (see strangler analyze)`),
    );
  }
  if (found.label === 'library') {
    const near = nearestServices(report, found).map((c) => `${c.name} (rank ${c.rank}, ${c.routes.length} routes)`);
    throw new CandidateError(
      `extract: ${found.name} is a library: it serves no routes, so the facade has nothing to move to a service` +
        (near.length ? `; the nearest service candidates: ${near.join(', ')}` : ''),
    );
  }
  return found;
}

function uniqueBy(cands: Candidate[], pred: (c: Candidate) => boolean, wanted: string): Candidate | undefined {
  const hits = cands.filter(pred);
  if (hits.length > 1) {
    // the same name for a folder and its router: the safest one, and say which ids exist
    process.stderr.write(`extract: "${wanted}" names ${hits.length} candidates (${hits.map((c) => c.id).join(', ')}); taking rank ${hits[0].rank}, ${hits[0].id}\n`);
  }
  return hits[0];
}

/** Module paths or folders, comma-separated: an ad-hoc candidate with the routes and tables of those modules. */
function fromModules(report: Report, arg: string): Candidate | undefined {
  const parts = arg.split(',').map((p) => p.trim().replace(/^\.\//, '').replace(/\/$/, '')).filter(Boolean);
  const ids = new Set<string>();
  for (const p of parts) {
    const hits = report.modules.filter((m) => m.id === p || m.id.startsWith(`${p}/`));
    if (!hits.length) return undefined;
    for (const m of hits) ids.add(m.id);
  }
  const modules = report.modules.filter((m) => ids.has(m.id));
  const routes = modules.flatMap((m) => m.routes);
  const tables = new Map<string, 'read' | 'write'>();
  for (const m of modules) for (const t of m.tables) if (tables.get(t.name) !== 'write') tables.set(t.name, t.access);
  return {
    id: `modules:${parts.join(',')}`,
    kind: 'module',
    name: parts.length === 1 ? parts[0] : parts.join(','),
    modules: [...ids].sort(),
    score: 0,
    rank: 0,
    terms: [],
    label: routes.length ? 'service' : 'library',
    routes,
    pathPrefixes: commonPrefixes(routes.map((r) => r.path)),
    tables: [...tables].map(([name, access]) => ({ name, access })),
  };
}

/** The first two path segments of each route, deduplicated: `/api/cart/items/:id` → `/api/cart`. */
function commonPrefixes(paths: string[]): string[] {
  return [...new Set(paths.map((p) => `/${p.split('/').filter(Boolean).slice(0, 2).join('/')}`))].sort();
}

function closeMatches(report: Report, wanted: string): string[] {
  const w = wanted.toLowerCase();
  return report.candidates
    .map((c) => {
      const names = [c.id, c.name, c.name.split('/').pop() ?? c.name].map((n) => n.toLowerCase());
      const d = Math.min(...names.map((n) => (n.includes(w) || w.includes(n) ? 0 : distance(n, w))));
      return { c, d };
    })
    .filter(({ d }) => d <= Math.max(2, Math.floor(w.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.rank - b.c.rank)
    .slice(0, 5)
    .map(({ c }) => `${c.name} (${c.id}, rank ${c.rank})`);
}

/** Service candidates that use `lib` the most (imports into its modules), then share the most modules with it, then the safest. */
function nearestServices(report: Report, lib: Candidate): Candidate[] {
  const mine = new Set(lib.modules);
  return report.candidates
    .filter((c) => c.label === 'service')
    .map((c) => {
      const own = new Set(c.modules);
      const uses = report.edges.filter((e) => !e.via && own.has(e.from) && mine.has(e.to) && !mine.has(e.from)).length;
      return { c, uses, shared: c.modules.filter((m) => mine.has(m)).length };
    })
    .filter(({ uses, shared }) => uses + shared > 0)
    .sort((a, b) => b.uses - a.uses || b.shared - a.shared || a.c.rank - b.c.rank)
    .slice(0, 3)
    .map(({ c }) => c);
}

/** Levenshtein distance. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
