/**
 * Infrastructure routes: health and readiness probes, metrics, the site root, catch-alls and the
 * web's well-known static files. They exist in every service (or belong to the edge), so they
 * never make a candidate a service and are never proposed as a facade rule: a rule for `/{*splat}`
 * would take every path nobody else matched, one for `/health` would send the legacy app's probe
 * to the new service.
 */
import type { InfrastructureKind, Route } from '../types';

/** Leading segments that only say "this is the API": `/api`, `/v2`, `/api/v1`, `/internal`. */
const API_PREFIX = /^(api|rest|v\d+(\.\d+)*|internal|_)$/i;
const PROBES = new Set(['health', 'healthz', 'healthcheck', 'health-check', 'health_check', '_health', 'healthy', 'livez', 'readyz', 'startupz', 'live', 'ready', 'liveness', 'readiness', 'heartbeat', 'alive', 'ping', 'status', '_status', 'version']);
const METRICS = new Set(['metrics', '_metrics', 'prometheus']);
/** Profilers and debuggers for operators (`/debug/pprof/heap`). */
const DEBUG = new Set(['debug', '_debug', 'pprof']);
/**
 * Segments that say "operators only" wherever they stand (`/internal-backstage/prometheus`,
 * `/admin/heap-snapshot`): unlike `metrics`, no domain uses these words for its own data.
 */
const OPERATOR_ANYWHERE = new Map<string, InfrastructureRoute>([
  ['prometheus', { kind: 'metrics', reason: 'a metrics endpoint for the monitoring system' }],
  ['heap-snapshot', { kind: 'metrics', reason: "an operator's debugging or profiling endpoint" }],
  ['heapdump', { kind: 'metrics', reason: "an operator's debugging or profiling endpoint" }],
  ['heap-dump', { kind: 'metrics', reason: "an operator's debugging or profiling endpoint" }],
]);
const STATIC_FILES = new Set(['robots.txt', 'favicon.ico', 'sitemap.xml', 'humans.txt', 'security.txt', 'ads.txt', 'manifest.json', 'site.webmanifest', 'manifest.webmanifest', 'browserconfig.xml']);
/**
 * A segment that is wholly a parameter or pattern (`:id`, `:path*`, `*`, `{*splat}`, `(.*)`);
 * `streaming*` keeps a literal start and `<dynamic>` is an unknown literal: neither is a catch-all.
 */
const isPattern = (segment: string): boolean => /^[:*({]/.test(segment);

export interface InfrastructureRoute {
  kind: InfrastructureKind;
  /** Why, for a person: `a health probe`, `a catch-all: it matches every path nothing else does`. */
  reason: string;
}

export function infrastructureOf(route: Pick<Route, 'path'>): InfrastructureRoute | undefined {
  const segments = route.path.split('/').filter(Boolean);
  let first = 0;
  while (first < segments.length && API_PREFIX.test(segments[first])) first++;
  const rest = segments.slice(first);
  if (rest.length === 0) return { kind: 'root', reason: segments.length === 0 ? 'the site root' : "the API's root" };
  if (rest.every(isPattern)) return { kind: 'catch-all', reason: `a catch-all: it matches every path${first ? ` under /${segments.slice(0, first).join('/')}` : ''} that nothing else does` };
  const head = rest[0].toLowerCase();
  if (PROBES.has(head) && !rest.some(isPattern)) return { kind: 'probe', reason: head === 'version' ? 'a version probe' : head === 'ping' ? 'a liveness ping' : 'a health or readiness probe' };
  if (METRICS.has(head) && rest.length <= 2 && !rest.some(isPattern)) return { kind: 'metrics', reason: 'a metrics endpoint for the monitoring system' };
  if (DEBUG.has(head)) return { kind: 'metrics', reason: "an operator's debugging or profiling endpoint" };
  const operator = rest.map((s) => OPERATOR_ANYWHERE.get(s.toLowerCase())).find(Boolean);
  if (operator) return { ...operator };
  const last = segments[segments.length - 1].toLowerCase();
  if (STATIC_FILES.has(last) || last.endsWith('.webmanifest')) return { kind: 'static-file', reason: `the web's well-known file ${last}` };
  return undefined;
}
