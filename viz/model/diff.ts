/** What changed between two reports of the same project (`strangler view --watch`). */
import type { Edge, Report } from '../../analyzer/types';

export interface ScoreChange {
  id: string;
  name: string;
  before: { score: number; rank: number } | null;
  after: { score: number; rank: number } | null;
}

export interface ReportDiff {
  modulesAdded: string[];
  modulesRemoved: string[];
  edgesAdded: Edge[];
  edgesRemoved: Edge[];
  cyclesAdded: string[][];
  cyclesRemoved: string[][];
  /** Candidates whose score or rank moved, that appeared or that went. */
  scores: ScoreChange[];
  /** Modules whose own figures (loc, coupling, routes, tables) changed. */
  modulesChanged: string[];
  empty: boolean;
}

const edgeKey = (e: Edge): string => `${e.from}\0${e.to}\0${e.kind}`;
const cycleKey = (c: string[]): string => c.join('\0');

export function diffReports(before: Report, after: Report): ReportDiff {
  const beforeModules = new Map(before.modules.map((m) => [m.id, m]));
  const afterIds = new Set(after.modules.map((m) => m.id));
  const modulesAdded = after.modules.filter((m) => !beforeModules.has(m.id)).map((m) => m.id);
  const modulesRemoved = before.modules.filter((m) => !afterIds.has(m.id)).map((m) => m.id);
  const modulesChanged = after.modules
    .filter((m) => {
      const b = beforeModules.get(m.id);
      return b !== undefined && JSON.stringify({ ...b, routes: b.routes.map((r) => `${r.method} ${r.path}`) }) !== JSON.stringify({ ...m, routes: m.routes.map((r) => `${r.method} ${r.path}`) });
    })
    .map((m) => m.id);

  // file edges only: a via edge repeats an import through a barrel
  const fileEdges = (r: Report): Map<string, Edge> => new Map(r.edges.filter((e) => e.via === undefined).map((e) => [edgeKey(e), e]));
  const eb = fileEdges(before);
  const ea = fileEdges(after);
  const edgesAdded = [...ea].filter(([k]) => !eb.has(k)).map(([, e]) => e);
  const edgesRemoved = [...eb].filter(([k]) => !ea.has(k)).map(([, e]) => e);

  const cb = new Set(before.cycles.map(cycleKey));
  const ca = new Set(after.cycles.map(cycleKey));
  const cyclesAdded = after.cycles.filter((c) => !cb.has(cycleKey(c)));
  const cyclesRemoved = before.cycles.filter((c) => !ca.has(cycleKey(c)));

  const candBefore = new Map(before.candidates.map((c) => [c.id, c]));
  const candAfter = new Map(after.candidates.map((c) => [c.id, c]));
  const scores: ScoreChange[] = [];
  for (const [id, a] of candAfter) {
    const b = candBefore.get(id);
    if (!b || b.score !== a.score || b.rank !== a.rank) scores.push({ id, name: a.name, before: b ? { score: b.score, rank: b.rank } : null, after: { score: a.score, rank: a.rank } });
  }
  for (const [id, b] of candBefore) if (!candAfter.has(id)) scores.push({ id, name: b.name, before: { score: b.score, rank: b.rank }, after: null });
  scores.sort((x, y) => (x.after?.rank ?? Infinity) - (y.after?.rank ?? Infinity) || (x.id < y.id ? -1 : 1));

  const empty = !modulesAdded.length && !modulesRemoved.length && !edgesAdded.length && !edgesRemoved.length && !cyclesAdded.length && !cyclesRemoved.length && !scores.length && !modulesChanged.length;
  return { modulesAdded, modulesRemoved, edgesAdded, edgesRemoved, cyclesAdded, cyclesRemoved, scores, modulesChanged, empty };
}
