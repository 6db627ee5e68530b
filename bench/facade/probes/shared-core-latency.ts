/**
 * Probe behind docs/facade.md's note on the comparison worker's priority: what a worker thread
 * burning CPU on a server's own core does to the server's latency, at nice 19 or SCHED_IDLE.
 *
 *   node dist/bench/facade/probes/shared-core-latency.js [idle|nice19|normal] [burn ms per 10 ms, 4] [seconds, 15]
 *
 * A node:http server and the worker run on CPU 1 (`taskset`), the client on CPU 0 sends a request
 * every millisecond. The worker burns only in every other 200 ms slice, so "off" and "on" share
 * the machine's state; prints p50/p99 of each.
 */
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../../../facade/shadow/thread-priority';

type Policy = 'idle' | 'nice19' | 'normal';
const SLICE_MS = 200;

function burner(): void {
  const { flag, policy, burnMs } = workerData as { flag: SharedArrayBuffer; policy: Policy; burnMs: number };
  if (policy !== 'normal') lowerThreadPriority(19, policy === 'idle');
  const on = new Int32Array(flag);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const burning = Atomics.load(on, 0) === 1;
    if (burning) {
      const end = process.hrtime.bigint() + BigInt(Math.round(burnMs * 1e6));
      while (process.hrtime.bigint() < end);
    }
    Atomics.wait(nap, 0, 0, burning ? 10 - burnMs : 10);
  }
}

function server(policy: Policy, burnMs: number): void {
  const flag = new SharedArrayBuffer(4);
  const on = new Int32Array(flag);
  new Worker(__filename, { workerData: { flag, policy, burnMs }, execArgv: process.execArgv }).unref();
  setInterval(() => Atomics.store(on, 0, 1 - Atomics.load(on, 0)), SLICE_MS);
  const s = http.createServer((_req, res) => {
    res.setHeader('x-burning', String(Atomics.load(on, 0)));
    res.end('ok');
  });
  s.listen(0, '127.0.0.1', () => process.send?.((s.address() as AddressInfo).port));
}

async function client(port: number, seconds: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
  const lat: Record<string, number[]> = { '0': [], '1': [] };
  const end = Date.now() + seconds * 1000;
  await new Promise<void>((done) => {
    const t = setInterval(() => {
      if (Date.now() > end) {
        clearInterval(t);
        setTimeout(done, 500);
        return;
      }
      const t0 = performance.now();
      http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => lat[String(res.headers['x-burning'])]?.push(performance.now() - t0));
      });
    }, 1);
  });
  agent.destroy();
  const q = (xs: number[], p: number): string => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]?.toFixed(2) ?? '-';
  process.stdout.write(`off: n ${lat['0'].length} p50 ${q(lat['0'], 0.5)} p99 ${q(lat['0'], 0.99)} ms | burning: n ${lat['1'].length} p50 ${q(lat['1'], 0.5)} p99 ${q(lat['1'], 0.99)} ms\n`);
}

async function main(): Promise<void> {
  const [policyArg = 'idle', burnArg = '4', secondsArg = '15'] = process.argv.slice(2);
  if (process.argv[2] === '--server') return server(process.argv[3] as Policy, Number(process.argv[4]));
  if (!['idle', 'nice19', 'normal'].includes(policyArg)) throw new Error(`policy: idle, nice19 or normal, got "${policyArg}"`);
  const burnMs = Math.min(9, Math.max(0.1, Number(burnArg)));
  execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' }); // the client's CPU
  const child = spawn('taskset', ['-c', '1', process.execPath, ...process.execArgv, __filename, '--server', policyArg, String(burnMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(Number(p))));
  process.stdout.write(`worker ${policyArg}, burning ${burnMs} ms of every 10 ms on the server's CPU: `);
  await client(port, Number(secondsArg));
  child.kill();
}

if (isMainThread) {
  main().catch((err: unknown) => {
    process.stderr.write(`shared-core-latency: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
} else {
  burner();
}
