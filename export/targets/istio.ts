/**
 * Istio: one VirtualService whose `http` routes keep the facade's file order (Istio, like the
 * facade, takes the first match), and a DestinationRule per upstream (balancing, and the breaker
 * as outlier detection). Prefixes become `exact` + `prefix: <p>/` to keep segment boundaries.
 */
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService' with { 'resolution-mode': 'import' };
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule' with { 'resolution-mode': 'import' };
import type { RouteConfig } from '../../facade/config/schema';
import type { Converter } from '../converter';
import type { Backend, ExportInput } from '../input';
import type { Notes } from '../notes';
import { caseSensitive, cleanPrefix, pathRegex, routeMethods, shadowMethods } from '../match';
import { commonKubeNotes, gatewayRef, meta, serviceBackend, yamlDocs, type Doc } from '../kube';
import type { Sides } from './gateway-api';

type VsSpec = NonNullable<IVirtualService['spec']>;
export type IstioHttpRoute = NonNullable<VsSpec['http']>[number];
type IstioMatch = NonNullable<IstioHttpRoute['match']>[number];
type Destination = NonNullable<IstioHttpRoute['route']>[number];

const dest = (b: Backend, weight?: number): Destination => ({ destination: { host: b.name, port: { number: b.port } }, ...(weight === undefined ? {} : { weight }) });

const anyOf = (methods: string[]): NonNullable<IstioMatch['method']> => (methods.length === 1 ? { exact: methods[0] } : { regex: `^(${methods.join('|')})$` });

/** The route's match requests (ORed): segment-bounded prefix as exact + `p/`, a pattern as regex. */
export function istioMatches(route: RouteConfig, methods: string[] | null = routeMethods(route), extraHeaders: Record<string, string> = {}): IstioMatch[] {
  const m = route.match;
  const headers = Object.fromEntries(Object.entries({ ...m.headers, ...extraHeaders }).map(([k, v]) => [k, { exact: v }]));
  const common: IstioMatch = {
    ...(methods ? { method: anyOf(methods) } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
  };
  const ignoreUriCase = caseSensitive(route) ? {} : { ignoreUriCase: true };
  if (m.prefix !== undefined) {
    const p = cleanPrefix(m.prefix);
    if (p === '/') return [{ ...common, uri: { prefix: '/' } }];
    return [
      { ...common, uri: { exact: p }, ...ignoreUriCase },
      { ...common, uri: { prefix: `${p}/` }, ...ignoreUriCase },
    ];
  }
  // ignoreUriCase applies to exact and prefix only; RE2 takes the flag inline.
  return [{ ...common, uri: { regex: `${caseSensitive(route) ? '' : '(?i)'}${pathRegex(route)}` } }];
}

/** The VirtualService http routes of one facade route, in the order Istio must try them. */
export function istioRoutes(input: ExportInput, route: RouteConfig, sides: Sides, notes: Notes): IstioHttpRoute[] {
  const out: IstioHttpRoute[] = [];
  if (!Number.isInteger(route.weight)) notes.add(route.name, `Istio weights are whole per cent: ${route.weight} % becomes ${Math.round(route.weight)} %`);
  const w = Math.round(route.weight);
  const split = [dest(sides.legacy, 100 - w), dest(sides.service, w)];
  const { override } = input.config;
  if (override.enabled) {
    const values = ['service', ...(route.service !== 'service' && route.service !== 'legacy' ? [route.service] : [])];
    out.push({ name: `${route.name}-override-service`, match: values.flatMap((v) => istioMatches(route, undefined, { [override.header]: v })), route: [dest(sides.service)] });
    out.push({ name: `${route.name}-override-legacy`, match: istioMatches(route, undefined, { [override.header]: 'legacy' }), route: [dest(sides.legacy)] });
    if (route.shadow) notes.add(route.name, 'shadow: requests the override header sends to legacy are not mirrored');
  }
  const mirrored = route.shadow ? shadowMethods(route) : [];
  if (route.shadow && mirrored.length) {
    const target = serviceBackend(input, route.shadow.service ?? route.service);
    out.push({
      name: `${route.name}-shadow`,
      match: istioMatches(route, mirrored),
      route: split,
      mirror: { host: target.name, port: { number: target.port } },
      mirrorPercentage: { value: route.shadow.percent },
    });
  }
  out.push({ name: route.name, match: istioMatches(route), route: split });
  return out;
}

export function virtualService(input: ExportInput, http: IstioHttpRoute[]): IVirtualService {
  const { hostnames } = input.options;
  const gw = gatewayRef(input);
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: meta(input, 'strangler'),
    spec: {
      // Inside the mesh, clients keep calling the legacy Service; at a gateway, the public host names.
      hosts: hostnames.length ? hostnames : [input.legacy.name],
      ...(hostnames.length ? { gateways: [gw.namespace ? `${gw.namespace}/${gw.name}` : gw.name, 'mesh'] } : {}),
      http: [...http, { name: 'legacy', route: [dest(input.legacy)] }],
    },
  };
}

function destinationRule(input: ExportInput, b: Backend): IDestinationRule {
  const breaker = { ...input.config.breaker, ...b.upstream.breaker };
  const isLegacy = b.key === 'legacy';
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: meta(input, b.name),
    spec: {
      host: b.name,
      trafficPolicy: {
        loadBalancer: { simple: b.upstream.balance === 'round-robin' ? 'ROUND_ROBIN' : 'LEAST_REQUEST' },
        // The facade never refuses legacy for health reasons, so legacy gets no ejection.
        ...(isLegacy
          ? {}
          : { outlierDetection: { consecutive5xxErrors: breaker.failureThreshold, interval: `${breaker.windowMs}ms`, baseEjectionTime: `${breaker.cooldownMs}ms`, maxEjectionPercent: 100 } }),
      },
    },
  };
}

export function destinationRules(input: ExportInput): Doc[] {
  const used = new Set(input.config.routes.flatMap((r) => [r.service, ...(r.shadow?.service ? [r.shadow.service] : [])]));
  return [input.legacy, ...[...input.services.values()].filter((b) => used.has(b.key))].map((b) => ({ object: destinationRule(input, b) }));
}

export const BREAKER_AS_OUTLIER =
  'circuit breaker: exported as outlier detection, which ejects single endpoints after consecutive 5xx (the facade opens per service on failures within windowMs) and, with every endpoint out, does not send the route to legacy; active health checks are readiness probes in Kubernetes';

export const istio: Converter = {
  target: 'istio',
  file: 'istio.yaml',
  summary: 'VirtualService (weights, header match, mirror + mirrorPercentage) and DestinationRules',
  convert(input, notes) {
    commonKubeNotes(input, notes, 'Istio', { perUserSticky: false, firstMatchWins: true, breaker: BREAKER_AS_OUTLIER });
    const http = input.config.routes.flatMap((r) => istioRoutes(input, r, { legacy: input.legacy, service: serviceBackend(input, r.service) }, notes));
    return yamlDocs([{ comment: 'Routes in the facade\'s order: Istio takes the first match, as the facade does.', object: virtualService(input, http) }, ...destinationRules(input)]);
  },
};
