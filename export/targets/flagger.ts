/**
 * Flagger: per extracted service a Canary over the service's Deployment, with the routes' matches,
 * the step weights, and session affinity cookies on both sides, so a user who landed on a side
 * stays there and stickiness does not skew the weights. Flagger generates the routing objects
 * (HTTPRoute or VirtualService) itself; the export adds the catch-all route to legacy. Without a
 * rollout plan the Canary steps to the route's current weight and waits at a confirm-promotion gate.
 * (No npm package models Flagger; tests validate against its vendored CRD schema.)
 */
import type { RouteConfig } from '../../facade/config/schema';
import type { Converter } from '../converter';
import type { ExportInput } from '../input';
import type { Notes } from '../notes';
import { commonKubeNotes, gatewayRef, meta, yamlDocs, type Doc, type ObjectMeta } from '../kube';
import { serviceRollouts, WORKFLOW, type ServiceRollout } from '../progressive';
import { legacyRoute, routeMatches } from './gateway-api';
import { istioMatches, virtualService } from './istio';

export interface FlaggerMetric {
  name: string;
  interval?: string;
  thresholdRange?: { min?: number; max?: number };
  templateRef?: { name: string; namespace?: string };
}

export interface FlaggerWebhook {
  name: string;
  type: 'confirm-rollout' | 'pre-rollout' | 'rollout' | 'confirm-promotion' | 'post-rollout' | 'rollback';
  url: string;
  timeout?: string;
  metadata?: Record<string, string>;
}

export interface FlaggerAnalysis {
  interval: string;
  threshold: number;
  maxWeight?: number;
  stepWeight?: number;
  stepWeights?: number[];
  metrics?: FlaggerMetric[];
  webhooks?: FlaggerWebhook[];
  sessionAffinity?: { cookieName: string; primaryCookieName?: string; maxAge?: number };
}

export interface Canary {
  apiVersion: 'flagger.app/v1beta1';
  kind: 'Canary';
  metadata: ObjectMeta;
  spec: {
    provider: string;
    targetRef: { apiVersion: string; kind: string; name: string };
    progressDeadlineSeconds?: number;
    service: { port: number; targetPort?: number; gatewayRefs?: Array<{ name: string; namespace?: string }>; hosts?: string[]; gateways?: string[]; match?: object[] };
    analysis: FlaggerAnalysis;
  };
}

/** Both sides get a cookie: without the primary one, users sent back to primary would be re-rolled every step. */
export const SESSION_AFFINITY = { cookieName: 'strangler-canary', primaryCookieName: 'strangler-primary', maxAge: 86_400 };

export function loadtesterGate(input: ExportInput, type: FlaggerWebhook['type']): FlaggerWebhook {
  const ns = input.options.namespace ?? 'flagger';
  return { name: type === 'confirm-rollout' ? 'start-gate' : 'promotion-gate', type, url: `http://flagger-loadtester.${ns}/gate/check` };
}

/**
 * Flagger takes Istio-style matches for every provider and maps them to HTTPRoute matches itself
 * (prefix → PathPrefix, which keeps segment boundaries; one exact method per match; exact headers).
 */
function gatewayMatches(route: RouteConfig, notes: Notes): object[] {
  return routeMatches(route, notes).map((m) => ({
    uri: m.path!.type === 'PathPrefix' ? { prefix: m.path!.value } : { regex: m.path!.value },
    ...(m.method ? { method: { exact: m.method } } : {}),
    ...(m.headers ? { headers: Object.fromEntries(m.headers.map((h) => [h.name, { exact: h.value }])) } : {}),
  }));
}

export function canary(input: ExportInput, s: ServiceRollout, analysis: FlaggerAnalysis, notes: Notes): Canary {
  const b = s.backend;
  const istio = input.options.routing === 'istio';
  const match: object[] = s.routes.flatMap((r): object[] => (istio ? istioMatches(r) : gatewayMatches(r, notes)));
  const gw = gatewayRef(input);
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: meta(input, b.name),
    spec: {
      provider: istio ? 'istio' : 'gatewayapi:v1',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: b.name },
      progressDeadlineSeconds: 600,
      service: {
        port: b.port,
        targetPort: b.port,
        ...(istio
          ? { hosts: input.options.hostnames.length ? input.options.hostnames : [input.legacy.name], ...(input.options.hostnames.length ? { gateways: [gw.namespace ? `${gw.namespace}/${gw.name}` : gw.name, 'mesh'] } : {}) }
          : { gatewayRefs: [gw] }),
        match,
      },
      analysis: { ...analysis, sessionAffinity: SESSION_AFFINITY },
    },
  };
}

export function flaggerDocs(input: ExportInput, notes: Notes, analysisFor: (s: ServiceRollout) => { analysis: FlaggerAnalysis; extra: Doc[] }): string {
  const engine = 'Flagger';
  commonKubeNotes(input, notes, engine, { perUserSticky: true, firstMatchWins: input.options.routing === 'istio', breaker: null });
  if (input.config.override.enabled) notes.add(null, `override header (${input.config.override.header}): a weighted Flagger canary has no header-forced side (Flagger's header matches are for A/B iterations)`);
  notes.add(null, 'stickiness: Flagger keeps users on a side with cookies it sets (strangler-canary, strangler-primary), not by hashing the facade\'s sticky keys');
  if (input.options.routing === 'istio')
    notes.add(null, 'istio: Flagger generates its own VirtualService per service; inside the mesh only one VirtualService per host applies, so put the legacy host behind a gateway (--hostname) where Istio merges them');
  const docs: Doc[] = [];
  for (const s of serviceRollouts(input, notes, engine)) {
    const { analysis, extra } = analysisFor(s);
    docs.push({ comment: `${s.backend.key}: routes ${s.routes.map((r) => r.name).join(', ')}.\n${WORKFLOW}`, object: canary(input, s, analysis, notes) }, ...extra);
  }
  const rest: Doc =
    input.options.routing === 'istio' ? { comment: 'Everything no route matches stays on the legacy app.', object: virtualService(input, []) } : legacyRoute(input);
  return yamlDocs([...docs, rest]);
}

export const flagger: Converter = {
  target: 'flagger',
  file: 'flagger.yaml',
  summary: 'a Canary per service: step weights, match, session affinity cookies on both sides',
  convert(input, notes) {
    return flaggerDocs(input, notes, (s) => {
      notes.add(null, 'no rollout plan in the config: each Canary steps to its route\'s current weight and waits at a confirm-promotion gate (flagger-loadtester /gate/open to promote)');
      const first = s.weight > 0 ? s.weight : 1;
      if (s.weight === 0) notes.add(s.routes[0].name, 'weight 0 has no Flagger step: the canary starts at 1 % once its confirm-rollout gate opens');
      const webhooks = [...(s.weight === 0 ? [loadtesterGate(input, 'confirm-rollout')] : []), loadtesterGate(input, 'confirm-promotion')];
      return { analysis: { interval: '1m', threshold: 5, maxWeight: first, stepWeights: [first], webhooks }, extra: [] };
    });
  },
};
