/**
 * `strangler rollout` against `strangler facade` processes: what a person reads and the exit
 * codes, and a read-only config directory (a ConfigMap mount) keeping the state in memory and
 * saying so.
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../control/test/support/files';
import { readOnlyDir, subdir } from '../../control/test/support/read-only';
import { runCliAsync, startFacadeProcess, type FacadeProcess } from '../../control/test/support/spawn-cli';
import { eventually } from '../../control/test/support/wait';
import { ENV, plannedYaml, rollout, switchable, traffic, type Switchable } from './support';

let legacy: Switchable;
let service: Switchable;
let t: ReturnType<typeof tempDir>;
const running: FacadeProcess[] = [];
beforeAll(async () => {
  legacy = await switchable('legacy');
  service = await switchable('service');
});
afterAll(() => Promise.all([legacy.close(), service.close()]));
beforeEach(() => (t = tempDir()));
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  t.cleanup();
});

const cli = (p: FacadeProcess, ...args: string[]) => runCliAsync(['rollout', ...args, '--admin', p.adminUrl], ENV);

describe('strangler rollout', () => {
  it('starts, shows and aborts a rollout; bad input exits 2 with the reason', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, plannedYaml(legacy.url, service.url, ['steps: [20, 60, 100]', 'intervalMs: 60000', 'gates: { errorRate: { maxPercent: 2 }, latency: { p99MaxMs: 250 } }']));
    const p = await startFacadeProcess(['-c', file], ENV);
    running.push(p);

    const start = await cli(p, 'start', 'cart');
    expect(start.code).toBe(0);
    expect(start.stderr).toBe('');
    expect(start.stdout.split('\n').slice(0, 4)).toEqual([
      'route cart (service cart): progressing, step 1 of 3, weight 20 %',
      'no check yet',
      expect.stringMatching(/^last decision \S+ \S+: advanced: step 1 of 3: 20 %: the rollout starts$/),
      expect.stringMatching(/^failed checks 0 \(failureLimit 1\), metric errors in a row 0 \(metricErrorLimit 3\), next check \S+ \S+$/),
    ]);
    expect(start.stdout).toMatch(new RegExp(`driven by this replica \\S+; state saved in ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\.rollout\\.json`));

    const list = await cli(p, 'status');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/│ cart\s+│ progressing\s+│ 1\/3\s+│ 20%\s+│ 0\s+│ advanced: step 1 of 3: 20 %: the rollout starts\s+│/);
    const json = JSON.parse((await cli(p, 'status', 'cart', '--json')).stdout) as { plan: { steps: number[]; gates: unknown }; weight: number };
    expect(json.plan).toMatchObject({ steps: [20, 60, 100], gates: { errorRate: { maxPercent: 2 }, latency: { p99MaxMs: 250 } } });

    expect(await cli(p, 'start', 'cart')).toEqual({ code: 2, stdout: '', stderr: 'admin API: route "cart" already has a rollout progressing (step 1 of 3, 20 %); resume or abort it first\n' });
    expect(await cli(p, 'resume', 'cart')).toEqual({ code: 2, stdout: '', stderr: 'admin API: cannot resume: the rollout of "cart" is progressing\n' });
    expect(await cli(p, 'start', 'kart')).toEqual({ code: 2, stdout: '', stderr: 'unknown route "kart" (routes: cart)\n' });

    const abort = await cli(p, 'abort', 'cart');
    expect(abort.code).toBe(0);
    expect(abort.stdout).toMatch(/^route cart \(service cart\): aborted, step 1 of 3, weight 0 %\n/);
    expect(abort.stdout).toMatch(/aborted\s+step 1, 0 %: aborted by the admin API: weight back to 0\n$/);
  });

  it('pauses and resumes, refusing what the status does not allow; a route without a plan exits 2 naming the file', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    const yaml = plannedYaml(legacy.url, service.url, ['steps: [10, 100]', 'intervalMs: 60000']).replace('healthCheck:', '  - name: orders\n    match: { prefix: /api/orders }\n    service: cart\nhealthCheck:');
    writeFileSync(file, yaml);
    const p = await startFacadeProcess(['-c', file], ENV);
    running.push(p);

    expect(await cli(p, 'start', 'orders')).toEqual({
      code: 2,
      stdout: '',
      stderr: `admin API: route "orders" has no rollout plan: add a \`rollout:\` block (steps, intervalMs, gates) to it in ${file}\n`,
    });
    expect(await cli(p, 'pause', 'cart')).toEqual({ code: 2, stdout: '', stderr: 'admin API: route "cart" has no rollout to pause; start one with `strangler rollout start cart`\n' });
    // Before any start the list shows the planned route as idle, and only that one.
    const idle = await cli(p, 'status');
    expect(idle.code).toBe(0);
    expect(idle.stdout).toMatch(/│ cart\s+│ idle\s+│ -\s+│ 0%\s+│ 0\s+│ -\s+│/);
    expect(idle.stdout).not.toContain('orders');

    expect((await cli(p, 'start', 'cart')).code).toBe(0);
    const paused = await cli(p, 'pause', 'cart');
    expect(paused.code).toBe(0);
    expect(paused.stdout.split('\n')[0]).toBe('route cart (service cart): paused, step 1 of 2, weight 10 %');
    expect(paused.stdout).toMatch(/paused\s+step 1, 10 %: paused by the admin API\n$/);
    expect(await cli(p, 'pause', 'cart')).toEqual({ code: 2, stdout: '', stderr: 'admin API: cannot pause: the rollout of "cart" is paused\n' });
    // Paused, it takes no step and the weight it set stays served.
    expect((await runCliAsync(['route', 'list', '--admin', p.adminUrl, '--json'], ENV)).stdout).toMatch(/"weight": 10/);

    const resumed = await cli(p, 'resume', 'cart', '--json');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ route: 'cart', status: 'progressing', step: 1, weight: 10, runningWeight: 10, lastDecision: { decision: 'resumed', reason: 'resumed by the admin API at 10 %' } });
    const list = JSON.parse((await cli(p, 'status', '--json')).stdout) as Array<{ route: string; status: string }>;
    expect(list.map((v) => [v.route, v.status])).toEqual([['cart', 'progressing']]);
    expect((await cli(p, 'abort', 'cart')).code).toBe(0);
    expect(await cli(p, 'abort', 'cart')).toEqual({ code: 2, stdout: '', stderr: 'admin API: cannot abort: the rollout of "cart" is aborted\n' });
    expect(await cli(p, 'resume', 'cart')).toEqual({ code: 2, stdout: '', stderr: 'admin API: cannot resume: the rollout of "cart" is aborted; start a new one instead\n' });
  });

  it('refuses a bad plan in routes.yaml at start naming file, line and field (exit 2), and keeps the last good plan on reload', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, plannedYaml(legacy.url, service.url, ['steps: [50, 20, 100]']));
    // Line 12 is the first line under `rollout:` (see plannedYaml).
    expect(await runCliAsync(['facade', '-c', file], ENV)).toMatchObject({ code: 2, stderr: 'routes.yaml:12: routes[0].rollout.steps[1]: steps must increase, got 20 after 50\n' });
    writeFileSync(file, plannedYaml(legacy.url, service.url, ['steps: [50, 90]']));
    expect(await runCliAsync(['facade', '-c', file], ENV)).toMatchObject({
      code: 2,
      stderr: 'routes.yaml:12: routes[0].rollout.steps: the last step must be 100 (the rollout ends with the route on its service), got 90; to stop earlier, pause the rollout\n',
    });

    writeFileSync(file, plannedYaml(legacy.url, service.url, ['steps: [50, 100]', 'intervalMs: 60000']));
    const p = await startFacadeProcess(['-c', file], ENV);
    running.push(p);
    writeFileSync(file, plannedYaml(legacy.url, service.url, ['steps: [50, 100]', 'intervalMs: 10']));
    await eventually(() => expect(p.logs().find((l) => l.event === 'config_reload' && l.result === 'rejected')?.msg).toMatch(/routes\.yaml:13: routes\[0\]\.rollout\.intervalMs: /));
    const json = JSON.parse((await cli(p, 'status', 'cart', '--json')).stdout) as { plan: { intervalMs: number } };
    expect(json.plan.intervalMs).toBe(60000);
  });

  it('with a read-only config directory keeps the rollout in memory, says so, and still runs it', async () => {
    const dir = subdir(t.dir, 'configmap');
    const file = path.join(dir, 'routes.yaml');
    writeFileSync(file, plannedYaml(legacy.url, service.url, ['steps: [50, 100]', 'intervalMs: 300', 'minRequests: 3']));
    chmodSync(file, 0o644);
    const ro = readOnlyDir(dir, [t.dir]);
    try {
      const p = await startFacadeProcess(['-c', file], ENV, 30_000, ro.as);
      running.push(p);
      const load = traffic([p.proxyUrl]);
      try {
        const start = await cli(p, 'start', 'cart');
        expect(start.code).toBe(1);
        const why = `cannot write routes.yaml.rollout.json in ${dir}: permission denied; rollout state is kept in memory only and a restart loses it`;
        expect(start.stderr).toBe(`warning: rollout state in memory only: ${why}\n`);
        expect(start.stdout).toContain(`state in memory only: ${why}`);
        await eventually(async () => expect(await rollout(p.adminUrl)).toMatchObject({ status: 'succeeded', runningWeight: 100, state: { persisted: false } }), 20_000);
        expect((await cli(p, 'status')).stdout).toContain(`state in memory only: ${why}`);
        // The weights it set live in memory too, and `route list` says so.
        expect((await runCliAsync(['route', 'list', '--admin', p.adminUrl], ENV)).stdout).toMatch(/│ 100% \*\s+│/);
        expect(existsSync(`${file}.rollout.json`)).toBe(false);
        expect(p.logs().find((l) => l.event === 'rollout_state')).toMatchObject({ persisted: false, msg: why });
      } finally {
        await load.stop();
      }
    } finally {
      ro.undo();
    }
  });
});
