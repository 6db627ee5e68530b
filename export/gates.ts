/**
 * A route's rollout plan as Prometheus queries, for the engines that judge a canary from
 * Prometheus (Argo Rollouts' AnalysisTemplate, Flagger's MetricTemplate). Each query answers one
 * number over one interval, as the facade's gates judge one interval's requests:
 *
 * - requests: how many requests the service side (the canary) got;
 * - error rate: per cent of them answered 5xx (a gateway answers 503 when it cannot connect, so
 *   connection failures count, as in the facade);
 * - p99: the canary's p99 in ms, and its ratio to the stable side's (the monolith's code).
 *
 * The gate queries answer 0 while the canary got fewer than `minRequests`, so (as in the facade)
 * too little traffic is judged by the requests count alone, never as a pass or a failure of a
 * rate computed over a handful of requests, and never as an empty result ("no values found").
 */
import type { RolloutPlan } from '../facade/config/schema';
import type { ExportInput } from './input';

/** How the sides of a canary are named in the metrics of the traffic routing in use. */
export interface Sides {
  canary: string;
  stable: string;
  /** The query window: a Prometheus duration, or an engine's template variable. */
  window: string;
}

export interface GateQuery {
  /** Metric name in the engine's analysis. */
  name: 'requests' | 'error-rate' | 'latency-p99' | 'latency-p99-ratio';
  query: string;
  /** The facade's threshold: requests `>= min`, the others `<= max`. */
  min?: number;
  max?: number;
}

/** Milliseconds as a Go duration (what both engines parse): `1m`, `30s`, `1500ms`. */
export function goDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function vocabulary(input: ExportInput) {
  if (input.options.routing === 'istio') {
    // reporter="source": the gateway's (or caller's) proxy, which also sees the 503s of failed connections.
    const sel = (svc: string, extra = '') => `{reporter="source",destination_service_name="${svc}"${extra}}`;
    return {
      count: (svc: string, w: string, extra = '') => `sum(increase(istio_requests_total${sel(svc, extra)}[${w}]))`,
      errors: ',response_code=~"5.."',
      p99: (svc: string, w: string) => `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket${sel(svc)}[${w}])))`,
    };
  }
  // Gateway API implementations built on Envoy (Envoy Gateway, Istio's gateway, Contour) export its cluster statistics.
  const sel = (svc: string, extra = '') => `{envoy_cluster_name=~".*${svc}.*"${extra}}`;
  return {
    count: (svc: string, w: string, extra = '') => `sum(increase(${extra ? 'envoy_cluster_upstream_rq_xx' : 'envoy_cluster_upstream_rq_total'}${sel(svc, extra)}[${w}]))`,
    errors: ',envoy_response_code_class="5"',
    p99: (svc: string, w: string) => `histogram_quantile(0.99, sum by (le) (rate(envoy_cluster_upstream_rq_time_bucket${sel(svc)}[${w}])))`,
  };
}

export function gateQueries(input: ExportInput, plan: RolloutPlan, sides: Sides, withRequests: boolean): GateQuery[] {
  const v = vocabulary(input);
  const total = v.count(sides.canary, sides.window);
  const enough = `and on() (${total} >= ${plan.minRequests})`;
  const judged = (q: string) => `(${q}) ${enough} or on() vector(0)`;
  const out: GateQuery[] = [];
  if (withRequests) out.push({ name: 'requests', query: `${total} or on() vector(0)`, min: plan.minRequests });
  out.push({ name: 'error-rate', query: judged(`100 * ${v.count(sides.canary, sides.window, v.errors)} / ${total}`), max: plan.gates.errorRate.maxPercent });
  const l = plan.gates.latency;
  if (l?.p99MaxMs !== undefined) out.push({ name: 'latency-p99', query: judged(v.p99(sides.canary, sides.window)), max: l.p99MaxMs });
  if (l?.p99MaxRatio !== undefined) out.push({ name: 'latency-p99-ratio', query: judged(`${v.p99(sides.canary, sides.window)} / ${v.p99(sides.stable, sides.window)}`), max: l.p99MaxRatio });
  return out;
}

/** The weights an engine steps through: the plan's, without the shadow step at 0 and the final 100 (the promotion). */
export function canarySteps(plan: RolloutPlan): number[] {
  return plan.steps.filter((w) => w > 0 && w < 100).map((w) => Math.round(w));
}

/** The route whose plan a service's canary follows (the first with one), or null. */
export function planOf<R extends { name: string; rollout?: RolloutPlan }>(routes: R[]): { route: R; plan: RolloutPlan } | null {
  const r = routes.find((x) => x.rollout);
  return r ? { route: r, plan: r.rollout! } : null;
}

/** What neither engine does of a plan, said once per route. */
export function planNotes(engine: string, routes: Array<{ name: string; rollout?: RolloutPlan }>, used: string, add: (route: string, message: string) => void): void {
  for (const r of routes) {
    const plan = r.rollout;
    if (!plan) continue;
    if (r.name !== used) add(r.name, `${engine} runs one plan per service: this route follows the plan of ${used}`);
    if (plan.steps[0] === 0) add(r.name, `the shadow step at weight 0 is left out: ${engine} has no step that only mirrors traffic and compares answers`);
    if (plan.gates.shadowMismatch) add(r.name, `gate shadowMismatch is left out: ${engine} does not compare the service's answers with legacy's`);
    if (plan.steps.some((w) => !Number.isInteger(w))) add(r.name, `${engine} step weights are whole per cent: steps ${plan.steps.join(', ')} are rounded`);
  }
}
