/**
 * What is drawn: a cut through the folder tree. An expanded folder shows its modules and its
 * subfolders; a collapsed one is a single node standing for everything below it, and the module
 * pairs between two drawn nodes are aggregated into one edge with counts.
 */
import { globSource } from '../../analyzer/discover/glob';
import type { ViewGraph } from './graph';

/** Up to this many modules the graph opens flat; above it, folders first. */
export const FLAT_LIMIT = 1000;
/** Folders-first opens as many folders as fit in this many drawn nodes. */
export const FOLDER_BUDGET = 600;

export interface Item {
  /** Stable across cuts and report updates: `m:<module id>` or `f:<folder path>`. */
  key: string;
  kind: 'module' | 'folder';
  /** Module index or folder index. */
  index: number;
  /** The folder drawn around it (its parent): pulls siblings together in the layout. */
  group: number;
  loc: number;
  /** Visible modules it stands for (1 for a module). */
  count: number;
}

export interface AggEdge {
  source: number;
  target: number;
  /** Module pairs behind it, and how many of them have a runtime edge / only type-only edges. */
  pairs: number[];
  runtime: number;
  typeOnly: number;
  inCycle: boolean;
}

export interface Cut {
  items: Item[];
  /** Item index drawing each module, -1 when hidden. */
  itemOf: Int32Array;
  edges: AggEdge[];
}

/** The folders open at first: all of them up to FLAT_LIMIT modules; else the biggest folders that hold folders, while FOLDER_BUDGET nodes fit. */
export function initialExpanded(g: ViewGraph): Set<number> {
  const expanded = new Set<number>([0]);
  if (g.ids.length <= FLAT_LIMIT) {
    for (const f of g.folders) expanded.add(f.index);
    return expanded;
  }
  let visible = g.folders[0].children.length + g.folders[0].modules.length;
  // largest first; a folder of files only stays closed: its modules are the detail folders-first hides
  const queue = [...g.folders[0].children];
  while (queue.length) {
    queue.sort((a, b) => g.folders[b].count - g.folders[a].count);
    const f = g.folders[queue.shift()!];
    if (f.children.length === 0) continue;
    const added = f.children.length + f.modules.length - 1;
    if (visible + added > FOLDER_BUDGET) continue;
    expanded.add(f.index);
    visible += added;
    queue.push(...f.children);
  }
  return expanded;
}

export function computeCut(g: ViewGraph, expanded: ReadonlySet<number>, hidden: (moduleIndex: number) => boolean, showTypeOnly: boolean): Cut {
  const items: Item[] = [];
  const itemOf = new Int32Array(g.ids.length).fill(-1);
  const visit = (fi: number, group: number): void => {
    const f = g.folders[fi];
    if (fi === 0 || expanded.has(fi)) {
      for (const m of f.modules) {
        if (hidden(m)) continue;
        itemOf[m] = items.length;
        items.push({ key: `m:${g.ids[m]}`, kind: 'module', index: m, group: fi, loc: g.modules[m].loc, count: 1 });
      }
      for (const c of f.children) visit(c, fi);
      return;
    }
    const at = items.length;
    const item: Item = { key: `f:${f.path}`, kind: 'folder', index: fi, group, loc: 0, count: 0 };
    const stack = [fi];
    while (stack.length) {
      const s = g.folders[stack.pop()!];
      for (const m of s.modules) {
        if (hidden(m)) continue;
        itemOf[m] = at;
        item.loc += g.modules[m].loc;
        item.count++;
      }
      stack.push(...s.children);
    }
    if (item.count > 0) items.push(item);
  };
  visit(0, -1);

  const byKey = new Map<number, AggEdge>();
  const edges: AggEdge[] = [];
  const n = items.length;
  g.pairs.forEach((p, pi) => {
    if (!p.runtime && !showTypeOnly) return;
    const s = itemOf[p.from];
    const t = itemOf[p.to];
    if (s < 0 || t < 0 || s === t) return;
    const key = s * n + t;
    let e = byKey.get(key);
    if (!e) {
      e = { source: s, target: t, pairs: [], runtime: 0, typeOnly: 0, inCycle: false };
      byKey.set(key, e);
      edges.push(e);
    }
    e.pairs.push(pi);
    if (p.runtime) e.runtime++;
    else e.typeOnly++;
    if (p.inCycle) e.inCycle = true;
  });
  return { items, itemOf, edges };
}

/**
 * A hide rule: `src/legacy` hides that folder (or file) and everything below it; with `*`, `**` or `?`
 * it is a glob over module ids (`**\/*.test.ts`), and one without a `/` also matches file names (`*.spec.ts`).
 */
export function hideMatcher(patterns: readonly string[]): (id: string) => boolean {
  const tests = patterns
    .map((p) => p.trim().replace(/^\.\//, '').replace(/\/+$/, ''))
    .filter((p) => p !== '')
    .map((p): ((id: string) => boolean) => {
      if (!/[*?]/.test(p)) return (id) => id === p || id.startsWith(`${p}/`);
      const re = globToRegExp(p);
      return p.includes('/') ? (id) => re.test(id) : (id) => re.test(id) || re.test(id.slice(id.lastIndexOf('/') + 1));
    });
  return (id) => tests.some((t) => t(id));
}

export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`);
}
