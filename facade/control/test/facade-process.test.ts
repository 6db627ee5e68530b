/**
 * `strangler facade` as a real process in front of real upstreams: hot reload under load (file
 * rewrite, Kubernetes ConfigMap swap, SIGHUP), bad configs, admin API write-back surviving a
 * restart, body pass-through, graceful stop.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { request } from 'undici';
import { tempDir } from './support/files';
import { ConfigMapDir } from './support/k8s';
import { startLoad } from './support/load';
import { subdir } from './support/read-only';
import { runCliAsync, startFacadeProcess, type FacadeProcess } from './support/spawn-cli';
import { routesYaml, startUpstream, type Upstream } from './support/upstreams';
import { eventually } from './support/wait';

const TOKEN = 'process-test-token';
const ENV = { STRANGLER_ADMIN_TOKEN: TOKEN };

let legacy: Upstream;
let service: Upstream;
let t: ReturnType<typeof tempDir>;
const running: FacadeProcess[] = [];

beforeAll(async () => {
  legacy = await startUpstream('legacy');
  service = await startUpstream('service');
});
afterAll(async () => {
  await Promise.all([legacy.close(), service.close()]);
});
beforeEach(() => {
  t = tempDir();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  t.cleanup();
});

async function start(file: string, args: string[] = []): Promise<FacadeProcess> {
  const p = await startFacadeProcess(['-c', file, ...args], ENV);
  running.push(p);
  return p;
}

const reloads = (p: FacadeProcess, result: string): Array<Record<string, unknown>> => p.logs().filter((l) => l.event === 'config_reload' && l.result === result);

async function admin(p: FacadeProcess, method: 'GET' | 'PUT' | 'POST', route: string, token: string | null = TOKEN) {
  const res = await request(`${p.adminUrl}${route}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.statusCode, text: await res.body.text() };
}

/** Drives a good reload and then a bad one while requests flow; returns what the load saw. */
async function reloadUnderLoad(p: FacadeProcess, writeConfig: (text: string) => void, tail = 'good') {
  const load = startLoad(p.proxyUrl, '/api/cart/items');
  await eventually(() => expect(load.answeredBy.length).toBeGreaterThan(100));
  writeConfig(routesYaml(legacy.url, service.url, 100));
  await eventually(() => expect(load.answeredBy.at(-1)).toBe('service'));
  writeConfig(routesYaml(legacy.url, service.url, 150));
  await eventually(() => expect(reloads(p, 'rejected')).toHaveLength(1));
  const servedAfterBad = load.answeredBy.length;
  await eventually(() => expect(load.answeredBy.length).toBeGreaterThan(servedAfterBad + 100));
  load.stop();
  const result = await load.done;
  return { result, servedAfterBad, tail };
}

describe('strangler facade (process)', () => {
  it('hot-reloads a rewritten file with no failed request, and keeps the last good config on a bad one', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, routesYaml(legacy.url, service.url, 0));
    const p = await start(file);
    const { result, servedAfterBad } = await reloadUnderLoad(p, (text) => writeFileSync(file, text));

    expect(result.failures).toEqual([]);
    expect(result.total).toBeGreaterThanOrEqual(2000);
    expect(result.answeredBy[0]).toBe('legacy');
    expect(result.answeredBy.slice(servedAfterBad)).not.toContain('legacy');
    const [rejected] = reloads(p, 'rejected');
    expect(rejected.problems).toEqual(['routes.yaml:13: routes[0].weight: expected a number from 0 to 100, got 150']);
    expect(reloads(p, 'applied')).toHaveLength(1);
  });

  it('hot-reloads through a Kubernetes ConfigMap ..data symlink swap with no failed request', async () => {
    const cm = new ConfigMapDir(subdir(t.dir, 'config'));
    cm.write(routesYaml(legacy.url, service.url, 0));
    const p = await start(cm.file);
    const { result, servedAfterBad } = await reloadUnderLoad(p, (text) => cm.write(text));

    expect(result.failures).toEqual([]);
    expect(result.total).toBeGreaterThanOrEqual(2000);
    expect(result.answeredBy[0]).toBe('legacy');
    expect(result.answeredBy.slice(servedAfterBad)).not.toContain('legacy');
    expect(reloads(p, 'rejected')[0].problems).toEqual(['routes.yaml:13: routes[0].weight: expected a number from 0 to 100, got 150']);
  });

  it('reloads on SIGHUP (with --no-watch, only then)', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, routesYaml(legacy.url, service.url, 0));
    const p = await start(file, ['--no-watch']);
    const load = startLoad(p.proxyUrl, '/api/cart/items', { minRequests: 2000 });
    writeFileSync(file, routesYaml(legacy.url, service.url, 100));
    await eventually(() => expect(load.answeredBy.length).toBeGreaterThan(500));
    expect(load.answeredBy).not.toContain('service');
    p.child.kill('SIGHUP');
    await eventually(() => expect(load.answeredBy.at(-1)).toBe('service'));
    load.stop();
    const result = await load.done;
    expect(result.failures).toEqual([]);
    expect(reloads(p, 'applied')).toEqual([expect.objectContaining({ trigger: 'signal' })]);
  });

  it('keeps the listen address when the file changes it, logging that a restart is needed', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, routesYaml(legacy.url, service.url, 0));
    const p = await start(file);
    writeFileSync(file, routesYaml(legacy.url, service.url, 100).replace('port: 0\nlegacy', 'port: 1\nlegacy'));
    await eventually(() => expect(reloads(p, 'applied')).toHaveLength(1));
    expect(p.logs().some((l) => String(l.msg).includes('a change of `listen` needs a restart'))).toBe(true);
    const res = await request(`${p.proxyUrl}/api/cart/x`);
    expect(JSON.parse(await res.body.text())).toMatchObject({ from: 'service' });
  });

  it('protects the admin API with the token, changes weights through it, saves them, and a restart keeps them', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    const original = routesYaml(legacy.url, service.url, 0);
    writeFileSync(file, original);
    const p = await start(file);
    expect((await admin(p, 'GET', '/routes', null)).status).toBe(401);
    expect((await admin(p, 'GET', '/routes', 'wrong-token')).status).toBe(401);
    expect((await admin(p, 'GET', '/healthz', null)).status).toBe(200);

    const set = await runCliAsync(['route', 'set', 'cart', '--weight', '100', '--admin', p.adminUrl], ENV);
    expect(set).toEqual({ code: 0, stdout: `route cart: weight 0 -> 100 (saved to ${file})\n`, stderr: '' });
    expect(readFileSync(file, 'utf8')).toBe(original.replace('weight: 0   #', 'weight: 100   #'));
    const res = await request(`${p.proxyUrl}/api/cart/x`);
    expect(JSON.parse(await res.body.text())).toMatchObject({ from: 'service' });
    // the watcher sees our own write as unchanged: no reload
    await new Promise((r) => setTimeout(r, 500));
    expect(reloads(p, 'applied')).toEqual([]);

    const list = await runCliAsync(['route', 'list', '--json', '--admin', p.adminUrl], ENV);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'cart', weight: 100, breaker: 'closed' })]);

    expect(await p.stop('SIGTERM')).toBe(0);
    const again = await start(file);
    const after = JSON.parse((await admin(again, 'GET', '/routes')).text) as { routes: Array<{ weight: number }> };
    expect(after.routes[0].weight).toBe(100);
    const metrics = (await admin(again, 'GET', '/metrics')).text;
    expect(metrics).toContain('strangler_config_reloads_total{result="applied"} 0');
    expect(metrics).toContain('process_cpu_user_seconds_total');
  });

  it('passes a 1 MiB POST body through intact while the admin API runs', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, routesYaml(legacy.url, service.url, 0));
    const p = await start(file);
    const body = randomBytes(1024 * 1024);
    const res = await request(`${p.proxyUrl}/api/upload`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(await res.body.text())).toMatchObject({ from: 'legacy', bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
    expect((await admin(p, 'GET', '/healthz')).status).toBe(200);
  });

  it('finishes an in-flight request on SIGTERM and exits 0', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, routesYaml(legacy.url, service.url, 0));
    const p = await start(file);
    const slow = request(`${p.proxyUrl}/slow`);
    await eventually(() => expect(legacy.received).toContain('/slow'));
    const code = p.stop('SIGTERM');
    const res = await slow;
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(await res.body.text())).toMatchObject({ from: 'legacy', url: '/slow' });
    expect(await code).toBe(0);
  });
});

describe('strangler facade admin API without a token', () => {
  it('starts on loopback with a loud warning', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, routesYaml(legacy.url, service.url, 0));
    const p = await startFacadeProcess(['-c', file], { STRANGLER_ADMIN_TOKEN: '' });
    running.push(p);
    expect(p.stderr()).toMatch(/admin API on http:\/\/127\.0\.0\.1:\d+ \(NO TOKEN\)\n$/);
    await eventually(() => expect(p.logs().some((l) => l.level === 40 && String(l.msg).includes('has NO TOKEN'))).toBe(true));
    expect((await admin(p, 'GET', '/routes', null)).status).toBe(200);
  });
});

describe('strangler facade refuses to start', () => {
  it('when the admin port is taken (exit 2)', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, routesYaml(legacy.url, service.url, 0));
    const taken = new URL(legacy.url).port;
    const r = await runCliAsync(['facade', '-c', file, '--admin-port', taken], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`strangler facade: the admin API cannot listen on 127.0.0.1:${taken}: listen EADDRINUSE: address already in use 127.0.0.1:${taken}\n`);
  });

  it('on a YAML syntax error, naming file and line (exit 2)', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, 'legacy: http://127.0.0.1:3000\nroutes:\n  - name: a\n    match: { prefix: /a\n');
    const r = await runCliAsync(['facade', '-c', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^routes\.yaml:\d+:\d+: YAML syntax error: .+\n$/);
  });

  it('on a schema error, naming file, line and path (exit 2)', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, routesYaml(legacy.url, service.url, 150));
    const r = await runCliAsync(['facade', '-c', file]);
    expect(r).toMatchObject({ code: 2, stderr: 'routes.yaml:13: routes[0].weight: expected a number from 0 to 100, got 150\n' });
  });

  it('on a missing file (exit 2)', async () => {
    const r = await runCliAsync(['facade', '-c', path.join(t.dir, 'nope.yaml')]);
    expect(r).toMatchObject({ code: 2, stderr: `${path.join(t.dir, 'nope.yaml')}: cannot read the config: no such file\n` });
  });

  it('with the admin API on 0.0.0.0 and no token (exit 2)', async () => {
    const file = path.join(t.dir, 'routes.yaml');
    writeFileSync(file, routesYaml(legacy.url, service.url, 0));
    const r = await runCliAsync(['facade', '-c', file, '--admin-host', '0.0.0.0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'strangler facade: refusing to start the admin API on 0.0.0.0:0 without a token: set STRANGLER_ADMIN_TOKEN or admin.tokenFile, or bind admin.host to 127.0.0.1\n',
    );
  });
});
