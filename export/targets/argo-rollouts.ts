/**
 * Argo Rollouts: per extracted service a Rollout (over the service's Deployment, `workloadRef`)
 * with stable and canary Services, canary steps, and traffic routing by Gateway API (the
 * `argoproj-labs/gatewayAPI` plugin) or Istio (the VirtualService's named routes). With a rollout
 * plan the Rollout takes its steps (`setWeight`, `pause` for the interval, webhooks as `analysis`
 * steps) under a background analysis whose AnalysisTemplate judges the same gates from Prometheus
 * with the plan's limits; Argo's counts, like the facade's, run over the whole rollout. Without a
 * plan the Rollout steps to the route's current weight and pauses for a person, as the facade's
 * weights wait for `strangler route set`.
 */
import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate' with { 'resolution-mode': 'import' };
import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout' with { 'resolution-mode': 'import' };
import type { RolloutPlan } from '../../facade/config/schema';
import type { IService } from 'kubernetes-models/v1/Service' with { 'resolution-mode': 'import' };
import type { Converter } from '../converter';
import type { Backend, ExportInput } from '../input';
import { dnsLabel } from '../input';
import type { Notes } from '../notes';
import { commonKubeNotes, meta, yamlDocs, type Doc } from '../kube';
import { canarySteps, gateQueries, goDuration, planNotes, planOf } from '../gates';
import { serviceRollouts, WORKFLOW, type ServiceRollout } from '../progressive';
import { httpRoute, legacyRoute, routeName, routeRules } from './gateway-api';
import { BREAKER_AS_OUTLIER, destinationRules, istioRoutes, virtualService } from './istio';

type Canary = NonNullable<NonNullable<IRollout['spec']['strategy']>['canary']>;
type Steps = NonNullable<Canary['steps']>;
type Metric = NonNullable<IAnalysisTemplate['spec']['metrics']>[number];

const side = (b: Backend, suffix: 'stable' | 'canary'): Backend => ({ ...b, name: dnsLabel(`${b.name}-${suffix}`) });

function sideService(input: ExportInput, b: Backend, suffix: 'stable' | 'canary'): IService {
  const labels = { 'app.kubernetes.io/name': b.name };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(input, side(b, suffix).name),
    // Argo Rollouts adds the revision's pod-template hash to this selector.
    spec: { selector: labels, ports: [{ name: 'http', port: b.port, targetPort: b.port }] },
  };
}

export function steps(s: ServiceRollout): Steps {
  return [{ setWeight: s.weight }, { pause: {} }];
}

function rollout(input: ExportInput, s: ServiceRollout, stepList: Steps, analysis?: Canary['analysis']): IRollout {
  const b = s.backend;
  const trafficRouting =
    input.options.routing === 'istio'
      ? { istio: { virtualService: { name: 'strangler', routes: s.routes.flatMap((r) => [r.name, ...(r.shadow ? [`${r.name}-shadow`] : [])]) } } }
      : { plugins: { 'argoproj-labs/gatewayAPI': { httpRoutes: s.routes.map((r) => ({ name: routeName(r), useHeaderRoutes: true })), ...(input.options.namespace ? { namespace: input.options.namespace } : {}) } } };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: meta(input, b.name),
    spec: {
      replicas: 2,
      revisionHistoryLimit: 3,
      selector: { matchLabels: { 'app.kubernetes.io/name': b.name } },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: b.name, scaleDown: 'progressively' },
      strategy: {
        canary: {
          stableService: side(b, 'stable').name,
          canaryService: side(b, 'canary').name,
          trafficRouting,
          steps: stepList,
          ...(analysis ? { analysis } : {}),
        },
      },
    },
  };
}

/** The traffic routing the Rollouts drive: the route's two sides are the Rollout's stable and canary Services. */
function routing(input: ExportInput, notes: Notes): Doc[] {
  const sidesOf = (service: string) => {
    const b = input.services.get(service)!;
    return { legacy: side(b, 'stable'), service: side(b, 'canary') };
  };
  if (input.options.routing === 'istio') {
    const http = input.config.routes.flatMap((r) => istioRoutes(input, r, sidesOf(r.service), notes));
    return [{ object: virtualService(input, http) }, ...destinationRules(input)];
  }
  return [
    ...input.config.routes.map((r) => ({ comment: `route ${r.name}: weights set by the Rollout ${input.services.get(r.service)!.name}`, object: httpRoute(input, routeName(r), routeRules(input, r, sidesOf(r.service), notes)) })),
    legacyRoute(input),
  ];
}

export function argoDocs(input: ExportInput, notes: Notes, planFor: (s: ServiceRollout) => { steps: Steps; analysis?: object; extra: Doc[] }): string {
  const engine = 'Argo Rollouts';
  commonKubeNotes(input, notes, engine, { perUserSticky: false, firstMatchWins: input.options.routing === 'istio', breaker: input.options.routing === 'istio' ? BREAKER_AS_OUTLIER : null });
  const rollouts = serviceRollouts(input, notes, engine);
  const docs: Doc[] = [];
  for (const s of rollouts) {
    const plan = planFor(s);
    docs.push(
      { comment: `${s.backend.key}: routes ${s.routes.map((r) => r.name).join(', ')}.\n${WORKFLOW}`, object: rollout(input, s, plan.steps, plan.analysis) },
      ...plan.extra,
      { object: sideService(input, s.backend, 'stable') },
      { object: sideService(input, s.backend, 'canary') },
    );
  }
  return yamlDocs([...docs, ...routing(input, notes)]);
}

const templateName = (s: ServiceRollout, what: string): string => dnsLabel(`strangler-${s.backend.name}${what}`);

function template(input: ExportInput, name: string, metrics: Metric[]): IAnalysisTemplate {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: meta(input, name), spec: { metrics } };
}

/** The facade's gates as Prometheus metrics, with the plan's limits on each. */
function gateMetrics(input: ExportInput, s: ServiceRollout, plan: RolloutPlan): Metric[] {
  const limits = {
    interval: goDuration(plan.intervalMs),
    failureLimit: plan.failureLimit,
    consecutiveErrorLimit: plan.metricErrorLimit,
    // Inconclusive past the limit pauses the Rollout: `pause` at once; `wait` (hold the step for traffic) has no Argo form either.
    inconclusiveLimit: 0,
  };
  const sides = { canary: side(s.backend, 'canary').name, stable: side(s.backend, 'stable').name, window: goDuration(plan.intervalMs) };
  // `proceed`: too few requests go on; the gate queries answer 0 then, so leaving the count out does just that.
  return gateQueries(input, plan, sides, plan.inconclusive !== 'proceed').map((g) => ({
    name: g.name,
    ...limits,
    // A count below the minimum is neither success nor failure: Argo's inconclusive.
    ...(g.min !== undefined ? { successCondition: `result[0] >= ${g.min}`, failureCondition: 'false' } : { successCondition: `result[0] <= ${g.max}` }),
    provider: { prometheus: { address: input.options.prometheus, query: g.query } },
  }));
}

/** The plan's webhooks as `web` metrics, called once with the facade's payload. */
function hookMetrics(s: ServiceRollout, plan: RolloutPlan, before: 'step' | 'promotion', weight: number, next: number): Metric[] {
  return plan.webhooks
    .filter((h) => h.before === before)
    .map((h) => ({
      name: `webhook-${h.name}`,
      count: 1,
      consecutiveErrorLimit: 0,
      provider: {
        web: {
          url: h.url,
          method: 'POST' as const,
          timeoutSeconds: Math.max(1, Math.ceil(h.timeoutMs / 1000)),
          jsonBody: { route: s.routes[0].name, service: s.backend.key, phase: before, weight, nextWeight: next, webhook: h.name },
        },
      },
    }));
}

function planned(input: ExportInput, notes: Notes, s: ServiceRollout, found: { route: { name: string }; plan: RolloutPlan }): { steps: Steps; analysis: Canary['analysis']; extra: Doc[] } {
  const { plan } = found;
  planNotes('Argo Rollouts', s.routes, found.route.name, (r, m) => notes.add(r, m));
  const route = found.route.name;
  if (plan.inconclusive === 'wait') notes.add(route, 'inconclusive: wait has no Argo Rollouts form (its steps go on by time): too few requests pause the Rollout instead (inconclusiveLimit 0); `kubectl argo rollouts promote` continues');
  if (plan.inconclusive === 'proceed') notes.add(route, 'inconclusive: proceed has no Argo Rollouts verdict: the request count is not measured and the gate queries answer 0 below minRequests, so those checks pass');
  notes.add(route, `Argo Rollouts steps on by time (pause ${goDuration(plan.intervalMs)} per step): a failed check within failureLimit ${plan.failureLimit} does not hold the step as the facade does; more failures abort the Rollout (back to stable)`);
  notes.add(route, 'Argo Rollouts counts failureLimit and consecutiveErrorLimit per metric, the facade per check (all gates together)');
  if (plan.webhooks.length)
    notes.add(route, 'webhooks: Argo takes a non-2xx answer as a measurement error (consecutiveErrorLimit 0: the Rollout aborts), the facade as a failed check within failureLimit');
  const doc = templateName(s, '');
  const extra: Doc[] = [{ comment: `The gates of route ${route}'s rollout plan, judged over each ${goDuration(plan.intervalMs)} from ${input.options.prometheus}.`, object: template(input, doc, gateMetrics(input, s, plan)) }];
  const hooks = (before: 'step' | 'promotion', weight: number, next: number): Steps => {
    const metrics = hookMetrics(s, plan, before, weight, next);
    if (!metrics.length) return [];
    const name = templateName(s, `-${before}-${next}`);
    extra.push({ object: template(input, name, metrics) });
    return [{ analysis: { templates: [{ templateName: name }] } }];
  };
  const steps: Steps = [];
  let weight = 0;
  for (const w of canarySteps(plan)) {
    steps.push(...hooks('step', weight, w), { setWeight: w }, { pause: { duration: goDuration(plan.intervalMs) } });
    weight = w;
  }
  steps.push(...hooks('promotion', weight, 100));
  return { steps, analysis: { templates: [{ templateName: doc }], startingStep: steps.findIndex((x) => 'setWeight' in x) }, extra };
}

export const argoRollouts: Converter = {
  target: 'argo-rollouts',
  file: 'argo-rollouts.yaml',
  summary: 'a Rollout per service (setWeight/pause steps) with stable/canary Services, over Gateway API or Istio routing',
  convert(input, notes) {
    return argoDocs(input, notes, (s) => {
      const found = planOf(s.routes);
      if (found) return planned(input, notes, s, found);
      notes.add(null, 'no rollout plan in the config: each Rollout steps to its route\'s current weight and pauses until promoted (`kubectl argo rollouts promote <service>`)');
      return { steps: steps(s), extra: [] };
    });
  },
};
