import { spawnSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../cli/test/run-cli';

const DEMO = path.join(REPO_ROOT, 'dist', 'demo', 'run.js');

describe('npm run demo -- --once', () => {
  it('analyzes the sample, strangles its safest candidate to 100 % and falls back when the service dies, with no failed request', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-demo-'));
    try {
      await walkThrough(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The whole walk-through, in `dir`, with what a user would see checked at each step. */
async function walkThrough(dir: string): Promise<void> {
  const base = await freePortRun(4);
  const r = spawnSync(process.execPath, [DEMO, '--once', '--base-port', String(base), '--dir', dir], { encoding: 'utf8', timeout: 120_000 });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  expect(r.stdout).toContain('safest first: src/feed');
  expect(r.stdout).toContain('route feed: weight 0 -> 50');
  expect(r.stdout).toContain('route feed: weight 50 -> 100');
  expect(r.stdout).toContain('no request failed across the whole walk-through');
  // the last `route list`: requests to the dead service fell back to the monolith
  const lastList = r.stdout.slice(r.stdout.lastIndexOf('route list'));
  const rowPattern = /│ feed\s+│ feed\s+│ 100%\s+│[^│]+│ (\d+)\s+│[^│]+│ (\d+)\s+│ (\S+)\s+│/;
  expect(lastList).toMatch(rowPattern);
  const [, requests, fallbacks] = rowPattern.exec(lastList)!;
  expect(Number(requests)).toBeGreaterThan(800); // 800 users' requests, plus the retries on legacy
  expect(Number(fallbacks)).toBeGreaterThan(0);
  const config = parse(fs.readFileSync(path.join(dir, 'routes.yaml'), 'utf8')) as { routes: { name: string; weight: number }[] };
  expect(config.routes).toEqual([expect.objectContaining({ name: 'feed', weight: 100 })]);
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as { candidates: { name: string }[] };
  expect(report.candidates[0].name).toBe('src/feed');
}

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
