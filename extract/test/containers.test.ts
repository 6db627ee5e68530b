/**
 * Real containers (Podman, see docs/containers.md): the generated Dockerfile builds offline on the
 * host-made base image, the image runs as uid 1000 with its health check, answers the same as the
 * monolith after copy-data, stops cleanly on SIGTERM, and `podman kube play` runs the generated
 * Deployment + Service + ConfigMap (+ the data claim).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { analyze } from '../../analyzer/analyze';
import { REPO_ROOT, runCli } from '../../cli/test/run-cli';
import { freePort, JWT_SECRET, SAMPLE, startMonolith, stopAll } from './support/stack';

const BASE_IMAGE = 'localhost/node:20-host';

function podman(args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync('podman', args, { encoding: 'utf8', input, timeout: 300_000 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

describe('extracted service on real containers (podman)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-containers-'));
  const tag = `localhost/strangler-test-${process.pid}:dev`;
  const name = `strangler-test-${process.pid}`;
  let dir = '';
  let service = '';
  let monolithDb = '';

  beforeAll(async () => {
    const base = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'podman-base-image.sh')], { encoding: 'utf8', timeout: 300_000 });
    if (base.status !== 0) throw new Error(`scripts/podman-base-image.sh exited ${base.status}: ${base.stderr}`);
    const report = await analyze(SAMPLE);
    const reportFile = path.join(work, 'report.json');
    fs.writeFileSync(reportFile, JSON.stringify(report));
    dir = path.join(work, 'service');
    const r = runCli(['extract', '1', '--report', reportFile, '--out', dir]);
    expect(r.code).toBe(0);
    service = (JSON.parse(fs.readFileSync(path.join(dir, 'strangler.service.json'), 'utf8')) as { name: string }).name;
  }, 600_000);

  afterAll(async () => {
    podman(['rm', '-f', name]);
    podman(['kube', 'down', path.join(work, 'play.yaml')]);
    podman(['volume', 'rm', '-f', `${service}-data`, 'monolith-data']);
    podman(['secret', 'rm', `${service}-secrets`]);
    podman(['rmi', '-f', tag]);
    await stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('builds the generated Dockerfile offline into a non-root image with a health check', () => {
    const r = runCli(['extract', 'build', dir, '--engine', 'podman', '--base-image', BASE_IMAGE, '--tag', tag], { timeout: 600_000 });
    expect({ code: r.code, out: r.stdout }).toEqual({ code: 0, out: `built ${service} as ${tag} (podman)\n` });
    const [info] = JSON.parse(podman(['image', 'inspect', tag]).out) as { Config: { User: string; ExposedPorts: Record<string, unknown>; Cmd: string[] }; Healthcheck?: unknown }[];
    expect(info.Config.User).toBe('1000:1000');
    expect(Object.keys(info.Config.ExposedPorts)).toEqual(['8080/tcp']);
    expect(info.Config.Cmd).toEqual(['node', 'dist/service/server.js']);
    const health = podman(['image', 'inspect', '--format', '{{json .HealthCheck}}', tag]).out;
    expect(health).toContain('/health');
  }, 600_000);

  it('runs as a container that answers as the monolith does, and stops with exit code 0 on SIGTERM', async () => {
    monolithDb = path.join(work, 'monolith', 'shop.db');
    fs.mkdirSync(path.dirname(monolithDb), { recursive: true });
    const monolith = await startMonolith(monolithDb);
    const port = await freePort();
    const r = runCli(['extract', 'run', dir, '--engine', 'podman', '--tag', tag, '--name', name, '--port', String(port), '--monolith-db', monolithDb, '--copy-data', '--env', `JWT_SECRET=${JWT_SECRET}`]);
    expect({ code: r.code, out: r.stdout, err: r.code ? r.stderr : '' }).toEqual({ code: 0, out: `${service} running on http://127.0.0.1:${port} (podman container ${name})\n`, err: '' });
    expect(r.stderr).toMatch(/copy-data: posts: 3 rows/);
    const url = `http://127.0.0.1:${port}`;
    let ready: Response | undefined;
    for (let i = 0; i < 100 && ready?.status !== 200; i++) {
      ready = await fetch(`${url}/ready`).catch(() => undefined);
      if (ready?.status !== 200) await new Promise((res) => setTimeout(res, 100));
    }
    expect(await ready!.json()).toEqual({ ready: true, service });
    const route = '/api/feed';
    const [fromService, fromMonolith] = await Promise.all([fetch(`${url}${route}`).then((x) => x.json()), fetch(`${monolith.url}${route}`).then((x) => x.json())]);
    expect(fromService).toEqual(fromMonolith);
    expect(podman(['top', name, 'user']).out.trim().split('\n').slice(1)).toEqual(['node']);
    const stop = runCli(['extract', 'stop', dir, '--engine', 'podman', '--name', name]);
    expect({ code: stop.code, out: stop.stdout }).toEqual({ code: 0, out: `stopped ${service} (exit code 0)\n` });
  }, 300_000);

  it("replaces a container an earlier run of the same service left behind, and refuses anyone else's", async () => {
    const port = await freePort();
    const run = () => runCli(['extract', 'run', dir, '--engine', 'podman', '--tag', tag, '--name', name, '--port', String(port), '--monolith-db', monolithDb, '--env', `JWT_SECRET=${JWT_SECRET}`]);
    expect(podman(['create', '--name', name, BASE_IMAGE, 'true']).code).toBe(0);
    const refused = run();
    expect({ code: refused.code, out: refused.stdout }).toEqual({ code: 2, out: '' });
    expect(refused.stderr).toContain(`extract: a podman container named ${name} already exists and was not started by strangler extract run from ${dir}: remove it (podman rm -f ${name}) or pass --name`);
    expect(podman(['container', 'exists', name]).code).toBe(0); // not ours: left as it was
    expect(podman(['rm', '-f', name]).code).toBe(0);

    expect(run().code).toBe(0);
    const again = run(); // the first was never stopped (a killed shell, an interrupted demo)
    expect({ code: again.code, out: again.stdout }).toEqual({ code: 0, out: `${service} running on http://127.0.0.1:${port} (podman container ${name})\n` });
    expect(again.stderr).toContain(`extract: a container ${name} left by an earlier run of this service is replaced`);
    let ready: Response | undefined;
    for (let i = 0; i < 100 && ready?.status !== 200; i++) {
      ready = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
      if (ready?.status !== 200) await new Promise((res) => setTimeout(res, 100));
    }
    expect(ready?.status).toBe(200);
    const stop = runCli(['extract', 'stop', dir, '--engine', 'podman', '--name', name]);
    expect({ code: stop.code, out: stop.stdout }).toEqual({ code: 0, out: `stopped ${service} (exit code 0)\n` });
  }, 300_000);

  it('runs the generated Deployment, Service and ConfigMap with podman kube play', async () => {
    expect(podman(['tag', tag, `localhost/${service}:latest`]).code).toBe(0);
    const k8s = (f: string) => fs.readFileSync(path.join(dir, 'k8s', f), 'utf8');
    const deployment = parse(k8s('deployment.yaml')) as { spec: { template: { spec: { containers: { ports: { hostPort?: number }[] }[] } } } };
    const port = await freePort();
    // the only change for a laptop: publish the container port on the host
    deployment.spec.template.spec.containers[0].ports[0].hostPort = port;
    const play = path.join(work, 'play.yaml');
    fs.writeFileSync(play, [k8s('configmap.yaml'), k8s('pvc.yaml'), stringify(deployment), k8s('service.yaml')].join('---\n'));
    // the claim the monolith's pod would share, holding the monolith's database
    podman(['volume', 'rm', '-f', 'monolith-data', `${service}-data`]);
    expect(podman(['volume', 'create', 'monolith-data']).code).toBe(0);
    const mount = podman(['volume', 'inspect', 'monolith-data', '--format', '{{.Mountpoint}}']).out.trim();
    fs.copyFileSync(monolithDb, path.join(mount, 'shop.db'));
    fs.chownSync(mount, 1000, 1000);
    fs.chownSync(path.join(mount, 'shop.db'), 1000, 1000);
    // podman keeps a Secret's values as a JSON map of base64 strings; the template's keys, filled from the environment
    const template = parse(k8s('secret.template.yaml').replace(/\$\{(\w+)\}/g, (_, k: string) => (k === 'JWT_SECRET' ? JWT_SECRET : ''))) as { stringData: Record<string, string> };
    const secretFile = path.join(work, 'secret.json');
    fs.writeFileSync(secretFile, JSON.stringify(Object.fromEntries(Object.entries(template.stringData).map(([k, v]) => [k, Buffer.from(v).toString('base64')]))));
    podman(['secret', 'rm', `${service}-secrets`]);
    expect(podman(['secret', 'create', `${service}-secrets`, secretFile]).code).toBe(0);
    const up = podman(['kube', 'play', play]);
    expect({ code: up.code, err: up.err.split('\n').filter((l) => l && !/systemd|syslog/.test(l)) }).toEqual({ code: 0, err: [] });
    let body: unknown;
    for (let i = 0; i < 100 && body === undefined; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
      if (res?.status === 200) body = await res.json();
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(body).toEqual({ ready: true, service });
    const feed = (await (await fetch(`http://127.0.0.1:${port}/api/feed`)).json()) as { items: unknown[] };
    expect(Array.isArray(feed.items)).toBe(true);
    expect(podman(['kube', 'down', play]).code).toBe(0);
  }, 300_000);
});
