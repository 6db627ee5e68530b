import { spawnSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../cli/test/run-cli';

const DEMO = path.join(REPO_ROOT, 'dist', 'demo', 'run.js');

describe('npm run demo -- --once: the journey, with real containers where podman or docker answers', () => {
  it('extracts the two safest route-owning candidates, shadows them with 0 mismatches, moves their routes to 100 % with shares within tolerance, and falls back when one stops, with no failed request', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-demo-'));
    try {
      const base = await freePortRun(5);
      const r = spawnSync(process.execPath, [DEMO, '--once', '--base-port', String(base), '--dir', dir], { encoding: 'utf8', timeout: 900_000 });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      const out = r.stdout;
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as { candidates: { id: string; name: string; label: string }[] };
      const first = report.candidates.find((c) => c.label === 'service')!;
      expect(out).toContain(`safest first: ${first.name}`);

      const engine = ['docker', 'podman'].find((e) => spawnSync(e, ['version'], { timeout: 20_000 }).status === 0);
      const running = [...out.matchAll(/^(\S+) running on http:\/\/127\.0\.0\.1:\d+ \((.+)\)$/gm)];
      expect(running).toHaveLength(2);
      for (const m of running) expect(m[2]).toMatch(engine ? new RegExp(`^${engine} container `) : /^process \d+$/);
      const names = running.map((m) => m[1]);

      for (const name of names) {
        const shadow = new RegExp(`^shadow ${name}: (\\d+) of 200 mirrored .*, (\\d+) mismatches$`, 'm').exec(out);
        expect(shadow).not.toBeNull();
        expect(Number(shadow![1])).toBeGreaterThan(0);
        expect(Number(shadow![2])).toBe(0);
        const steps = [...out.matchAll(new RegExp(`^step ${name} (?:shadow|weight) (\\d+) %: (\\d+) GETs from \\d+ users: (\\d+) answered by the monolith, (\\d+) by ${name}, (\\d+) failed$`, 'gm'))];
        expect(steps.length).toBeGreaterThanOrEqual(3);
        for (const [, weight, total, legacy, service, failed] of steps) {
          expect(Number(legacy) + Number(service)).toBe(Number(total));
          // sticky per user: the share of 400 distinct users lands within 10 points of the weight
          expect(Math.abs((100 * Number(service)) / Number(total) - Number(weight))).toBeLessThanOrEqual(10);
          expect(Number(failed)).toBe(0);
        }
      }
      const stopped = new RegExp(`^step ${names[0]} stopped: 200 GETs from 200 users: (\\d+) answered by the monolith .*, (\\d+) failed$`, 'm').exec(out);
      expect(stopped && [Number(stopped[1]), Number(stopped[2])]).toEqual([200, 0]);
      expect(out).toContain(`stopped ${names[0]}`);
      expect(out).toMatch(/no request failed across the whole walk-through \(\d+ GETs through the facade\)/);
      const config = parse(fs.readFileSync(path.join(dir, 'routes.yaml'), 'utf8')) as { routes: { name: string; service: string; weight: number }[]; services: Record<string, unknown> };
      expect(Object.keys(config.services).sort()).toEqual([...names].sort());
      for (const name of names) expect(config.routes.filter((x) => x.service === name || x.name === name).every((x) => x.weight === 100)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});

/** A base port whose next `count` ports are free, below Linux's ephemeral range (32768+) so outgoing connections don't take them. */
async function freePortRun(count: number): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 12000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = await free(p);
    if (ok) return base;
  }
  throw new Error('no run of free ports found');
}
