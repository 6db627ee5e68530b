/**
 * Every Kubernetes object the export writes, validated against its schema (kubernetes-models and
 * @kubernetes-models/*, Flagger's vendored CRD), and read back for what the facade config said.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { FacadeConfigSchema } from '../../facade/config/schema';
import { exportConfig, TARGETS, type ExportOutput, type Target } from '../index';
import { FULL_CONFIG } from './fixtures';
import { validateFiles } from './support/validate';

const KUBE_TARGETS = TARGETS.filter((t) => t !== 'nginx');
const config = FacadeConfigSchema.parse(FULL_CONFIG);
const dir = mkdtempSync(path.join(os.tmpdir(), 'strangler-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/* eslint-disable @typescript-eslint/no-explicit-any */
const docs = (o: ExportOutput): any[] => parseAllDocuments(o.text).map((d) => d.toJS());
const run = (target: Target, routing: 'gateway-api' | 'istio' = 'gateway-api'): ExportOutput =>
  exportConfig({ config, raw: FULL_CONFIG, source: 'routes.yaml' }, target, { routing, namespace: 'shop' });

describe('schemas', () => {
  it('accepts every object of every Kubernetes target, with either routing', () => {
    const files: string[] = [];
    for (const t of KUBE_TARGETS)
      for (const routing of ['gateway-api', 'istio'] as const) {
        const f = path.join(dir, `${routing}-${t}.yaml`);
        writeFileSync(f, run(t, routing).text);
        files.push(f);
      }
    const results = validateFiles(files);
    expect(results.filter((r) => r.error !== null)).toEqual([]);
    const kinds = new Set(results.map((r) => r.kind));
    for (const k of [
      'gateway.networking.k8s.io/v1/HTTPRoute',
      'networking.istio.io/v1/VirtualService',
      'networking.istio.io/v1/DestinationRule',
      'argoproj.io/v1alpha1/Rollout',
      'flagger.app/v1beta1/Canary',
      'v1/ConfigMap',
      'apps/v1/Deployment',
      'v1/Service',
      'policy/v1/PodDisruptionBudget',
    ])
      expect(kinds).toContain(k);
  });

  it('rejects objects that break them (the validator can fail)', () => {
    const f = path.join(dir, 'broken.yaml');
    writeFileSync(
      f,
      [
        'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: x }\nspec:\n  rules:\n    - filters: [{ type: RequestMirror, requestMirror: { backendRef: { name: a, port: 80 }, percent: 150 } }]\n',
        'apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: { name: x }\nspec:\n  targetRef: { apiVersion: apps/v1, kind: Deployment, name: x }\n  service: { port: 80, mach: [] }\n  analysis: { interval: 1m, threshold: 5, stepWeights: [10] }\n',
        'apiVersion: example.com/v1\nkind: Unknown\nmetadata: { name: x }\n',
      ].join('---\n'),
    );
    const [route, canary, unknown] = validateFiles([f]);
    expect(route.error).toMatch(/percent must be <= 100/);
    expect(canary.error).toMatch(/additional properties: mach/);
    expect(unknown.error).toMatch(/no schema known/);
  });
});

describe('gateway-api', () => {
  const out = run('gateway-api');
  const routes = docs(out);
  const byName = (n: string) => routes.find((r) => r.metadata.name === n);

  it('writes one HTTPRoute per route plus the catch-all to legacy', () => {
    expect(routes.map((r) => r.metadata.name)).toEqual(['strangler-notifications', 'strangler-reviews', 'strangler-order-detail', 'strangler-legacy']);
    expect(byName('strangler-legacy').spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'legacy', port: 3000 }] }]);
    for (const r of routes) expect(r.metadata.namespace).toBe('shop');
  });

  it('splits by weight, in whole per cent or per ten thousand', () => {
    const plain = byName('strangler-notifications').spec.rules.at(-1);
    // The service's host is a cluster name: its first label is the Service.
    expect(plain.backendRefs).toEqual([
      { name: 'legacy', port: 3000, weight: 90 },
      { name: 'notifications', port: 4001, weight: 10 },
    ]);
    expect(plain.matches).toEqual([{ path: { type: 'PathPrefix', value: '/api/notifications' } }]);
    expect(byName('strangler-order-detail').spec.rules.at(-1).backendRefs).toEqual([
      { name: 'legacy', port: 3000, weight: 8750 },
      { name: 'orders', port: 4003, weight: 1250 },
    ]);
  });

  it('forces a side with the override header, for the service name too', () => {
    const [toService, toLegacy] = byName('strangler-notifications').spec.rules;
    expect(toService.backendRefs).toEqual([{ name: 'notifications', port: 4001 }]);
    expect(toService.matches.map((m: any) => m.headers[0].value)).toEqual(['service', 'notifications']);
    expect(toLegacy.matches[0].headers).toEqual([{ type: 'Exact', name: 'x-strangler-target', value: 'legacy' }]);
    expect(toLegacy.backendRefs).toEqual([{ name: 'legacy', port: 3000 }]);
  });

  it('mirrors the shadowed methods with a fraction below 1 %, and not the others', () => {
    const rules = byName('strangler-reviews').spec.rules;
    const mirrored = rules.find((r: any) => r.filters);
    expect(mirrored.matches.map((m: any) => m.method)).toEqual(['GET', 'HEAD']);
    expect(mirrored.filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'reviews', port: 4002 }, fraction: { numerator: 50, denominator: 10000 } } }]);
    const plain = rules.at(-1);
    expect(plain.filters).toBeUndefined();
    expect(plain.matches).toEqual([{ path: { type: 'PathPrefix', value: '/api/reviews' } }]);
    // With shadow on, the override rules repeat the mirrored methods: a method match outranks a header match.
    expect(rules[0].matches.map((m: any) => m.method ?? 'any')).toEqual(['GET', 'HEAD', 'any', 'GET', 'HEAD', 'any']);
  });

  it('turns a path pattern into a case-insensitive regular expression, one match per method', () => {
    const plain = byName('strangler-order-detail').spec.rules.at(-1);
    expect(plain.matches.map((m: any) => m.method)).toEqual(['GET', 'HEAD']);
    const regex = new RegExp(plain.matches[0].path.value.replace('(?i)', ''), 'i');
    expect(plain.matches[0].path.type).toBe('RegularExpression');
    expect(regex.test('/api/orders/42')).toBe(true);
    expect(regex.test('/API/Orders/42/')).toBe(true);
    expect(regex.test('/api/orders/42/items')).toBe(false);
    expect(plain.matches[0].headers).toEqual([{ type: 'Exact', name: 'x-beta', value: 'on' }]);
  });

  it('says what Gateway API cannot do, in the file and in its notes', () => {
    const said = out.notes.map((n) => n.message).join('\n');
    for (const gap of [/splits the weight per request, not per user/, /no fallback/, /not compared with legacy's/, /circuit breaker and active health checks are not expressible/, /reviews 2000 ms/, /trustedProxies/])
      expect(said).toMatch(gap);
    for (const n of out.notes) expect(out.text).toContain(n.message);
  });
});

describe('istio', () => {
  const out = run('istio');
  const [vs, ...rules] = docs(out);

  it('keeps the facade order: override, shadow, route, then legacy', () => {
    expect(vs.spec.http.map((h: any) => h.name)).toEqual([
      'notifications-override-service',
      'notifications-override-legacy',
      'notifications',
      'reviews-override-service',
      'reviews-override-legacy',
      'reviews-shadow',
      'reviews',
      'order-detail-override-service',
      'order-detail-override-legacy',
      'order-detail',
      'legacy',
    ]);
    expect(vs.spec.hosts).toEqual(['legacy']);
  });

  it('matches a prefix on segment boundaries, ignoring case, with whole-per-cent weights', () => {
    const route = vs.spec.http.find((h: any) => h.name === 'notifications');
    expect(route.match).toEqual([
      { uri: { exact: '/api/notifications' }, ignoreUriCase: true },
      { uri: { prefix: '/api/notifications/' }, ignoreUriCase: true },
    ]);
    expect(route.route.map((d: any) => [d.destination.host, d.weight])).toEqual([
      ['legacy', 90],
      ['notifications', 10],
    ]);
    const detail = vs.spec.http.find((h: any) => h.name === 'order-detail');
    expect(detail.route.map((d: any) => d.weight)).toEqual([87, 13]);
    expect(out.notes.map((n) => n.message)).toContain('Istio weights are whole per cent: 12.5 % becomes 13 %');
  });

  it('mirrors with mirrorPercentage and takes the breaker as outlier detection', () => {
    const shadow = vs.spec.http.find((h: any) => h.name === 'reviews-shadow');
    expect(shadow.mirror).toEqual({ host: 'reviews', port: { number: 4002 } });
    expect(shadow.mirrorPercentage).toEqual({ value: 0.5 });
    expect(shadow.match[0].method).toEqual({ regex: '^(GET|HEAD)$' });
    const reviews = rules.find((r) => r.spec.host === 'reviews');
    expect(reviews.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 5, interval: '10000ms', baseEjectionTime: '10000ms', maxEjectionPercent: 100 });
    expect(rules.find((r) => r.spec.host === 'legacy').spec.trafficPolicy).toEqual({ loadBalancer: { simple: 'ROUND_ROBIN' } });
  });
});

describe('kubernetes (the facade itself)', () => {
  const out = run('kubernetes');
  const [cm, deployment, svc, admin, pdb] = docs(out);

  it('carries the user\'s config in a ConfigMap the facade accepts, with cluster addresses', () => {
    const routes = FacadeConfigSchema.parse(parse(cm.data['routes.yaml']));
    expect(routes.listen).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(routes.admin).toMatchObject({ host: '0.0.0.0', port: 8081, tokenFile: '/var/run/strangler/token' });
    expect(routes.legacy.urls).toEqual(['http://legacy:3000']);
    expect(routes.legacy.balance).toBe('round-robin');
    expect(routes.services.notifications.urls).toEqual(['http://notifications:4001']);
    expect(routes.services.reviews).toMatchObject({ urls: ['http://reviews:4002'], timeoutMs: 2000 });
    expect(routes.routes.map((r) => [r.name, r.weight])).toEqual([
      ['notifications', 10],
      ['reviews', 0],
      ['order-detail', 12.5],
    ]);
  });

  it('runs replicas that reload the mounted ConfigMap directory', () => {
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(3);
    expect(pod.containers[0].args).toEqual(['facade', '-c', '/etc/strangler/routes.yaml', '--shutdown-timeout', '20000']);
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === 'routes');
    expect(mount).toEqual({ name: 'routes', mountPath: '/etc/strangler', readOnly: true });
    expect(pod.volumes.find((v: any) => v.name === 'routes').configMap.name).toBe(cm.metadata.name);
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'admin' });
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
    expect(admin.spec.ports).toEqual([{ name: 'admin', port: 8081, targetPort: 'admin' }]);
    expect(pdb.spec.minAvailable).toBe(1);
  });
});

describe('argo-rollouts and flagger', () => {
  it('gives each service a Rollout stepping to the current weight, over stable and canary Services', () => {
    const all = docs(run('argo-rollouts'));
    const rollout = all.find((d) => d.kind === 'Rollout' && d.metadata.name === 'orders');
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders', scaleDown: 'progressively' });
    expect(rollout.spec.strategy.canary).toMatchObject({ stableService: 'orders-stable', canaryService: 'orders-canary', steps: [{ setWeight: 13 }, { pause: {} }] });
    expect(rollout.spec.strategy.canary.trafficRouting.plugins['argoproj-labs/gatewayAPI'].httpRoutes).toEqual([{ name: 'strangler-order-detail', useHeaderRoutes: true }]);
    const route = all.find((d) => d.kind === 'HTTPRoute' && d.metadata.name === 'strangler-order-detail');
    expect(route.spec.rules.at(-1).backendRefs.map((b: any) => b.name)).toEqual(['orders-stable', 'orders-canary']);
    const istio = docs(run('argo-rollouts', 'istio')).find((d) => d.kind === 'Rollout' && d.metadata.name === 'reviews');
    expect(istio.spec.strategy.canary.trafficRouting).toEqual({ istio: { virtualService: { name: 'strangler', routes: ['reviews', 'reviews-shadow'] } } });
  });

  it('gives each service a Canary with session affinity on both sides and a promotion gate', () => {
    const out = run('flagger');
    const canary = docs(out).find((d) => d.kind === 'Canary' && d.metadata.name === 'notifications');
    expect(canary.spec.analysis).toMatchObject({ stepWeights: [10], maxWeight: 10, sessionAffinity: { cookieName: 'strangler-canary', primaryCookieName: 'strangler-primary' } });
    expect(canary.spec.analysis.webhooks).toEqual([{ name: 'promotion-gate', type: 'confirm-promotion', url: 'http://flagger-loadtester.shop/gate/check' }]);
    expect(canary.spec.service.match).toEqual([{ uri: { prefix: '/api/notifications' } }]);
    expect(out.notes.map((n) => n.message).join('\n')).toMatch(/override header/);
  });
});
