/**
 * What extracting a candidate would cut, read from the report alone: the imports that would cross
 * the new boundary, the tables it shares, the facade rules that would move its routes.
 */
import type { Candidate, Edge, ModuleTableAccess, Route } from '../../analyzer/types';
import { isDependencyEdge, type ViewGraph } from './graph';

export interface BoundaryEdge {
  edge: Edge;
  /** inbound: code outside imports it (calls that become network calls); outbound: it imports code outside. */
  direction: 'inbound' | 'outbound';
}

export interface SharedTable {
  name: string;
  /** What the candidate does with it. */
  access: ModuleTableAccess['access'];
  /** Modules outside the candidate that read / write / define it. */
  readers: string[];
  writers: string[];
  definedBy: string[];
}

export interface FacadeRule {
  name: string;
  match: { prefix: string } | { path: string; methods: string[] };
  routes: Route[];
}

export interface CandidateCut {
  /** Runtime dependency edges with one end inside: what becomes a network call (inbound) or must be copied or called (outbound). */
  boundary: BoundaryEdge[];
  /** Type-only imports across the boundary: no call, but a shared types package or a copy. */
  typeOnly: BoundaryEdge[];
  /** Tables it touches that a module outside also touches. */
  shared: SharedTable[];
  /** Tables it touches that nothing outside does. */
  own: string[];
  rules: FacadeRule[];
}

export function candidateCut(g: ViewGraph, c: Candidate): CandidateCut {
  const inside = new Set(c.modules);
  const boundary: BoundaryEdge[] = [];
  const typeOnly: BoundaryEdge[] = [];
  const seen = new Set<string>();
  for (const e of g.report.edges) {
    const a = inside.has(e.from);
    if (a === inside.has(e.to)) continue;
    const runtime = isDependencyEdge(e);
    // a type-only `via` edge repeats what its file edge says
    if (!runtime && (e.kind !== 'type-only' || e.via !== undefined)) continue;
    const key = `${e.from}\0${e.to}\0${e.line}\0${runtime}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (runtime ? boundary : typeOnly).push({ edge: e, direction: a ? 'outbound' : 'inbound' });
  }
  const order = (x: BoundaryEdge, y: BoundaryEdge): number =>
    (x.direction === y.direction ? 0 : x.direction === 'inbound' ? -1 : 1) || cmp(x.edge.from, y.edge.from) || x.edge.line - y.edge.line || cmp(x.edge.to, y.edge.to);
  boundary.sort(order);
  typeOnly.sort(order);

  const shared: SharedTable[] = [];
  const own: string[] = [];
  const usage = new Map(g.report.tables.map((t) => [t.name, t]));
  for (const t of c.tables) {
    const u = usage.get(t.name);
    const outside = (ids: string[] | undefined): string[] => (ids ?? []).filter((id) => !inside.has(id));
    const s: SharedTable = { name: t.name, access: t.access, readers: outside(u?.readers), writers: outside(u?.writers), definedBy: outside(u?.definedBy) };
    if (s.readers.length || s.writers.length) shared.push(s);
    else own.push(t.name);
  }
  return { boundary, typeOnly, shared, own, rules: facadeRules(c) };
}

/**
 * One facade route per path prefix the ranking found, and one exact-path route for each route no
 * prefix covers, named after the candidate: the entries `routes.yaml` would get.
 */
export function facadeRules(c: Candidate): FacadeRule[] {
  const base = serviceName(c);
  const rules: FacadeRule[] = [];
  const underPrefix = (r: Route, p: string): boolean => r.path === p || r.path.startsWith(p.endsWith('/') ? p : `${p}/`);
  c.pathPrefixes.forEach((prefix) => rules.push({ name: '', match: { prefix }, routes: c.routes.filter((r) => underPrefix(r, prefix)) }));
  const byPath = new Map<string, Route[]>();
  for (const r of c.routes) {
    if (c.pathPrefixes.some((p) => underPrefix(r, p))) continue;
    (byPath.get(r.path) ?? byPath.set(r.path, []).get(r.path)!).push(r);
  }
  for (const [path, routes] of byPath) rules.push({ name: '', match: { path, methods: [...new Set(routes.map((r) => r.method))].sort() }, routes });
  rules.forEach((r, i) => (r.name = rules.length === 1 ? base : `${base}-${i + 1}`));
  return rules;
}

/** The rules as they would be written in routes.yaml (the facade's config). */
export function rulesYaml(rules: FacadeRule[], service: string): string {
  const lines = ['routes:'];
  for (const r of rules) {
    lines.push(`  - name: ${r.name}`);
    if ('prefix' in r.match) lines.push(`    match: { prefix: ${r.match.prefix} }`);
    else lines.push(`    match: { path: '${r.match.path}', methods: [${r.match.methods.join(', ')}] }`);
    lines.push(`    service: ${service}`, '    weight: 0');
  }
  return lines.join('\n');
}

/** `src/feed` → feed, `src/inventory/inventory.router.ts` → inventory, `src/notifications + its cycle partners` → notifications. */
export function serviceName(c: Candidate): string {
  const first = c.name.split(' ')[0];
  const base = first.slice(first.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]sx?$/, '').replace(/\.(router|routes|controller|module|service|handler)s?$/, '');
  return slug(base) || slug(c.id) || 'service';
}

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
