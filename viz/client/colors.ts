/** Node colours for each colour mode, and what the legend says about them. */
import { scaleSequential, scaleSequentialLog } from 'd3-scale';
import { interpolateRdYlGn, interpolateSpectral, schemeTableau10, schemeSet2, schemeDark2 } from 'd3-scale-chromatic';
import type { Item } from '../model/cut';
import type { ViewGraph } from '../model/graph';
import type { ColorMode } from '../model/url-state';

export const NONE = '#c3c7cf';
export const HIGHLIGHT = {
  dependents: '#e8590c',
  dependencies: '#1971c2',
  both: '#ae3ec9',
  selected: '#111',
  member: '#7048e8',
  cycle: '#e03131',
  changed: '#f59f00',
  search: '#0ca678',
} as const;

const CATEGORICAL = [...schemeTableau10, ...schemeSet2, ...schemeDark2];
const categorical = (i: number): string => (i < 0 ? NONE : i < CATEGORICAL.length ? CATEGORICAL[i] : `hsl(${(i * 137.5) % 360} 55% 55%)`);

export type LegendEntry = { color: string; label: string };
export type Legend = { title: string; entries: LegendEntry[]; gradient?: { from: string; mid: string; to: string; low: string; high: string } };

export interface Palette {
  /** Colour of a drawn item (a folder takes its modules' majority, minimum or loc-weighted mean). */
  color(item: Item): string;
  legend: Legend;
}

export function palette(g: ViewGraph, mode: ColorMode): Palette {
  switch (mode) {
    case 'service': {
      const services = g.report.decomposition.services;
      return {
        color: (item) => categorical(majority(g, item, (m) => g.serviceOf[m])),
        legend: { title: 'suggested service', entries: [...services.map((s, i) => ({ color: categorical(i), label: s.name })), { color: NONE, label: 'none' }] },
      };
    }
    case 'rank': {
      const best = g.ids.map((_, m) => Math.min(...g.candidatesOf[m].map((c) => g.report.candidates[c].rank), Infinity));
      const max = Math.max(2, g.report.candidates.length);
      const scale = scaleSequentialLog((t: number) => interpolateRdYlGn(1 - t)).domain([1, max]);
      return {
        color: (item) => {
          const r = minOver(g, item, (m) => best[m]);
          return Number.isFinite(r) ? scale(r) : NONE;
        },
        legend: {
          title: 'best candidate rank (a module takes its best-ranked candidate)',
          entries: [{ color: NONE, label: 'in no candidate' }],
          gradient: { from: scale(1), mid: scale(Math.sqrt(max)), to: scale(max), low: 'rank 1 (safest)', high: `rank ${max}` },
        },
      };
    }
    case 'folder': {
      const groups = folderGroups(g);
      return {
        color: (item) => categorical(majority(g, item, (m) => groups.groupOf[m])),
        legend: { title: 'folder', entries: groups.names.map((name, i) => ({ color: categorical(i), label: name })) },
      };
    }
    case 'instability': {
      const scale = scaleSequential((t: number) => interpolateSpectral(1 - t)).domain([0, 1]);
      return {
        color: (item) => scale(locMean(g, item, (m) => g.modules[m].instability)),
        legend: { title: 'instability Ce / (Ca + Ce), runtime edges', entries: [], gradient: { from: scale(0), mid: scale(0.5), to: scale(1), low: '0 stable', high: '1 unstable' } },
      };
    }
  }
}

/** Modules an item stands for (the module itself, or everything below a folder). */
export function modulesOf(g: ViewGraph, item: Item): number[] {
  if (item.kind === 'module') return [item.index];
  const out: number[] = [];
  const stack = [item.index];
  while (stack.length) {
    const f = g.folders[stack.pop()!];
    out.push(...f.modules);
    stack.push(...f.children);
  }
  return out;
}

function majority(g: ViewGraph, item: Item, key: (m: number) => number): number {
  if (item.kind === 'module') return key(item.index);
  const weight = new Map<number, number>();
  for (const m of modulesOf(g, item)) weight.set(key(m), (weight.get(key(m)) ?? 0) + Math.max(1, g.modules[m].loc));
  let best = -1;
  let bestW = -1;
  for (const [k, w] of weight) if (w > bestW) [best, bestW] = [k, w];
  return best;
}

function minOver(g: ViewGraph, item: Item, value: (m: number) => number): number {
  return item.kind === 'module' ? value(item.index) : Math.min(...modulesOf(g, item).map(value));
}

function locMean(g: ViewGraph, item: Item, value: (m: number) => number): number {
  if (item.kind === 'module') return value(item.index);
  let sum = 0;
  let w = 0;
  for (const m of modulesOf(g, item)) {
    const loc = Math.max(1, g.modules[m].loc);
    sum += value(m) * loc;
    w += loc;
  }
  return w ? sum / w : 0;
}

/** The first folder level that splits the project (below `src/` when everything is in `src/`); modules directly above it share one colour. */
function folderGroups(g: ViewGraph): { groupOf: Int32Array; names: string[] } {
  let split = g.folders[0];
  while (split.children.length === 1 && split.modules.length <= 3) split = g.folders[split.children[0]];
  const names = [split.path || '.', ...split.children.map((c) => g.folders[c].path)];
  const groupOf = new Int32Array(g.ids.length);
  g.ids.forEach((_, m) => {
    const chain = g.ancestors(m);
    const at = chain.indexOf(split.index);
    const child = at >= 0 ? chain[at + 1] : undefined;
    groupOf[m] = child === undefined ? 0 : 1 + split.children.indexOf(child);
  });
  return { groupOf, names };
}
