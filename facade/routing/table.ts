/**
 * The routing table: an immutable snapshot compiled from a config. Routes are tried in config
 * order and the first match wins (put specific routes before general ones; the order is visible
 * in the file, unlike a longest-prefix rule that silently reorders). Nothing matched → legacy.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { pathToRegexp } from 'path-to-regexp';
import type { FacadeConfig, RouteConfig } from '../config/schema';
import { bucketOf, toService } from './hash';
import { stickyKey, type StickyKey } from './sticky';

export type Side = 'legacy' | 'service';

export interface MatchedRoute {
  readonly name: string;
  readonly index: number;
  readonly config: RouteConfig;
  readonly service: string;
  /** Buckets (of 10,000) below which a request goes to the service. */
  readonly threshold: number;
  readonly retryMethods: ReadonlySet<string>;
}

interface CompiledMatcher {
  route: MatchedRoute;
  matchPath: (path: string) => boolean;
  methods: ReadonlySet<string> | null;
  headers: ReadonlyArray<readonly [string, string]> | null;
}

export type Reason = 'weight' | 'override' | 'unmatched';

export interface Decision {
  route: MatchedRoute | null;
  side: Side;
  reason: Reason;
}

const SAFE = ['GET', 'HEAD', 'OPTIONS'];

export class RoutingTable {
  private readonly matchers: CompiledMatcher[];
  private readonly stickyKeys: StickyKey[];
  private readonly overrideHeader: string | null;
  readonly routes: readonly MatchedRoute[];

  constructor(config: FacadeConfig) {
    this.matchers = config.routes.map((r, index) => compile(r, index));
    this.routes = this.matchers.map((m) => m.route);
    this.stickyKeys = config.sticky.keys;
    this.overrideHeader = config.override.enabled ? config.override.header : null;
  }

  match(method: string, path: string, headers: IncomingHttpHeaders): MatchedRoute | null {
    const ms = this.matchers;
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i];
      if (m.methods !== null && !m.methods.has(method)) continue;
      if (!m.matchPath(path)) continue;
      if (m.headers !== null && !headersMatch(m.headers, headers)) continue;
      return m.route;
    }
    return null;
  }

  /** Routes the request and picks its side, before health and breaker state are considered. */
  decide(method: string, path: string, headers: IncomingHttpHeaders, clientIp: string): Decision {
    const route = this.match(method, path, headers);
    if (route === null) return { route, side: 'legacy', reason: 'unmatched' };
    if (this.overrideHeader !== null) {
      const forced = headers[this.overrideHeader];
      if (forced === 'legacy') return { route, side: 'legacy', reason: 'override' };
      if (forced === 'service' || forced === route.service) return { route, side: 'service', reason: 'override' };
    }
    return { route, side: this.sideFor(route, headers, clientIp), reason: 'weight' };
  }

  sideFor(route: MatchedRoute, headers: IncomingHttpHeaders, clientIp: string): Side {
    if (route.threshold <= 0) return 'legacy';
    if (route.threshold >= 10_000) return 'service';
    const key = stickyKey(this.stickyKeys, headers, clientIp);
    return toService(bucketOf(route.name, key), route.threshold / 100) ? 'service' : 'legacy';
  }
}

function compile(config: RouteConfig, index: number): CompiledMatcher {
  const m = config.match;
  return { route: matchedRoute(config, index), matchPath: pathMatcher(m.prefix, m.path, m.caseSensitive === true), methods: methodSet(m.methods), headers: headerConditions(m.headers) };
}

/**
 * One case rule for both matchers: `caseSensitive` false (the default, as in Express) compares
 * letters case-insensitively for `prefix` and `path` alike. The path itself is forwarded as sent.
 */
export function pathMatcher(prefix: string | undefined, pattern: string | undefined, caseSensitive: boolean): (path: string) => boolean {
  if (prefix === undefined) {
    const { regexp } = pathToRegexp(pattern!, { sensitive: caseSensitive });
    return (path) => regexp.test(path);
  }
  const p = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (p === '/') return () => true; // every origin-form path starts with `/`
  const below = p + '/';
  if (caseSensitive || p.toLowerCase() === p.toUpperCase()) return (path) => path === p || path.startsWith(below);
  // The exact spelling first (the common case, no regexp); any other letter case through one.
  const folded = new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:/|$)`, 'i');
  return (path) => path === p || path.startsWith(below) || folded.test(path);
}

function methodSet(list: readonly string[] | undefined): ReadonlySet<string> | null {
  if (!list || list.length === 0) return null;
  const methods = new Set(list);
  // Like express: a GET route answers HEAD too.
  if (methods.has('GET')) methods.add('HEAD');
  return methods;
}

function headerConditions(h: Record<string, string> | undefined): ReadonlyArray<readonly [string, string]> | null {
  return h && Object.keys(h).length > 0 ? Object.entries(h) : null;
}

function matchedRoute(config: RouteConfig, index: number): MatchedRoute {
  return {
    name: config.name,
    index,
    config,
    service: config.service,
    threshold: Math.round(config.weight * 100),
    retryMethods: new Set([...SAFE, ...config.safeMethods]),
  };
}

function headersMatch(conds: ReadonlyArray<readonly [string, string]>, headers: IncomingHttpHeaders): boolean {
  for (let i = 0; i < conds.length; i++) {
    if (headers[conds[i][0]] !== conds[i][1]) return false;
  }
  return true;
}
