/**
 * Gateway API: one HTTPRoute per facade route (weighted `backendRefs`, header matches for the
 * override, `RequestMirror` for shadow) and one catching everything else for legacy. Gateway API
 * ranks matches by specificity (exact path, longest prefix, method, number of headers), so the
 * override and shadow rules are made more specific than the plain one on purpose.
 */
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute' with { 'resolution-mode': 'import' };
import type { IHTTPRouteRule } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteRule' with { 'resolution-mode': 'import' };
import type { IHTTPRouteMatch } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteMatch' with { 'resolution-mode': 'import' };
import type { IHTTPRouteFilter } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteFilter' with { 'resolution-mode': 'import' };
import type { RouteConfig } from '../../facade/config/schema';
import type { Converter } from '../converter';
import type { Backend, ExportInput } from '../input';
import { dnsLabel } from '../input';
import type { Notes } from '../notes';
import { caseSensitive, cleanPrefix, pathRegex, routeMethods, shadowMethods } from '../match';
import { commonKubeNotes, gatewayRef, integerShares, meta, serviceBackend, yamlDocs, type Doc } from '../kube';

type BackendRef = NonNullable<IHTTPRouteRule['backendRefs']>[number];
type Method = NonNullable<IHTTPRouteMatch['method']>;

/** Which Services stand for the two sides of a route (Argo Rollouts swaps in its stable/canary Services). */
export interface Sides {
  legacy: Backend;
  service: Backend;
}

const ref = (b: Backend, weight?: number): BackendRef => ({ name: b.name, port: b.port, ...(weight === undefined ? {} : { weight }) });

export function pathMatch(route: RouteConfig, notes: Notes): NonNullable<IHTTPRouteMatch['path']> {
  const m = route.match;
  if (m.prefix !== undefined) {
    if (!caseSensitive(route)) notes.add(route.name, 'paths match case-sensitively on Gateway API (PathPrefix); the facade ignores letter case (match.caseSensitive: false)');
    return { type: 'PathPrefix', value: cleanPrefix(m.prefix) };
  }
  notes.add(route.name, `the path pattern ${m.path} is a RegularExpression match, whose support and syntax are implementation-specific (RE2 on Envoy-based gateways)`);
  return { type: 'RegularExpression', value: `${caseSensitive(route) ? '' : '(?i)'}${pathRegex(route)}` };
}

/** The route's matches, one per method when it lists methods (Gateway API takes one method per match). */
export function routeMatches(route: RouteConfig, notes: Notes, methods: string[] | null = routeMethods(route), extraHeaders: Record<string, string> = {}): IHTTPRouteMatch[] {
  const path = pathMatch(route, notes);
  const headers = Object.entries({ ...route.match.headers, ...extraHeaders }).map(([name, value]) => ({ type: 'Exact' as const, name, value }));
  const base: IHTTPRouteMatch = { path, ...(headers.length ? { headers } : {}) };
  return methods === null ? [base] : methods.map((method) => ({ ...base, method: method as Method }));
}

function mirrorFilter(backend: Backend, percent: number): IHTTPRouteFilter {
  const share = Number.isInteger(percent) ? { percent } : { fraction: { numerator: Math.round(percent * 100), denominator: 10_000 } };
  return { type: 'RequestMirror', requestMirror: { backendRef: ref(backend), ...share } };
}

/** The rules of one facade route, most specific first. */
export function routeRules(input: ExportInput, route: RouteConfig, sides: Sides, notes: Notes): IHTTPRouteRule[] {
  const rules: IHTTPRouteRule[] = [];
  const shares = integerShares(route.weight);
  const split = [ref(sides.legacy, shares.legacy), ref(sides.service, shares.service)];
  const answered = routeMethods(route);
  const mirrored = route.shadow ? shadowMethods(route) : [];
  // Method matches outrank header matches, so the override rules repeat the mirrored methods.
  const overrideMethods = mirrored.length ? [...mirrored, ...(answered ?? [null])].filter((m, i, a) => a.indexOf(m) === i) : answered;
  const { override } = input.config;
  if (override.enabled) {
    const forced = (value: string): IHTTPRouteMatch[] =>
      overrideMethods === null ? routeMatches(route, notes, null, { [override.header]: value }) : overrideMethods.flatMap((m) => routeMatches(route, notes, m === null ? null : [m], { [override.header]: value }));
    const toService = [...forced('service'), ...(route.service !== 'service' && route.service !== 'legacy' ? forced(route.service) : [])];
    rules.push({ matches: toService, backendRefs: [ref(sides.service)] });
    rules.push({ matches: forced('legacy'), backendRefs: [ref(sides.legacy)] });
    if (route.shadow) notes.add(route.name, 'shadow: requests the override header sends to legacy are not mirrored');
  }
  if (route.shadow && mirrored.length) {
    const target = serviceBackend(input, route.shadow.service ?? route.service);
    rules.push({ matches: routeMatches(route, notes, mirrored), filters: [mirrorFilter(target, route.shadow.percent)], backendRefs: split });
    const rest = answered?.filter((m) => !mirrored.includes(m));
    if (rest === undefined || rest.length) rules.push({ matches: routeMatches(route, notes, rest ?? null), backendRefs: split });
  } else {
    rules.push({ matches: routeMatches(route, notes), backendRefs: split });
  }
  return rules;
}

export function httpRoute(input: ExportInput, name: string, rules: IHTTPRouteRule[], annotations?: Record<string, string>): IHTTPRoute {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta(input, name, annotations ? { annotations } : {}),
    spec: { parentRefs: [gatewayRef(input)], ...(input.options.hostnames.length ? { hostnames: input.options.hostnames } : {}), rules },
  };
}

/** Everything no route matches goes to legacy. */
export function legacyRoute(input: ExportInput): Doc {
  return {
    comment: 'Everything no route matches stays on the legacy app.',
    object: httpRoute(input, 'strangler-legacy', [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [ref(input.legacy)] }]),
  };
}

export function routeName(route: RouteConfig): string {
  return dnsLabel(`strangler-${route.name}`);
}

export const gatewayApi: Converter = {
  target: 'gateway-api',
  file: 'gateway-api.yaml',
  summary: 'HTTPRoutes: weighted backendRefs, header matches for the override, RequestMirror for shadow',
  convert(input, notes) {
    commonKubeNotes(input, notes, 'Gateway API', { perUserSticky: false, firstMatchWins: false, breaker: null });
    const docs: Doc[] = input.config.routes.map((r) => ({
      comment: `route ${r.name}: ${r.weight} % to ${r.service}${r.shadow ? `, shadow ${r.shadow.percent} % to ${r.shadow.service ?? r.service}` : ''}`,
      object: httpRoute(input, routeName(r), routeRules(input, r, { legacy: input.legacy, service: serviceBackend(input, r.service) }, notes)),
    }));
    return yamlDocs([...docs, legacyRoute(input)]);
  },
};
