/**
 * A route's rollout plan on Argo Rollouts and Flagger: the steps, limits and gates the facade would
 * run, every object valid against its schema, and what the engine cannot do said in the file and on
 * stderr. Expected values are worked out by hand from PLANNED_CONFIG.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { stringify } from 'yaml';
import { runCli } from '../../cli/test/run-cli';
import { FacadeConfigSchema } from '../../facade/config/schema';
import { exportConfig, type ExportOutput, type Target } from '../index';
import { PLANNED_CONFIG } from './fixtures';
import { validateFiles } from './support/validate';

const config = FacadeConfigSchema.parse(PLANNED_CONFIG);
const dir = mkdtempSync(path.join(os.tmpdir(), 'strangler-export-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/* eslint-disable @typescript-eslint/no-explicit-any */
const docs = (o: ExportOutput): any[] => parseAllDocuments(o.text).map((d) => d.toJS());
const run = (target: Target, routing: 'gateway-api' | 'istio' = 'gateway-api'): ExportOutput =>
  exportConfig({ config, raw: PLANNED_CONFIG, source: 'routes.yaml' }, target, { routing, namespace: 'shop', prometheus: 'http://prom.monitoring:9090' });
const said = (o: ExportOutput): string[] => o.notes.map((n) => `${n.route ?? '-'}: ${n.message}`);

it('writes objects their schemas accept, with either routing', () => {
  const files = (['argo-rollouts', 'flagger'] as const).flatMap((t) =>
    (['gateway-api', 'istio'] as const).map((routing) => {
      const f = path.join(dir, `${routing}-${t}.yaml`);
      writeFileSync(f, run(t, routing).text);
      return f;
    }),
  );
  const results = validateFiles(files);
  expect(results.filter((r) => r.error !== null)).toEqual([]);
  const kinds = new Set(results.map((r) => r.kind));
  expect(kinds).toContain('argoproj.io/v1alpha1/AnalysisTemplate');
  expect(kinds).toContain('flagger.app/v1beta1/MetricTemplate');
});

describe('argo-rollouts', () => {
  const out = run('argo-rollouts', 'istio');
  const all = docs(out);
  const rollout = (name: string) => all.find((d) => d.kind === 'Rollout' && d.metadata.name === name);
  const template = (name: string) => all.find((d) => d.kind === 'AnalysisTemplate' && d.metadata.name === name);

  it('steps through the plan: webhook analyses before each step and before promotion, the weight, a pause of one interval', () => {
    const canary = rollout('orders').spec.strategy.canary;
    const analysis = (name: string) => ({ analysis: { templates: [{ templateName: name }] } });
    // 5, 25, 50 then 100 (the promotion, which a Rollout makes by completing); intervalMs 120000 is 2m.
    expect(canary.steps).toEqual([
      analysis('strangler-orders-step-5'),
      { setWeight: 5 },
      { pause: { duration: '2m' } },
      analysis('strangler-orders-step-25'),
      { setWeight: 25 },
      { pause: { duration: '2m' } },
      analysis('strangler-orders-step-50'),
      { setWeight: 50 },
      { pause: { duration: '2m' } },
      analysis('strangler-orders-promotion-100'),
    ]);
    // The gates run in the background from the first setWeight (index 1) to the end.
    expect(canary.analysis).toEqual({ templates: [{ templateName: 'strangler-orders' }], startingStep: 1 });
    expect(template('strangler-orders-step-25').spec.metrics).toEqual([
      {
        name: 'webhook-smoke',
        count: 1,
        consecutiveErrorLimit: 0,
        provider: { web: { url: 'http://smoke.shop/check', method: 'POST', timeoutSeconds: 5, jsonBody: { route: 'order-detail', service: 'orders', phase: 'step', weight: 5, nextWeight: 25, webhook: 'smoke' } } },
      },
    ]);
    expect(template('strangler-orders-promotion-100').spec.metrics.map((m: any) => [m.name, m.provider.web.url, m.provider.web.timeoutSeconds, m.provider.web.jsonBody.weight])).toEqual([['webhook-signoff', 'http://signoff.shop/ok', 10, 50]]);
  });

  it('judges the same gates with the plan\'s limits: failureLimit 2, consecutiveErrorLimit 4 (metricErrorLimit), inconclusive pauses at once', () => {
    const metrics = template('strangler-orders').spec.metrics;
    expect(metrics.map((m: any) => [m.name, m.successCondition, m.failureCondition ?? null])).toEqual([
      ['requests', 'result[0] >= 50', 'false'],
      ['error-rate', 'result[0] <= 2', null],
      ['latency-p99', 'result[0] <= 400', null],
      ['latency-p99-ratio', 'result[0] <= 1.5', null],
    ]);
    for (const m of metrics) {
      expect(m).toMatchObject({ interval: '2m', failureLimit: 2, consecutiveErrorLimit: 4, inconclusiveLimit: 0 });
      expect(m.provider.prometheus.address).toBe('http://prom.monitoring:9090');
    }
    const requests = 'sum(increase(istio_requests_total{reporter="source",destination_service_name="orders-canary"}[2m]))';
    expect(metrics[0].provider.prometheus.query).toBe(`${requests} or on() vector(0)`);
    expect(metrics[1].provider.prometheus.query).toBe(
      `(100 * sum(increase(istio_requests_total{reporter="source",destination_service_name="orders-canary",response_code=~"5.."}[2m])) / ${requests}) and on() (${requests} >= 50) or on() vector(0)`,
    );
    // Against legacy: the stable side runs the monolith's code.
    expect(metrics[3].provider.prometheus.query).toContain('/ histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="source",destination_service_name="orders-stable"}[2m])))');
  });

  it('leaves out what it cannot run and says so: the shadow step and gate, and proceed has no Argo verdict', () => {
    const canary = rollout('reviews').spec.strategy.canary;
    // steps [0, 30, 100]: the 0 is a shadow step; 45000 ms is 45s.
    expect(canary.steps).toEqual([{ setWeight: 30 }, { pause: { duration: '45s' } }]);
    expect(canary.analysis.startingStep).toBe(0);
    // proceed: no request count; defaults errorRate 1 %, minRequests 20, failureLimit 1, metricErrorLimit 3.
    expect(template('strangler-reviews').spec.metrics.map((m: any) => [m.name, m.successCondition, m.failureLimit, m.consecutiveErrorLimit])).toEqual([['error-rate', 'result[0] <= 1', 1, 3]]);
    expect(template('strangler-reviews').spec.metrics[0].provider.prometheus.query).toContain('>= 20) or on() vector(0)');
    const notes = said(out);
    expect(notes).toEqual(
      expect.arrayContaining([
        'reviews: the shadow step at weight 0 is left out: Argo Rollouts has no step that only mirrors traffic and compares answers',
        'reviews: gate shadowMismatch is left out: Argo Rollouts does not compare the service\'s answers with legacy\'s',
        expect.stringMatching(/^reviews: inconclusive: proceed has no Argo Rollouts verdict/),
        expect.stringMatching(/^order-detail: webhooks: Argo takes a non-2xx answer as a measurement error/),
        expect.stringMatching(/^order-detail: Argo Rollouts steps on by time \(pause 2m per step\): a failed check within failureLimit 2 does not hold the step/),
      ]),
    );
    expect(notes.join('\n')).not.toMatch(/no rollout plan in the config/);
    for (const n of out.notes) expect(out.text).toContain(n.message);
  });

  it('uses Envoy\'s statistics under Gateway API routing', () => {
    const t = docs(run('argo-rollouts')).find((d) => d.kind === 'AnalysisTemplate' && d.metadata.name === 'strangler-orders');
    expect(t.spec.metrics[1].provider.prometheus.query).toMatch(/^\(100 \* sum\(increase\(envoy_cluster_upstream_rq_xx\{envoy_cluster_name=~"\.\*orders-canary\.\*",envoy_response_code_class="5"\}\[2m\]\)\) \/ sum\(increase\(envoy_cluster_upstream_rq_total\{envoy_cluster_name=~"\.\*orders-canary\.\*"\}\[2m\]\)\)\)/);
  });
});

describe('flagger', () => {
  const out = run('flagger', 'istio');
  const all = docs(out);
  const canary = (name: string) => all.find((d) => d.kind === 'Canary' && d.metadata.name === name);

  it('takes the plan\'s step weights, interval and threshold (failureLimit 2: the third failed check rolls back)', () => {
    const a = canary('orders').spec.analysis;
    expect(a).toMatchObject({ interval: '2m', threshold: 3, stepWeights: [5, 25, 50], maxWeight: 50 });
    expect(a.stepWeight).toBeUndefined();
    expect(a.webhooks).toEqual([
      { name: 'smoke', type: 'rollout', url: 'http://smoke.shop/check', timeout: '5s', metadata: { route: 'order-detail', service: 'orders', phase: 'step' } },
      { name: 'signoff', type: 'confirm-promotion', url: 'http://signoff.shop/ok', timeout: '10s', metadata: { route: 'order-detail', service: 'orders', phase: 'promotion' } },
    ]);
    expect(a.sessionAffinity).toMatchObject({ cookieName: 'strangler-canary', primaryCookieName: 'strangler-primary' });
    // reviews: [0, 30, 100] without the shadow step; threshold is the default failureLimit 1, plus 1.
    expect(canary('reviews').spec.analysis).toMatchObject({ interval: '45s', threshold: 2, stepWeights: [30], maxWeight: 30 });
  });

  it('judges the gates through MetricTemplates with thresholds from the plan', () => {
    const a = canary('orders').spec.analysis;
    expect(a.metrics).toEqual([
      { name: 'requests', interval: '2m', templateRef: { name: 'strangler-orders-requests', namespace: 'shop' }, thresholdRange: { min: 50 } },
      { name: 'error-rate', interval: '2m', templateRef: { name: 'strangler-orders-error-rate', namespace: 'shop' }, thresholdRange: { max: 2 } },
      { name: 'latency-p99', interval: '2m', templateRef: { name: 'strangler-orders-latency-p99', namespace: 'shop' }, thresholdRange: { max: 400 } },
      { name: 'latency-p99-ratio', interval: '2m', templateRef: { name: 'strangler-orders-latency-p99-ratio', namespace: 'shop' }, thresholdRange: { max: 1.5 } },
    ]);
    const mt = all.find((d) => d.kind === 'MetricTemplate' && d.metadata.name === 'strangler-orders-requests');
    expect(mt.spec).toEqual({
      provider: { type: 'prometheus', address: 'http://prom.monitoring:9090' },
      query: 'sum(increase(istio_requests_total{reporter="source",destination_service_name="{{ target }}-canary"}[{{ interval }}])) or on() vector(0)',
    });
    const ratio = all.find((d) => d.kind === 'MetricTemplate' && d.metadata.name === 'strangler-orders-latency-p99-ratio');
    expect(ratio.spec.query).toContain('destination_service_name="{{ target }}-primary"');
  });

  it('says what Flagger decides differently, in the file and on stderr', () => {
    const notes = said(out);
    expect(notes).toEqual(
      expect.arrayContaining([
        'order-detail: inconclusive: Flagger has no inconclusive verdict: fewer than minRequests 50 requests fail the check (metric requests), where the facade pauses',
        'reviews: inconclusive: Flagger has no inconclusive verdict: fewer than minRequests 20 requests fail the check (metric requests), where the facade proceeds',
        'order-detail: metricErrorLimit: Flagger counts a metric it cannot read as a failed check (threshold 3), with no limit of its own',
        expect.stringMatching(/^order-detail: webhooks before promotion: Flagger's confirm-promotion hook holds the canary/),
        'reviews: the shadow step at weight 0 is left out: Flagger has no step that only mirrors traffic and compares answers',
      ]),
    );
    for (const n of out.notes) expect(out.text).toContain(n.message);
    const file = path.join(dir, 'routes.yaml');
    writeFileSync(file, stringify(PLANNED_CONFIG));
    const r = runCli(['export', '--target', 'flagger', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('route reviews: inconclusive: Flagger has no inconclusive verdict: fewer than minRequests 20 requests fail the check (metric requests), where the facade proceeds\n');
    expect(r.stdout).toContain('kind: MetricTemplate');
  });
});
