/**
 * Rollouts in a real facade (control plane included) in front of real loopback services, with
 * short intervals: what a healthy service, a failing one, a slow one and no traffic lead to, as the
 * admin API, routes.yaml, the state file and /metrics show it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { startFacade, type RunningFacade } from '../../control/run';
import { memoryLogger, tempDir } from '../../control/test/support/files';
import { eventually } from '../../control/test/support/wait';
import { admin, decisions, ENV, plannedYaml, rollout, switchable, traffic, type Switchable, type Traffic } from './support';
import type { RolloutView } from '../manager';

let legacy: Switchable;
let service: Switchable;
let t: ReturnType<typeof tempDir>;
let f: RunningFacade | undefined;
let load: Traffic | undefined;
let file: string;
let logs: ReturnType<typeof memoryLogger>;

beforeEach(async () => {
  legacy = await switchable('legacy');
  service = await switchable('service');
  t = tempDir();
  file = path.join(t.dir, 'routes.yaml');
  logs = memoryLogger();
});
afterEach(async () => {
  await load?.stop();
  load = undefined;
  await f?.close();
  f = undefined;
  await Promise.all([legacy.close(), service.close()]);
  t.cleanup();
});

async function run(rolloutLines: string[], extra = ''): Promise<string> {
  writeFileSync(file, plannedYaml(legacy.url, service.url, rolloutLines, extra));
  f = await startFacade({ file, logger: logs.logger, env: ENV });
  return `http://127.0.0.1:${f.admin!.port}`;
}
const proxy = (): string => `http://127.0.0.1:${f!.proxy.port}`;
const fileWeight = (): number => Number(/weight: (\d+)/.exec(readFileSync(file, 'utf8'))![1]);

describe('a rollout', () => {
  it('takes a healthy service to 100 % by itself, one step per interval, saving each step to routes.yaml', async () => {
    const base = await run(['steps: [10, 50, 100]', 'intervalMs: 300', 'minRequests: 5', 'gates: { latency: { p99MaxMs: 1000 } }']);
    load = traffic([proxy()]);
    const started = await admin(base, 'POST', '/routes/cart/rollout/start');
    expect(started.status).toBe(200);
    expect(started.data).toMatchObject({ status: 'progressing', step: 1, weight: 10, runningWeight: 10 });
    await eventually(async () => expect(await rollout(base)).toMatchObject({ status: 'succeeded', runningWeight: 100 }), 20_000);
    const v = await rollout(base);
    expect(decisions(v)).toEqual(['started', 'advanced', 'advanced', 'promoted']);
    expect(v.events.map((e) => e.weight)).toEqual([0, 10, 50, 100]);
    expect(v).toMatchObject({ step: 3, steps: 3, weight: 100, runningWeight: 100, failedChecks: 0, state: { file: `${file}.rollout.json`, persisted: true } });
    expect(v.lastCheck!.gates.map((g) => [g.gate, g.ok])).toEqual([
      ['requests', true],
      ['errorRate', true],
      ['latencyP99', true],
    ]);
    await eventually(() => expect(fileWeight()).toBe(100)); // the write-back follows the running weight
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(service.served).toBeGreaterThan(0);

    const text = await (await request(`${base}/metrics`, { headers: { authorization: `Bearer ${ENV.STRANGLER_ADMIN_TOKEN}` } })).body.text();
    expect(text).toContain('strangler_rollout_status{route="cart",status="succeeded"} 1');
    expect(text).toContain('strangler_rollout_step{route="cart"} 3');
    expect(text).toContain('strangler_rollout_weight{route="cart"} 100');
    expect(text).toMatch(/strangler_rollout_gate_threshold\{route="cart",gate="latencyP99"\} 1000/);
    expect(text).toContain('strangler_rollout_decisions_total{route="cart",decision="promoted"} 1');
    // every decision is a log line too
    expect(logs.lines.filter((l) => l.event === 'rollout').map((l) => l.decision)).toEqual(['started', 'advanced', 'advanced', 'promoted']);
  });

  it('rolls a service that starts failing at the 25 % step back to 0 at that step\'s check, with no failed GET (fallback to legacy)', async () => {
    const base = await run(['steps: [25, 50, 100]', 'intervalMs: 400', 'minRequests: 5', 'failureLimit: 0']);
    load = traffic([proxy()]);
    await admin(base, 'POST', '/routes/cart/rollout/start');
    await eventually(async () => expect(await rollout(base)).toMatchObject({ weight: 25, runningWeight: 25 }));
    service.mode = 'error';
    const seen = (await rollout(base)).events.length;
    // Aborted, and the weight it sets back served (the view can show the decision a moment before its weight is applied).
    await eventually(async () => expect(await rollout(base)).toMatchObject({ status: 'aborted', runningWeight: 0 }), 20_000);
    const v = await rollout(base);
    // The first decision after the service broke is the abort, at the 25 % step: it never reached 50 %.
    expect(decisions(v).slice(seen)).toEqual(['aborted']);
    expect(v.events.map((e) => e.weight)).not.toContain(50);
    const abort = v.events.at(-1)!;
    expect(abort).toMatchObject({ step: 1, weight: 0 });
    expect(abort.reason).toMatch(/^error rate \d+(\.\d+)? % > 1 % \(\d+ of \d+ service requests failed/);
    expect(abort.reason).toMatch(/1 failed checks, more than failureLimit 0\): weight back to 0$/);
    expect(abort.gates!.find((g) => g.gate === 'errorRate')).toMatchObject({ ok: false, threshold: 1 });
    expect(v).toMatchObject({ runningWeight: 0, weight: 0 });
    await eventually(() => expect(fileWeight()).toBe(0)); // the write-back follows the running weight
    const before = load.total;
    await eventually(() => expect(load!.total).toBeGreaterThan(before + 50));
    await load.stop();
    // Every GET the failing service answered with 500 was retried on legacy.
    expect(load.failures).toEqual([]);
    expect(f!.facade.stats()[0].fallbacks).toBeGreaterThan(0);
  });

  it('fails the latency gate of a slow service, absolute and against legacy, and says by how much', async () => {
    service.mode = 'slow';
    service.delayMs = 80;
    const base = await run(['steps: [50, 100]', 'intervalMs: 500', 'minRequests: 5', 'failureLimit: 0', 'gates: { latency: { p99MaxMs: 40, p99MaxRatio: 3 } }']);
    load = traffic([proxy()]);
    await admin(base, 'POST', '/routes/cart/rollout/start');
    await eventually(async () => expect((await rollout(base)).status).toBe('aborted'), 20_000);
    const v = await rollout(base);
    const gate = (name: string) => v.lastCheck!.gates.find((g) => g.gate === name)!;
    expect(gate('errorRate').ok).toBe(true);
    expect(gate('latencyP99')).toMatchObject({ ok: false, threshold: 40, unit: 'ms' });
    // No answer comes faster than 80 ms, so the p99 is at least the 50-100 ms bucket's lower edge (how far above depends on the machine's load).
    expect(gate('latencyP99').value).toBeGreaterThan(50);
    expect(gate('latencyP99Ratio')).toMatchObject({ ok: false, threshold: 3, unit: 'x' });
    expect(v.lastDecision!.reason).toMatch(/p99 latency [\d.]+ ms > 40 ms .*; p99 against legacy [\d.]+x > 3x/);
    await eventually(() => expect(fileWeight()).toBe(0)); // the write-back follows the running weight
  });

  it('gives no traffic its configured inconclusive verdict: wait, pause or proceed, saying why', async () => {
    const route = (name: string, verdict: string) => `  - name: ${name}
    match: { prefix: /api/${name} }
    service: cart
    rollout: { steps: [20, 100], intervalMs: 200, minRequests: 5, inconclusive: ${verdict} }
`;
    writeFileSync(
      file,
      `listen: { host: 127.0.0.1, port: 0 }\nlegacy: ${legacy.url}\nservices:\n  cart: ${service.url}\nroutes:\n${route('waits', 'wait')}${route('pauses', 'pause')}${route('proceeds', 'proceed')}healthCheck: { enabled: false }\nadmin: { port: 0 }\n`,
    );
    f = await startFacade({ file, logger: logs.logger, env: ENV });
    const base = `http://127.0.0.1:${f.admin!.port}`;
    for (const r of ['waits', 'pauses', 'proceeds']) expect((await admin(base, 'POST', `/routes/${r}/rollout/start`)).status).toBe(200);

    await eventually(async () => expect((await rollout(base, 'proceeds')).status).toBe('succeeded'));
    const proceeds = await rollout(base, 'proceeds');
    expect(proceeds.lastDecision!.reason).toMatch(/^promoted to 100 %: inconclusive \(0 service requests in [\d.]+ s, fewer than minRequests 5\), proceeding as configured$/);

    await eventually(async () => expect((await rollout(base, 'pauses')).status).toBe('paused'));
    expect((await rollout(base, 'pauses')).lastDecision!.reason).toMatch(/^inconclusive \(0 service requests in [\d.]+ s, fewer than minRequests 5\); paused as configured: resume or abort$/);

    await eventually(async () => expect(decisions(await rollout(base, 'waits')).filter((d) => d === 'inconclusive').length).toBeGreaterThanOrEqual(2));
    const waits = await rollout(base, 'waits');
    expect(waits).toMatchObject({ status: 'progressing', step: 1, weight: 20 });
    expect(waits.lastCheck).toMatchObject({ verdict: 'inconclusive', requests: 0 });
    expect(waits.lastDecision!.reason).toMatch(/^0 service requests in [\d.]+ s, fewer than minRequests 5; waiting: the step goes on and is judged again in 200 ms$/);

    // With traffic the waiting step is judged and taken.
    load = traffic([proxy()], '/api/waits/x');
    await eventually(async () => expect((await rollout(base, 'waits')).status).toBe('succeeded'), 20_000);
  });

  it('resumes after a restart from its state file, and goes on through a config reload', async () => {
    const base = await run(['steps: [10, 50, 100]', 'intervalMs: 600', 'minRequests: 3']);
    load = traffic([proxy()]);
    await admin(base, 'POST', '/routes/cart/rollout/start');
    await eventually(async () => expect((await rollout(base)).weight).toBe(50), 20_000);
    const first = f!.rollouts.id;
    await load.stop();
    await f!.close();
    const stored = JSON.parse(readFileSync(`${file}.rollout.json`, 'utf8')) as { leader: unknown; rollouts: Record<string, { status: string; weight: number }> };
    expect(stored.rollouts.cart).toMatchObject({ status: 'progressing', weight: 50 });
    expect(stored.leader).toBeNull(); // handed back on a graceful stop

    f = await startFacade({ file, logger: logs.logger, env: ENV });
    const again = `http://127.0.0.1:${f.admin!.port}`;
    expect(await rollout(again)).toMatchObject({ status: 'progressing', weight: 50, runningWeight: 50 });
    // An edit of the file that does not touch the route's weight is a reload, not a change of plan.
    writeFileSync(file, `${readFileSync(file, 'utf8')}# reviewed\n`);
    load = traffic([proxy()]);
    await eventually(async () => expect((await rollout(again)).status).toBe('succeeded'), 20_000);
    const v = await rollout(again);
    expect(decisions(v)).toEqual(['started', 'advanced', 'advanced', 'promoted']);
    expect(v.events.map((e) => e.by)).toEqual([first, first, first, f!.rollouts.id]);
    expect(logs.lines.some((l) => l.event === 'config_reload' && l.result === 'unchanged')).toBe(true);
  });

  it('pauses when the weight is changed by hand, and resumes from the weight it was given', async () => {
    const base = await run(['steps: [10, 50, 100]', 'intervalMs: 60000']);
    await admin(base, 'POST', '/routes/cart/rollout/start');
    expect((await admin(base, 'PUT', '/routes/cart/weight', { weight: 30 })).status).toBe(200);
    await eventually(async () => expect((await rollout(base)).status).toBe('paused'));
    expect((await rollout(base)).lastDecision!.reason).toBe("the route's weight was changed outside the rollout (it is 30 %, the rollout set 10 %); resume to continue from 30 %, or abort; paused");
    const resumed = await admin(base, 'POST', '/routes/cart/rollout/resume');
    expect(resumed.data).toMatchObject({ status: 'progressing', weight: 30, step: 1 });
    const again = await admin<{ error: string }>(base, 'POST', '/routes/cart/rollout/start');
    expect(again).toEqual({ status: 409, data: { error: 'route "cart" already has a rollout progressing (step 1 of 3, 30 %); resume or abort it first' } });
    const aborted = await admin(base, 'POST', '/routes/cart/rollout/abort');
    expect(aborted.data).toMatchObject({ status: 'aborted', weight: 0, runningWeight: 0 });
    await eventually(() => expect(fileWeight()).toBe(0)); // the write-back follows the running weight
    expect(await admin<{ error: string }>(base, 'POST', '/routes/cart/rollout/pause')).toEqual({ status: 409, data: { error: 'cannot pause: the rollout of "cart" is aborted' } });
    expect((await admin<{ error: string; routes: string[] }>(base, 'POST', '/routes/nope/rollout/start')).data).toEqual({ error: 'unknown route "nope" (routes: cart)', routes: ['cart'] });
  });
});

describe('webhooks', () => {
  let hooks: { url: string; seen: Array<Record<string, unknown>>; close(): Promise<void> };
  beforeEach(async () => {
    const seen: Array<Record<string, unknown>> = [];
    const server = (await import('node:http')).createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const payload = JSON.parse(body) as Record<string, unknown>;
        seen.push(payload);
        res.statusCode = payload.phase === 'promotion' ? 503 : 200;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    hooks = { url: `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
  });
  afterEach(() => hooks.close());

  it('calls them before each step and before promotion; a non-2xx answer fails the check', async () => {
    const base = await run([
      'steps: [50, 100]',
      'intervalMs: 300',
      'minRequests: 3',
      'failureLimit: 0',
      'webhooks:',
      `  - { name: load-test, url: ${hooks.url}/step, before: step }`,
      `  - { name: approve, url: ${hooks.url}/promote, before: promotion }`,
    ]);
    load = traffic([proxy()]);
    await admin(base, 'POST', '/routes/cart/rollout/start');
    await eventually(async () => expect((await rollout(base)).status).toBe('aborted'), 20_000);
    expect(hooks.seen).toEqual([
      { route: 'cart', service: 'cart', phase: 'step', weight: 0, nextWeight: 50, step: 1, steps: 2, webhook: 'load-test' },
      { route: 'cart', service: 'cart', phase: 'promotion', weight: 50, nextWeight: 100, step: 2, steps: 2, webhook: 'approve' },
    ]);
    const v = await rollout(base);
    expect(v.lastDecision!.reason).toBe(`webhook approve: ${hooks.url}/promote answered 503 (1 failed checks, more than failureLimit 0): weight back to 0`);
    expect(v.lastCheck!.gates.at(-1)).toMatchObject({ gate: 'webhook:approve', value: 503, ok: false });
  });

  it('takes a webhook that does not answer as a metric error, and aborts past metricErrorLimit', async () => {
    await hooks.close();
    const base = await run(['steps: [50, 100]', 'intervalMs: 200', 'metricErrorLimit: 1', 'webhooks:', `  - { name: gone, url: ${hooks.url}/x, timeoutMs: 500 }`]);
    hooks.close = async () => undefined;
    await admin(base, 'POST', '/routes/cart/rollout/start');
    await eventually(async () => expect((await rollout(base)).status).toBe('aborted'));
    const v: RolloutView = await rollout(base);
    expect(decisions(v)).toEqual(['started', 'metric_error', 'aborted']);
    expect(v.events[1].reason).toMatch(/^metrics could not be read: webhook gone \(http:\/\/127\.0\.0\.1:\d+\/x\) did not answer: ECONNREFUSED \(1 in a row of metricErrorLimit 1\)/);
    expect(v.lastDecision!.reason).toMatch(/\(2 times in a row, more than metricErrorLimit 1\): weight back to 0$/);
    await eventually(() => expect(fileWeight()).toBe(0)); // the write-back follows the running weight
  });
});
