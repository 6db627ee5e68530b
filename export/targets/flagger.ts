/**
 * Flagger: per extracted service a Canary over the service's Deployment, with the routes' matches,
 * the step weights, and session affinity cookies on both sides, so a user who landed on a side
 * stays there and stickiness does not skew the weights. Flagger generates the routing objects
 * (HTTPRoute or VirtualService) itself; the export adds the catch-all route to legacy. With a
 * rollout plan the Canary takes its step weights, interval and threshold, and judges the same gates
 * through MetricTemplates (Prometheus); the plan's webhooks become Flagger webhooks. Without a
 * plan the Canary steps to the route's current weight and waits at a confirm-promotion gate.
 * (No npm package models Flagger; tests validate against its vendored CRD schema.)
 */
import type { RolloutPlan, RouteConfig } from '../../facade/config/schema';
import type { Converter } from '../converter';
import type { ExportInput } from '../input';
import { dnsLabel } from '../input';
import type { Notes } from '../notes';
import { commonKubeNotes, gatewayRef, meta, yamlDocs, type Doc, type ObjectMeta } from '../kube';
import { canarySteps, gateQueries, goDuration, planNotes, planOf } from '../gates';
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

export interface MetricTemplate {
  apiVersion: 'flagger.app/v1beta1';
  kind: 'MetricTemplate';
  metadata: ObjectMeta;
  spec: { provider: { type: 'prometheus'; address: string }; query: string };
}

function planned(input: ExportInput, notes: Notes, s: ServiceRollout, found: { route: { name: string }; plan: RolloutPlan }): { analysis: FlaggerAnalysis; extra: Doc[] } {
  const { plan } = found;
  const route = found.route.name;
  planNotes('Flagger', s.routes, route, (r, m) => notes.add(r, m));
  notes.add(route, `inconclusive: Flagger has no inconclusive verdict: fewer than minRequests ${plan.minRequests} requests fail the check (metric requests), where the facade ${plan.inconclusive === 'wait' ? 'waits' : plan.inconclusive === 'pause' ? 'pauses' : 'proceeds'}`);
  notes.add(route, `metricErrorLimit: Flagger counts a metric it cannot read as a failed check (threshold ${plan.failureLimit + 1}), with no limit of its own`);
  if (plan.webhooks.some((h) => h.before === 'promotion'))
    notes.add(route, 'webhooks before promotion: Flagger\'s confirm-promotion hook holds the canary until it answers 2xx, where the facade counts a non-2xx as a failed check');
  const steps = canarySteps(plan);
  if (steps.length === 0) steps.push(100);
  // Flagger's template variables: the canary Deployment is `target`, its primary `target-primary`.
  const queries = gateQueries(input, plan, { canary: '{{ target }}-canary', stable: '{{ target }}-primary', window: '{{ interval }}' }, true);
  const extra: Doc[] = [];
  const metrics: FlaggerMetric[] = queries.map((g) => {
    const name = dnsLabel(`strangler-${s.backend.name}-${g.name}`);
    const mt: MetricTemplate = { apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate', metadata: meta(input, name), spec: { provider: { type: 'prometheus', address: input.options.prometheus }, query: g.query } };
    extra.push({ object: mt });
    return {
      name: g.name,
      interval: goDuration(plan.intervalMs),
      templateRef: { name, ...(input.options.namespace ? { namespace: input.options.namespace } : {}) },
      thresholdRange: g.min !== undefined ? { min: g.min } : { max: g.max },
    };
  });
  const webhooks: FlaggerWebhook[] = plan.webhooks.map((h) => ({
    name: h.name,
    // `rollout` hooks run before each step's checks and a non-2xx fails the check, as `before: step` does.
    type: h.before === 'step' ? 'rollout' : 'confirm-promotion',
    url: h.url,
    timeout: goDuration(h.timeoutMs),
    metadata: { route, service: s.backend.key, phase: h.before },
  }));
  return {
    analysis: { interval: goDuration(plan.intervalMs), threshold: plan.failureLimit + 1, maxWeight: steps.at(-1)!, stepWeights: steps, metrics, ...(webhooks.length ? { webhooks } : {}) },
    extra,
  };
}

export const flagger: Converter = {
  target: 'flagger',
  file: 'flagger.yaml',
  summary: 'a Canary per service: step weights, match, session affinity cookies on both sides',
  convert(input, notes) {
    return flaggerDocs(input, notes, (s) => {
      const found = planOf(s.routes);
      if (found) return planned(input, notes, s, found);
      notes.add(null, 'no rollout plan in the config: each Canary steps to its route\'s current weight and waits at a confirm-promotion gate (flagger-loadtester /gate/open to promote)');
      const first = s.weight > 0 ? s.weight : 1;
      if (s.weight === 0) notes.add(s.routes[0].name, 'weight 0 has no Flagger step: the canary starts at 1 % once its confirm-rollout gate opens');
      const webhooks = [...(s.weight === 0 ? [loadtesterGate(input, 'confirm-rollout')] : []), loadtesterGate(input, 'confirm-promotion')];
      return { analysis: { interval: '1m', threshold: 5, maxWeight: first, stepWeights: [first], webhooks }, extra: [] };
    });
  },
};
