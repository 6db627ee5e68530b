/**
 * The module graph as the diagram reporters draw it: modules grouped by folder, one edge per
 * (from, to, style), runtime cycle edges marked. `via` edges are left out: they repeat an import
 * that the drawing already shows through the barrel's own re-export edges.
 */
import { compareText, folderOf } from '../rank/graph';
import type { Report } from '../types';

export type EdgeStyle = 'runtime' | 'type-only' | 'dynamic';

export interface ViewEdge {
  from: string;
  to: string;
  style: EdgeStyle;
  /** Both ends are in the same runtime cycle and the edge exists at runtime. */
  inCycle: boolean;
}

export interface GraphView {
  /** Folder → module ids (sorted), folders sorted. */
  folders: [string, string[]][];
  edges: ViewEdge[];
  /** Modules of the rank-1 candidate, highlighted. */
  best: Set<string>;
}

export const baseName = (id: string): string => id.slice(id.lastIndexOf('/') + 1);

export function graphView(report: Report): GraphView {
  const ids = new Set(report.modules.map((m) => m.id));
  for (const e of report.edges) {
    ids.add(e.from);
    ids.add(e.to);
  }
  const byFolder = new Map<string, string[]>();
  for (const id of [...ids].sort()) {
    const f = folderOf(id);
    const list = byFolder.get(f);
    if (list) list.push(id);
    else byFolder.set(f, [id]);
  }
  const cycleOf = new Map<string, number>();
  report.cycles.forEach((c, i) => c.forEach((id) => cycleOf.set(id, i)));
  const edges = new Map<string, ViewEdge>();
  for (const e of report.edges) {
    if (e.via !== undefined) continue;
    const style: EdgeStyle = e.kind === 'type-only' ? 'type-only' : e.kind === 'dynamic' ? 'dynamic' : 'runtime';
    const key = `${e.from}\0${e.to}\0${style}`;
    if (edges.has(key)) continue;
    const inCycle = style !== 'type-only' && cycleOf.has(e.from) && cycleOf.get(e.from) === cycleOf.get(e.to);
    edges.set(key, { from: e.from, to: e.to, style, inCycle });
  }
  return {
    folders: [...byFolder].sort(([a], [b]) => compareText(a, b)),
    edges: [...edges.values()].sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to) || compareText(a.style, b.style)),
    best: new Set(report.candidates[0]?.modules ?? []),
  };
}
