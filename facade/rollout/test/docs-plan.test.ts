/** The plan docs/rollouts.md shows is one the facade accepts, with the values the page says. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { FacadeConfigSchema } from '../../config/schema';

it('docs/rollouts.md: the example plan is valid, and what it leaves out takes the documented defaults', () => {
  const page = readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'rollouts.md'), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(page)![1];
  const config = FacadeConfigSchema.parse({ legacy: 'http://127.0.0.1:3000', services: { notifications: 'http://127.0.0.1:4001' }, ...parse(block) });
  const plan = config.routes[0].rollout!;
  expect(plan).toMatchObject({ steps: [0, 5, 25, 50, 100], intervalMs: 60000, minRequests: 20, failureLimit: 1, metricErrorLimit: 3, inconclusive: 'wait' });
  expect(plan.gates).toEqual({ errorRate: { maxPercent: 1 }, latency: { p99MaxMs: 300, p99MaxRatio: 1.5 }, shadowMismatch: { maxPercent: 2 } });
  expect(plan.webhooks).toEqual([
    { name: 'smoke', url: 'http://smoke-tests:9000/check', before: 'step', timeoutMs: 5000 },
    { name: 'sign-off', url: 'http://deploys:9000/ok', before: 'promotion', timeoutMs: 10000 },
  ]);
  // Defaults from the schema itself, as the page claims.
  const bare = FacadeConfigSchema.parse({ legacy: 'http://127.0.0.1:3000', services: { s: 'http://127.0.0.1:4001' }, routes: [{ name: 'r', match: { prefix: '/r' }, service: 's', rollout: { steps: [100] } }] });
  expect(bare.routes[0].rollout).toMatchObject({ intervalMs: 60000, minRequests: 20, failureLimit: 1, metricErrorLimit: 3, inconclusive: 'wait', gates: { errorRate: { maxPercent: 1 } }, webhooks: [] });
});
