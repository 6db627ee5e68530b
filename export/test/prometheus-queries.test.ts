/**
 * The exported gate queries evaluated by a real Prometheus. A loopback exporter serves the series
 * Istio and Envoy would produce for each canary and its stable side (support/mesh-exporter.ts);
 * Prometheus (the test's own child process) scrapes it every second; each AnalysisTemplate's and
 * MetricTemplate's query, its variables substituted as Argo Rollouts and Flagger do, is sent to
 * /api/v1/query, and the answer and the engine's verdict on it are checked against values worked out
 * by hand from the counters below.
 *
 * Counters go from 0 to their final values between two scrapes and the queries are evaluated at the
 * timestamp of a scrape holding the final values: `increase()` then extrapolates neither end (a
 * counter's first sample at 0 bounds it at the start, the evaluation time is the last sample), so
 * the counts are exact. The window (the plan's interval, 1m) holds every sample of the run.
 */
import { FacadeConfigSchema, type FacadeConfigInput } from '../../facade/config/schema';
import { parseAllDocuments } from 'yaml';
import { exportConfig, type Target } from '../index';
import { meshExporter, type Answers, type MeshExporter, type Side } from './support/mesh-exporter';
import { pollFor, startPrometheus, type Sample, type TestPrometheus } from './support/prometheus';

const plan = { steps: [10, 50, 100], intervalMs: 60_000, minRequests: 50, gates: { errorRate: { maxPercent: 2 }, latency: { p99MaxMs: 400, p99MaxRatio: 1.5 } }, inconclusive: 'pause' as const };
const SERVICES = ['orders', 'reviews', 'ratings', 'quiet'];
const CONFIG: FacadeConfigInput = {
  legacy: 'http://legacy.shop.svc:3000',
  services: Object.fromEntries(SERVICES.map((s, i) => [s, `http://${s}.shop.svc:${4000 + i}`])),
  routes: SERVICES.map((s) => ({ name: s, match: { prefix: `/api/${s}` }, service: s, rollout: plan })),
};
const config = FacadeConfigSchema.parse(CONFIG);

/*
 * orders, canary: 200 requests through the gateway, 190 × 200, 6 × 500 from the service, 4 × 503 of
 * connections that failed (UF). Gateway latency buckets (upper bounds, ms): 4 in ≤1 (the failed
 * connections), 116 in (25,50], 60 in (50,100], 16 in (100,250], 4 in (250,500].
 * orders, stable: 400 × 200; 100 in (10,25], 200 in (25,50], 96 in (50,100], 4 in (100,250].
 */
const ORDERS_CANARY: Answers[] = [
  { code: 200, count: 190, latency: { 50: 110, 100: 60, 250: 16, 500: 4 } },
  { code: 500, count: 6, latency: { 50: 6 } },
  { code: 503, count: 4, latency: { 1: 4 }, connectFailure: true },
];
const ORDERS_STABLE: Answers[] = [{ code: 200, count: 400, latency: { 25: 100, 50: 200, 100: 96, 250: 4 } }];
const HEALTHY: Answers[] = [{ code: 200, count: 100, latency: { 25: 100 } }];
// Below minRequests 50: 20 requests, half of them 5xx.
const FEW: Answers[] = [
  { code: 200, count: 10, latency: { 25: 10 } },
  { code: 500, count: 10, latency: { 25: 10 } },
];
// A service whose name ends like orders-canary's, failing everything: no orders query may count it.
const DECOY: Answers[] = [{ code: 500, count: 300, latency: { 5: 300 } }];
const none = (a: Answers[]): Answers[] => a.map((x) => ({ ...x, count: 0, latency: {} }));

/**
 * The same services in two namespaces: `shop` laid out as Argo Rollouts runs them (one workload,
 * Services <name>-stable and <name>-canary), `web` as Flagger does (workloads <name> and
 * <name>-primary, Services <name>-canary and <name>-primary). `quiet` had its traffic before the
 * window: its counters never move during the run. `reviews` never had canary traffic: no series.
 */
function sides(final: boolean): Side[] {
  const at = (a: Answers[]) => (final ? a : none(a));
  const out: Side[] = [];
  for (const [namespace, stable] of [['shop', 'stable'], ['web', 'primary']] as const) {
    const workload = (s: string, side: 'canary' | typeof stable) => (stable === 'primary' && side === 'primary' ? `${s}-primary` : s);
    const pair = (s: string, canary: Answers[] | null, stableAnswers: Answers[]) => {
      if (canary) out.push({ namespace, service: `${s}-canary`, workload: workload(s, 'canary'), answers: canary });
      out.push({ namespace, service: `${s}-${stable}`, workload: workload(s, stable), answers: stableAnswers });
    };
    pair('orders', at(ORDERS_CANARY), at(ORDERS_STABLE));
    pair('pre-orders', at(DECOY), at(HEALTHY));
    pair('reviews', null, at(HEALTHY));
    pair('ratings', at(FEW), at(HEALTHY));
    pair('quiet', [{ code: 200, count: 80, latency: { 25: 80 } }], HEALTHY);
  }
  return out;
}

let exporter: MeshExporter;
let prom: TestPrometheus;
/** The evaluation time: the timestamp of a scrape that holds the final counters. */
let at: number;

beforeAll(async () => {
  exporter = await meshExporter(sides(false));
  prom = await startPrometheus(exporter.target);
  const ordersCanary = 'istio_requests_total{reporter="source",destination_service_namespace="shop",destination_service_name="orders-canary"}';
  await pollFor('a scrape of the zero counters', 20_000, async () => ((await prom.query(`count(${ordersCanary})`)).length ? true : null), prom.log);
  exporter.serve(sides(true));
  at = await pollFor('a scrape of the final counters', 20_000, async () => {
    const [t] = await prom.query(`max(timestamp(${ordersCanary}))`);
    if (!t) return null;
    const [sum] = await prom.query(`sum(${ordersCanary})`, t.value);
    return sum?.value === 200 ? t.value : null;
  }, prom.log);
}, 60_000);

afterAll(async () => {
  await prom?.close();
  await exporter?.close();
});

/* eslint-disable @typescript-eslint/no-explicit-any */
type Routing = 'istio' | 'gateway-api';
type Verdict = 'Successful' | 'Failed' | 'Inconclusive' | 'Error' | 'pass' | 'fail' | 'error';

/** The engine's template variables filled in; any other `{{ }}` left in a query is an error. */
function substitute(query: string, vars: Record<string, string>): string {
  return query.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`unknown template variable ${name} in ${query}`);
    return vars[name];
  });
}

/** Argo Rollouts: Successful if the success condition holds; with a failure condition, Failed only if it holds, else Inconclusive; an empty result cannot index result[0]: Error. */
function argoVerdict(metric: any, result: Sample[]): Verdict {
  if (!result.length) return 'Error';
  const v = result[0].value;
  const holds = (c: string): boolean => {
    if (c === 'false') return false;
    const m = /^result\[0\] (<=|>=) (-?[\d.]+)$/.exec(c);
    if (!m) throw new Error(`a condition this test does not evaluate: ${c}`);
    return m[1] === '<=' ? v <= Number(m[2]) : v >= Number(m[2]);
  };
  if (holds(metric.successCondition)) return 'Successful';
  if (metric.failureCondition !== undefined) return holds(metric.failureCondition) ? 'Failed' : 'Inconclusive';
  return 'Failed';
}

/** Flagger: an empty result is "no values found" (an error); outside thresholdRange fails. NaN compares false, so it passes. */
function flaggerVerdict(range: { min?: number; max?: number }, result: Sample[]): Verdict {
  if (!result.length) return 'error';
  const v = result.at(-1)!.value;
  if (range.min !== undefined && v < range.min) return 'fail';
  if (range.max !== undefined && v > range.max) return 'fail';
  return 'pass';
}

interface Evaluated {
  value: number | null;
  verdict: Verdict;
}

async function evaluate(target: Target, routing: Routing, service: string): Promise<Record<string, Evaluated>> {
  const namespace = target === 'argo-rollouts' ? 'shop' : 'web';
  const docs: any[] = parseAllDocuments(exportConfig({ config, raw: CONFIG, source: 'routes.yaml' }, target, { routing, namespace, prometheus: prom.url }).text).map((d) => d.toJS());
  const out: Record<string, Evaluated> = {};
  if (target === 'argo-rollouts') {
    const template = docs.find((d) => d.kind === 'AnalysisTemplate' && d.metadata.name === `strangler-${service}`);
    for (const m of template.spec.metrics) {
      const result = await prom.query(substitute(m.provider.prometheus.query, {}), at);
      out[m.name] = { value: result[0]?.value ?? null, verdict: argoVerdict(m, result) };
    }
    return out;
  }
  const canary = docs.find((d) => d.kind === 'Canary' && d.metadata.name === service);
  for (const m of canary.spec.analysis.metrics) {
    const template = docs.find((d) => d.kind === 'MetricTemplate' && d.metadata.name === m.templateRef.name);
    // Flagger's MetricTemplateModel: target is the Canary's targetRef, interval the metric's.
    const query = substitute(template.spec.query, { target: canary.spec.targetRef.name, namespace, interval: m.interval });
    const result = await prom.query(query, at);
    out[m.name] = { value: result.at(-1)?.value ?? null, verdict: flaggerVerdict(m.thresholdRange, result) };
  }
  return out;
}

const values = (r: Record<string, Evaluated>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.value]));
const verdicts = (r: Record<string, Evaluated>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.verdict]));
const close = (expected: Record<string, number>) => Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, expect.closeTo(v, 6)]));

const ENGINES: Array<[Target, Routing]> = [
  ['argo-rollouts', 'istio'],
  ['flagger', 'istio'],
  ['argo-rollouts', 'gateway-api'],
  ['flagger', 'gateway-api'],
];
const argo = (t: Target) => t === 'argo-rollouts';

describe.each(ENGINES)('%s over %s routing', (target, routing) => {
  it('measures the canary as the counters say: requests, error rate, p99 and its ratio to the stable side', async () => {
    const r = await evaluate(target, routing, 'orders');
    if (routing === 'istio') {
      // 200 requests, 6 + 4 of them 5xx: 5 %. p99: rank 0.99 × 200 = 198 falls in (250,500] (cumulative
      // 196 at 250, 200 at 500): 250 + 250 × (198 − 196) / 4 = 375 ms. Stable: rank 396 is the whole
      // (50,100] bucket (cumulative 300 → 396): 50 + 50 × 96 / 96 = 100 ms; ratio 3.75.
      expect(values(r)).toEqual(close({ requests: 200, 'error-rate': 5, 'latency-p99': 375, 'latency-p99-ratio': 3.75 }));
    } else {
      // Envoy: 190 2xx + 10 5xx answers, 10 / 200 = 5 %. upstream_rq_time has the 196 requests a
      // connection took: cumulative 116 at 50, 176 at 100, 192 at 250, 196 at 500; rank 0.99 × 196 =
      // 194.04: 250 + 250 × 2.04 / 4 = 377.5 ms; stable 100 ms as above; ratio 3.775.
      expect(values(r)).toEqual(close({ requests: 200, 'error-rate': 5, 'latency-p99': 377.5, 'latency-p99-ratio': 3.775 }));
    }
    // 5 % > 2 % and 3.7 > 1.5 fail; p99 under 400 ms and 200 ≥ 50 requests pass.
    expect(verdicts(r)).toEqual(
      argo(target)
        ? { requests: 'Successful', 'error-rate': 'Failed', 'latency-p99': 'Successful', 'latency-p99-ratio': 'Failed' }
        : { requests: 'pass', 'error-rate': 'fail', 'latency-p99': 'pass', 'latency-p99-ratio': 'fail' },
    );
  });

  it.each([
    ['reviews', 'a canary that never got a request (no series at all)', 0],
    ['quiet', 'a canary whose counters did not move in the window', 0],
    ['ratings', 'a canary with 20 requests, half of them 5xx, below minRequests 50', 20],
  ])('%s, %s: the gates answer 0, the request count decides, never a silent pass', async (service, _what, requests) => {
    const r = await evaluate(target, routing, service);
    expect(values(r)).toEqual(close({ requests, 'error-rate': 0, 'latency-p99': 0, 'latency-p99-ratio': 0 }));
    // Argo: the count is Inconclusive (inconclusiveLimit 0 pauses the Rollout); Flagger has no
    // inconclusive verdict: the count fails the check.
    expect(verdicts(r)).toEqual(
      argo(target)
        ? { requests: 'Inconclusive', 'error-rate': 'Successful', 'latency-p99': 'Successful', 'latency-p99-ratio': 'Successful' }
        : { requests: 'fail', 'error-rate': 'pass', 'latency-p99': 'pass', 'latency-p99-ratio': 'pass' },
    );
  });
});

it('quiet: without the minRequests guard the p99 of a canary with no traffic in the window is NaN', async () => {
  // What the guard in every gate query stands for: Argo would fail `NaN <= 400`, Flagger pass it.
  const [p99] = await prom.query('histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="source",destination_service_namespace="shop",destination_service_name="quiet-canary"}[1m])))', at);
  expect(p99.value).toBeNaN();
});
