/**
 * Three `strangler facade` processes on one shared config file, as replicas behind a load
 * balancer: the same user on the same side on every replica, a weight change made through one
 * replica's admin API served by the others within a second, and one rollout driven by one replica
 * at a time, every step taken once, also when the driver dies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import { tempDir } from '../../control/test/support/files';
import { startFacadeProcess, type FacadeProcess } from '../../control/test/support/spawn-cli';
import { eventually } from '../../control/test/support/wait';
import { admin, decisions, ENV, plannedYaml, rollout, switchable, traffic, type Switchable } from './support';

let legacy: Switchable;
let service: Switchable;
let t: ReturnType<typeof tempDir>;
let replicas: FacadeProcess[] = [];
let file: string;
const agent = new Agent({ connections: 8 });

beforeAll(async () => {
  legacy = await switchable('legacy');
  service = await switchable('service');
});
afterAll(async () => {
  await agent.close();
  await Promise.all([legacy.close(), service.close()]);
});
beforeEach(async () => {
  t = tempDir();
  file = path.join(t.dir, 'routes.yaml');
});
afterEach(async () => {
  await Promise.all(replicas.map((p) => p.stop('SIGKILL')));
  replicas = [];
  t.cleanup();
});

async function startReplicas(yaml: string, n = 3): Promise<FacadeProcess[]> {
  writeFileSync(file, yaml);
  replicas = await Promise.all(Array.from({ length: n }, () => startFacadeProcess(['-c', file], ENV)));
  return replicas;
}

async function sideOf(p: FacadeProcess, user: string): Promise<string> {
  const res = await request(`${p.proxyUrl}/api/cart/x`, { headers: { 'x-user-id': user }, dispatcher: agent });
  return (JSON.parse(await res.body.text()) as { from: string }).from;
}

const weightOf = async (p: FacadeProcess): Promise<number> => (await admin<{ routes: Array<{ name: string; weight: number }> }>(p.adminUrl, 'GET', '/routes')).data.routes[0].weight;

describe('facade replicas on one config file', () => {
  it('put each user on the same side on every replica, and a weight set through one is served by all within a second', async () => {
    const ps = await startReplicas(plannedYaml(legacy.url, service.url, ['steps: [50, 100]']).replace('weight: 0', 'weight: 30'));
    let toService = 0;
    for (let u = 0; u < 300; u++) {
      const sides = await Promise.all(ps.map((p) => sideOf(p, `user-${u}`)));
      expect(new Set(sides).size).toBe(1);
      if (sides[0] === 'service') toService++;
    }
    expect(toService / 300).toBeGreaterThan(0.22);
    expect(toService / 300).toBeLessThan(0.38);

    const set = await admin<{ persisted: boolean; weight: number }>(ps[0].adminUrl, 'PUT', '/routes/cart/weight', { weight: 70 });
    expect(set.data).toMatchObject({ persisted: true, weight: 70 });
    // Through the shared file: the others' watchers reload it (the bound is the point of the test).
    await Promise.all(ps.slice(1).map((p) => eventually(async () => expect(await weightOf(p)).toBe(70), 1000)));
    for (let u = 0; u < 100; u++) {
      const sides = await Promise.all(ps.map((p) => sideOf(p, `moved-${u}`)));
      expect(new Set(sides).size).toBe(1);
    }
  });

  it('let one replica drive a rollout, take every step once, and hand over when the driver dies', async () => {
    const ps = await startReplicas(plannedYaml(legacy.url, service.url, ['steps: [10, 30, 60, 100]', 'intervalMs: 700', 'minRequests: 2']));
    let load = traffic(ps.map((p) => p.proxyUrl));
    // Started through the second replica: whichever may drive takes the first step.
    expect((await admin(ps[1].adminUrl, 'POST', '/routes/cart/rollout/start')).status).toBe(200);
    await eventually(async () => expect((await rollout(ps[2].adminUrl)).step).toBeGreaterThanOrEqual(2), 20_000);
    const before = await rollout(ps[0].adminUrl);
    const driver = before.driver!.id;
    const dying = ps.find((p) => p.logs().some((l) => l.event === 'started' && l.replica === driver))!;
    expect(dying).toBeDefined();
    await load.stop();
    await dying.stop('SIGKILL');
    const alive = ps.filter((p) => p !== dying);
    load = traffic(alive.map((p) => p.proxyUrl));
    try {
      await eventually(async () => expect(await rollout(alive[0].adminUrl)).toMatchObject({ status: 'succeeded' }), 30_000);
    } finally {
      await load.stop();
    }
    const v = await rollout(alive[1].adminUrl);
    expect(decisions(v)).toEqual(['started', 'advanced', 'advanced', 'advanced', 'promoted']);
    expect(v.events.map((e) => e.weight)).toEqual([0, 10, 30, 60, 100]);
    // Before the kill one replica took the steps; after it, another one did.
    const by = v.events.slice(1).map((e) => e.by);
    const firstOther = by.findIndex((b) => b !== driver);
    expect(firstOther).toBeGreaterThan(0);
    expect(new Set(by.slice(0, firstOther))).toEqual(new Set([driver]));
    expect(new Set(by.slice(firstOther)).size).toBe(1);
    const taker = alive.find((p) => p.logs().some((l) => l.event === 'rollout_driver' && typeof l.msg === 'string' && l.msg.includes(`taking over from ${driver}`)));
    expect(taker).toBeDefined();
    await eventually(async () => expect(await Promise.all(alive.map(weightOf))).toEqual([100, 100]));
    expect(readFileSync(file, 'utf8')).toContain('weight: 100');
  });
});
