/**
 * A route's match in the forms engines take: the facade's `prefix` matches on segment boundaries
 * and `path` is an express (path-to-regexp 8) pattern; both ignore letter case unless
 * `match.caseSensitive`. Regular expressions here use the syntax RE2 (Envoy), PCRE (nginx) and
 * JavaScript share.
 */
import { pathToRegexp } from 'path-to-regexp';
import type { RouteConfig } from '../facade/config/schema';

export function caseSensitive(route: RouteConfig): boolean {
  return (route.match as { caseSensitive?: boolean }).caseSensitive === true;
}

/** A prefix without its trailing slash (`/api/cart/` and `/api/cart` match alike in the facade). */
export function cleanPrefix(prefix: string): string {
  return prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The whole path-match as one anchored regex (no flags; `(?i)` is added by callers that can). */
export function pathRegex(route: RouteConfig): string {
  const m = route.match;
  if (m.prefix !== undefined) {
    const p = cleanPrefix(m.prefix);
    return p === '/' ? '^/' : `^${escapeRegex(p)}(/|$)`;
  }
  // path-to-regexp's own compilation, so the engine matches exactly what the facade matches;
  // `[^]` (any character, JavaScript only) becomes `[\s\S]`, which RE2 and PCRE also know.
  return pathToRegexp(m.path!, { sensitive: true }).regexp.source.replace(/\[\^\]/g, '[\\s\\S]');
}

/** The literal part of a path pattern before its first parameter or wildcard. */
export function literalHead(route: RouteConfig): string {
  const m = route.match;
  if (m.prefix !== undefined) return cleanPrefix(m.prefix);
  const cut = m.path!.search(/[:*{(]/);
  return cut === -1 ? m.path! : m.path!.slice(0, cut);
}

/** Methods a route answers (`GET` brings `HEAD`, as in the facade); null when any method. */
export function routeMethods(route: RouteConfig): string[] | null {
  const ms = route.match.methods;
  if (!ms || ms.length === 0) return null;
  const set = new Set(ms);
  if (set.has('GET')) set.add('HEAD');
  return [...set];
}

/** Methods retried on legacy when the service fails them (with `fallback: true`). */
export function retryMethods(route: RouteConfig): string[] {
  return [...new Set(['GET', 'HEAD', 'OPTIONS', ...route.safeMethods])];
}

/** Methods mirrored to the shadow service, restricted to those the route answers. */
export function shadowMethods(route: RouteConfig): string[] {
  const shadow = route.shadow!.methods;
  const answered = routeMethods(route);
  return answered === null ? [...shadow] : shadow.filter((m) => answered.includes(m));
}

/**
 * Pairs (earlier, later) where the earlier route catches requests the later one would: in the
 * facade the first match wins, while engines that rank by specificity (Gateway API, nginx prefix
 * locations) let the later, more specific route win. Judged on paths only, so it may name a pair
 * that methods or headers keep apart.
 */
export function overlaps(routes: readonly RouteConfig[]): Array<[RouteConfig, RouteConfig]> {
  const out: Array<[RouteConfig, RouteConfig]> = [];
  routes.forEach((later, j) => {
    for (let i = 0; i < j; i++) {
      const earlier = routes[i];
      if (earlier.match.prefix === undefined) continue;
      const p = cleanPrefix(earlier.match.prefix);
      const head = literalHead(later);
      const fold = (s: string): string => (caseSensitive(earlier) ? s : s.toLowerCase());
      if (p === '/' || fold(head) === fold(p) || fold(head).startsWith(fold(p) + '/')) out.push([earlier, later]);
    }
  });
  return out;
}
