/** Search by file name or route path: `orders.service`, `/api/orders/:id`, or a concrete URL `/api/orders/42`. */
import type { Route } from '../../analyzer/types';
import type { ViewGraph } from './graph';

export type Hit = { kind: 'module'; module: number; score: number } | { kind: 'route'; module: number; route: Route; score: number };

const MAX_HITS = 30;

export function search(g: ViewGraph, query: string): Hit[] {
  const q = query.trim();
  if (!q) return [];
  const hits: Hit[] = [];
  const lower = q.toLowerCase();
  if (!q.startsWith('/')) {
    g.ids.forEach((id, m) => {
      const low = id.toLowerCase();
      const base = low.slice(low.lastIndexOf('/') + 1);
      let score = -1;
      if (base === lower || low === lower) score = 0;
      else if (base.startsWith(lower)) score = 1;
      else if (base.includes(lower)) score = 2;
      else if (low.includes(lower)) score = 3;
      if (score >= 0) hits.push({ kind: 'module', module: m, score });
    });
  }
  for (const r of g.report.routes) {
    const m = g.index.get(r.module);
    if (m === undefined) continue;
    let score = -1;
    if (r.path.toLowerCase() === lower) score = 0;
    else if (q.startsWith('/') && routeMatches(r.path, q)) score = 1;
    else if (r.path.toLowerCase().startsWith(lower)) score = 2;
    else if (r.path.toLowerCase().includes(lower)) score = 3;
    if (score >= 0) hits.push({ kind: 'route', module: m, route: r, score });
  }
  return hits
    .sort((a, b) => a.score - b.score || (a.kind === b.kind ? 0 : a.kind === 'route' ? -1 : 1) || g.ids[a.module].length - g.ids[b.module].length || (g.ids[a.module] < g.ids[b.module] ? -1 : 1))
    .slice(0, MAX_HITS);
}

/** Does a concrete path (`/api/orders/42`) match an express pattern (`/api/orders/:id`, `/files/*rest`, `{/:opt}`)? */
export function routeMatches(pattern: string, path: string): boolean {
  const want = path.split('?')[0].replace(/\/+$/, '').split('/');
  const have = pattern
    .replace(/\{([^}]*)\}/g, '$1') // optional groups: matched as if present
    .replace(/\/+$/, '')
    .split('/');
  for (let i = 0; i < have.length; i++) {
    const seg = have[i];
    if (seg.startsWith('*')) return true; // wildcard: the rest of the path
    if (i >= want.length) return false;
    if (seg.startsWith(':')) {
      if (want[i] === '') return false;
      continue;
    }
    if (seg.toLowerCase() !== want[i].toLowerCase()) return false;
  }
  return have.length === want.length;
}
