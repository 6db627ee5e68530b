/**
 * Paired A/B of two facade builds, for a change to the hot path: each build's facade in its own
 * process, alternating on CPU 1 under the same closed-loop load (upstream and load generator on
 * CPU 0), the order flipped every round; prints CPU µs per request of each and the per-round ratio.
 *
 *   node dist/bench/facade/ab.js <dist A> <dist B> [--rounds 12] [--duration 3] [--shadow] [--node-options-a "..."] [--node-options-b "..."]
 *
 * <dist A>, <dist B>: two `dist/` directories (e.g. a copy of main's build and this one), or the
 * same one twice with different Node options for each side's facade (what a flag costs).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load';

interface Server {
  child: ChildProcess;
  port: number;
  ports: number[];
}

function start(dist: string, kind: string, arg?: string, nodeOptions: string[] = []): Promise<Server> {
  const child = fork(path.join(dist, 'bench/facade/servers.js'), arg === undefined ? [kind] : [kind, arg], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, ...nodeOptions],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} from ${dist} exited with ${code}`)));
    child.once('message', (m: { ports: number[] }) => resolve({ child, port: m.ports[0], ports: m.ports }));
  });
}

function cpuMicros(s: Server, cmd: 'cpu-start' | 'cpu-stop'): Promise<number> {
  return new Promise((resolve) => {
    if (cmd === 'cpu-start') {
      s.child.send({ cmd });
      resolve(0);
      return;
    }
    s.child.once('message', (r: { cpuMicros: number }) => resolve(r.cpuMicros));
    s.child.send({ cmd });
  });
}

const pin = (pid: number | undefined, cpu: number): void => {
  if (pid !== undefined) execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
};

function load(dist: string, url: string, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const c = spawn('taskset', ['-c', '0', process.execPath, path.join(dist, 'bench/facade/load.js'), url, '50', String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('close', () => {
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const valued = ['--rounds', '--duration', '--node-options-a', '--node-options-b'];
  const [a, b] = args.filter((x, i) => !x.startsWith('--') && !(i > 0 && valued.includes(args[i - 1]))).map((d) => path.resolve(d));
  const opt = (name: string, fallback: number): number => {
    const i = args.indexOf(name);
    return i === -1 ? fallback : Number(args[i + 1]);
  };
  const flags = (name: string): string[] => {
    const i = args.indexOf(name);
    return i === -1 ? [] : args[i + 1].split(' ').filter(Boolean);
  };
  if (!a || !b) throw new Error('usage: ab.js <dist A> <dist B> [--rounds N] [--duration S] [--shadow] [--node-options-a "..."] [--node-options-b "..."]');
  const rounds = opt('--rounds', 12);
  const seconds = opt('--duration', 3);
  const up = await start(a, 'upstream');
  const config = JSON.stringify({
    listen: { host: '127.0.0.1', port: 0 },
    legacy: `http://127.0.0.1:${up.ports[0]}`,
    services: { catalog: `http://127.0.0.1:${up.ports[1]}` },
    routes: [{ name: 'catalog', match: { prefix: '/' }, service: 'catalog', weight: 50, ...(args.includes('--shadow') ? { shadow: { percent: 100 } } : {}) }],
    admin: { enabled: false },
    sticky: { keys: [{ header: 'x-user-id' }] },
  });
  const facades = { A: await start(a, 'facade', config, flags('--node-options-a')), B: await start(b, 'facade', config, flags('--node-options-b')) };
  const all = [up, facades.A, facades.B];
  try {
    pin(up.child.pid, 0);
    const under = (f: Server): void => {
      for (const g of [facades.A, facades.B]) pin(g.child.pid, g === f ? 1 : 0);
    };
    const url = (f: Server): string => `http://127.0.0.1:${f.port}/api/products/42`;
    for (const f of [facades.A, facades.B]) {
      under(f);
      await load(a, url(f), 1); // warm-up
    }
    const us: Record<'A' | 'B', number[]> = { A: [], B: [] };
    for (let r = 0; r < rounds; r++) {
      for (const name of r % 2 ? (['B', 'A'] as const) : (['A', 'B'] as const)) {
        const f = facades[name];
        under(f);
        await cpuMicros(f, 'cpu-start');
        const l = await load(a, url(f), seconds);
        const per = (await cpuMicros(f, 'cpu-stop')) / l.requests.total;
        us[name].push(per);
        process.stderr.write(`round ${r + 1} ${name}: ${per.toFixed(1)} us/req, ${l.requests.average.toFixed(0)} req/s, failed ${l.errors + l.non2xx}\n`);
      }
    }
    const ratios = us.A.map((x, i) => us.B[i] / x);
    process.stdout.write(
      `A ${median(us.A).toFixed(1)} us/req, B ${median(us.B).toFixed(1)} us/req (medians); B/A per round ${ratios.map((x) => x.toFixed(3)).join(' ')}; ` +
        `median ${median(ratios).toFixed(3)}, B faster in ${ratios.filter((x) => x < 1).length}/${rounds}; load average ${os.loadavg()[0].toFixed(1)}\n`,
    );
  } finally {
    for (const s of all) s.child.kill();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/facade/ab: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
