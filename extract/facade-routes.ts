/**
 * The facade's side of an extraction: the candidate's routes as route entries pointing at the new
 * service, weight 0 and shadowed, so nothing moves until the user says so. One prefix rule per path
 * prefix of the report when the prefix takes nothing that stays in the monolith; exact path rules
 * otherwise. Added to a routes config with its comments kept, and checked against the facade's schema.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { FacadeConfigSchema } from '../facade/config/schema';
import type { Route } from '../analyzer/types';
import type { ExtractPlan } from './plan';

export interface RouteEntry {
  name: string;
  match: { prefix: string } | { path: string; methods: string[] };
  service: string;
  weight: 0;
  shadow: { percent: number; compare: { ignore: string[] } };
}

export function facadeRoutes(plan: ExtractPlan): RouteEntry[] {
  const mine = new Set(plan.candidate.routes.map((r) => `${r.method} ${r.path}`));
  const others = plan.report.routes.filter((r) => !mine.has(`${r.method} ${r.path}`));
  const ignore = plan.volatileFields.flatMap((f) => ['$', '$.*', '$.*.*', '$.*.*.*'].map((p) => `${p}.${f}`));
  const shadow = { percent: 100, compare: { ignore } };
  const matches: RouteEntry['match'][] = [];
  const covered = new Set<string>();
  for (const prefix of plan.candidate.pathPrefixes) {
    const under = (r: Route) => r.path === prefix || r.path.startsWith(`${prefix}/`);
    if (prefix === '/' || others.some(under)) continue;
    matches.push({ prefix });
    for (const r of plan.candidate.routes.filter(under)) covered.add(`${r.method} ${r.path}`);
  }
  const byPath = new Map<string, string[]>();
  for (const r of plan.candidate.routes) if (!covered.has(`${r.method} ${r.path}`)) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.method]);
  for (const [p, methods] of [...byPath].sort()) matches.push({ path: p, methods: [...new Set(methods)].sort() });
  return matches.map((match, i) => ({ name: i === 0 ? plan.name : `${plan.name}-${i + 1}`, match, service: plan.name, weight: 0, shadow }));
}

export class RoutesConfigError extends Error {}

/**
 * The routes config with this service and its routes added (or, with `force`, replaced). A new file
 * when `text` is null. Throws RoutesConfigError when the result would not be a valid facade config.
 */
export function addToRoutesConfig(text: string | null, file: string, plan: ExtractPlan, routes: RouteEntry[], serviceUrl: string, legacyUrl: string, force: boolean): string {
  const doc: Document = text === null ? parseDocument(`# the strangler facade's routes (docs/facade.md)\nlegacy: ${legacyUrl}\nservices: {}\nroutes: []\n`) : parseDocument(text);
  if (doc.errors.length) throw new RoutesConfigError(`${file}: ${doc.errors[0].message}`);
  if (!doc.has('services') || !isMap(doc.get('services'))) doc.set('services', doc.createNode({}));
  if (!doc.has('routes') || !isSeq(doc.get('routes'))) doc.set('routes', doc.createNode([]));
  const services = doc.get('services') as ReturnType<Document['createNode']> & { has(k: string): boolean; set(k: string, v: unknown): void };
  if (services.has(plan.name) && !force) throw new RoutesConfigError(`${file}: a service named ${plan.name} is already there (use --force to replace it, or --name to pick another)`);
  services.set(plan.name, doc.createNode({ urls: [serviceUrl], healthCheck: { path: '/health' } }));
  const seq = doc.get('routes') as { items: unknown[]; add(v: unknown): void };
  const names = new Set(routes.map((r) => r.name));
  const existing = seq.items.filter((item) => isMap(item) && names.has(String(item.get('name'))));
  if (existing.length && !force) throw new RoutesConfigError(`${file}: route ${routes.filter((r) => seq.items.some((i) => isMap(i) && i.get('name') === r.name)).map((r) => r.name).join(', ')} is already there (use --force to replace)`);
  seq.items = seq.items.filter((item) => !existing.includes(item));
  for (const r of routes) seq.add(doc.createNode(r));
  const out = doc.toString();
  const parsed = FacadeConfigSchema.safeParse(parseDocument(out).toJS());
  if (!parsed.success) throw new RoutesConfigError(`${file}: the result would not be a valid facade config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return out;
}

/** The next free `http://127.0.0.1:<port>` after the services a routes config already has (4001 when it has none). */
export function nextServiceUrl(text: string | null): string {
  const used = new Set<number>();
  for (const m of (text ?? '').matchAll(/https?:\/\/[^\s/:'"\]]+:(\d+)/g)) used.add(Number(m[1]));
  let port = 4001;
  while (used.has(port)) port++;
  return `http://127.0.0.1:${port}`;
}
