/**
 * What lights up: for a selected module (or folder), everything that depends on it transitively
 * (its blast radius) and everything it depends on; for a candidate, its members and the modules
 * on the other side of the edges its extraction would cut.
 */
import type { CandidateCut } from './candidate';
import type { Cut } from './cut';
import { isDependencyEdge, reach, type ViewGraph } from './graph';

export type NodeState = 'plain' | 'dim' | 'selected' | 'dependent' | 'dependency' | 'both' | 'member' | 'caller' | 'callee';
export type EdgeState = 'plain' | 'dim' | 'dependent' | 'dependency' | 'inbound' | 'outbound';

export interface Focus {
  kind: 'modules' | 'candidate';
  /** The selected modules, or the candidate's members. */
  selected: Set<number>;
  /** Modules outside `selected` that depend on it (distance 1..depth), or the candidate's callers. */
  dependents: Map<number, number>;
  /** Modules outside `selected` it depends on, or the candidate's callees. */
  dependencies: Map<number, number>;
  /** Candidate focus: drawn module pairs crossing the boundary at runtime. */
  crossing?: Map<number, 'inbound' | 'outbound'>;
}

/** Blast radius and dependencies of one module or a set (a folder), `depth` steps at most (null: all, as the report counts). */
export function modulesFocus(g: ViewGraph, modules: readonly number[], depth: number | null): Focus {
  const selected = new Set(modules);
  const outside = (m: Map<number, number>): Map<number, number> => {
    for (const s of selected) m.delete(s);
    return m;
  };
  return {
    kind: 'modules',
    selected,
    dependents: outside(reach(g.depIn, modules, depth ?? Infinity)),
    dependencies: outside(reach(g.depOut, modules, depth ?? Infinity)),
  };
}

export function candidateFocus(g: ViewGraph, members: readonly string[], cut: CandidateCut): Focus {
  const selected = new Set(members.map((id) => g.index.get(id)).filter((m): m is number => m !== undefined));
  const dependents = new Map<number, number>();
  const dependencies = new Map<number, number>();
  for (const b of cut.boundary) {
    if (b.direction === 'inbound') dependents.set(g.index.get(b.edge.from)!, 1);
    else dependencies.set(g.index.get(b.edge.to)!, 1);
  }
  const crossing = new Map<number, 'inbound' | 'outbound'>();
  g.pairs.forEach((p, pi) => {
    const a = selected.has(p.from);
    if (a === selected.has(p.to) || !p.edges.some(isDependencyEdge)) return;
    crossing.set(pi, a ? 'outbound' : 'inbound');
  });
  // an import through a barrel crosses where it is drawn: into the barrel, when the barrel is on the other side
  for (const b of cut.boundary) {
    if (b.edge.via === undefined) continue;
    const from = g.index.get(b.edge.from)!;
    const barrel = g.index.get(b.edge.via);
    if (barrel === undefined || selected.has(from) === selected.has(barrel)) continue;
    const pi = g.pairIndex.get(from * g.ids.length + barrel);
    if (pi !== undefined) crossing.set(pi, b.direction);
    if (b.direction === 'outbound') dependencies.set(barrel, 1);
  }
  return { kind: 'candidate', selected, dependents, dependencies, crossing };
}

/** The state of each drawn item and edge under a focus (all `plain` without one). */
export function cutStates(cut: Cut, focus: Focus | null): { nodes: NodeState[]; edges: EdgeState[] } {
  if (!focus) return { nodes: cut.items.map(() => 'plain'), edges: cut.edges.map(() => 'plain') };
  const SEL = 1;
  const DEP = 2;
  const DEPS = 4;
  const flags = new Uint8Array(cut.items.length);
  const mark = (m: number, f: number): void => {
    const i = cut.itemOf[m];
    if (i >= 0) flags[i] |= f;
  };
  for (const m of focus.selected) mark(m, SEL);
  for (const m of focus.dependents.keys()) mark(m, DEP);
  for (const m of focus.dependencies.keys()) mark(m, DEPS);
  const candidate = focus.kind === 'candidate';
  const nodes = Array.from(flags, (f): NodeState => {
    if (f & SEL) return candidate ? 'member' : 'selected';
    if (f & DEP && f & DEPS) return 'both';
    if (f & DEP) return candidate ? 'caller' : 'dependent';
    if (f & DEPS) return candidate ? 'callee' : 'dependency';
    return 'dim';
  });
  const edges = cut.edges.map((e): EdgeState => {
    if (focus.crossing) {
      for (const p of e.pairs) {
        const c = focus.crossing.get(p);
        if (c) return c;
      }
      return 'dim';
    }
    const s = flags[e.source];
    const t = flags[e.target];
    // an import inside the blast radius, toward the selection; or inside what it depends on, away from it
    if (s & DEP && t & (DEP | SEL)) return 'dependent';
    if (s & (DEPS | SEL) && t & DEPS) return 'dependency';
    return 'dim';
  });
  return { nodes, edges };
}
