/**
 * Argo Rollouts: per extracted service a Rollout (over the service's Deployment, `workloadRef`)
 * with stable and canary Services, canary steps, and traffic routing by Gateway API (the
 * `argoproj-labs/gatewayAPI` plugin) or Istio (the VirtualService's named routes). Without a
 * rollout plan the Rollout steps to the route's current weight and pauses for a person, as the
 * facade's weights wait for `strangler route set`.
 */
import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout' with { 'resolution-mode': 'import' };
import type { IService } from 'kubernetes-models/v1/Service' with { 'resolution-mode': 'import' };
import type { Converter } from '../converter';
import type { Backend, ExportInput } from '../input';
import { dnsLabel } from '../input';
import type { Notes } from '../notes';
import { commonKubeNotes, meta, yamlDocs, type Doc } from '../kube';
import { serviceRollouts, WORKFLOW, type ServiceRollout } from '../progressive';
import { httpRoute, legacyRoute, routeName, routeRules } from './gateway-api';
import { BREAKER_AS_OUTLIER, destinationRules, istioRoutes, virtualService } from './istio';

type Steps = NonNullable<NonNullable<NonNullable<IRollout['spec']['strategy']>['canary']>['steps']>;

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

function rollout(input: ExportInput, s: ServiceRollout, stepList: Steps, analysis?: object): IRollout {
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

export const argoRollouts: Converter = {
  target: 'argo-rollouts',
  file: 'argo-rollouts.yaml',
  summary: 'a Rollout per service (setWeight/pause steps) with stable/canary Services, over Gateway API or Istio routing',
  convert(input, notes) {
    return argoDocs(input, notes, (s) => {
      notes.add(null, 'no rollout plan in the config: each Rollout steps to its route\'s current weight and pauses until promoted (`kubectl argo rollouts promote <service>`)');
      return { steps: steps(s), extra: [] };
    });
  },
};
