/**
 * Probes behind the bench README's note on the 1 MiB mirror miss: how much two suspected costs move
 * a Node process's event-loop delay p99 (1 ms resolution) at the bench's rates, in isolation.
 *
 *   node dist/bench/facade/probes/event-loop-probes.js buffers none|alloc|pool [bytes]
 *       two capture buffers a 10 ms tick, filled and transferred to a worker: allocated fresh each
 *       time (`alloc`), or handed back and reused (`pool`)
 *   taskset -c 1 node dist/bench/facade/probes/event-loop-probes.js worker [nice]
 *       a worker thread at that nice value burning 6 ms of CPU a job, 100 jobs a second
 *
 * Both keep a stand-in user path busy (a little garbage every millisecond) and print p50/p99/max.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const [probe = 'buffers', arg, arg2] = process.argv.slice(2);
const delay = monitorEventLoopDelay({ resolution: 1 });
const userPath = setInterval(() => {
  const garbage: { i: number }[] = [];
  for (let i = 0; i < 200; i++) garbage.push({ i });
}, 1);

function finish(label: string, worker: Worker, tick: NodeJS.Timeout): void {
  delay.disable();
  clearInterval(tick);
  clearInterval(userPath);
  const ms = (ns: number) => (ns / 1e6).toFixed(2);
  process.stdout.write(`${label} p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms\n`);
  void worker.terminate().then(() => process.exit(0));
}

if (probe === 'buffers') {
  const mode = arg ?? 'alloc';
  const size = Number(arg2 ?? 1_100_000);
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (m) => { if (m.back) parentPort.postMessage(m, [m.a.buffer, m.b.buffer]); });`,
    { eval: true },
  );
  const pool: Uint8Array[] = [];
  worker.on('message', (m: { a: Uint8Array; b: Uint8Array }) => pool.push(m.a, m.b));
  const take = (): Uint8Array => (mode === 'pool' && pool.length > 0 ? pool.pop()! : new Uint8Array(size));
  const tick = setInterval(() => {
    if (mode === 'none') return;
    const a = take().fill(1);
    const b = take().fill(2);
    worker.postMessage({ a, b, back: mode === 'pool' }, [a.buffer as ArrayBuffer, b.buffer as ArrayBuffer]);
  }, 10);
  delay.enable();
  setTimeout(() => finish(`buffers ${mode} ${size} B`, worker, tick), 10_000);
} else if (probe === 'worker') {
  const nice = Number(arg ?? 19);
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     require('node:os').setPriority(${nice});
     parentPort.on('message', () => { const end = process.hrtime.bigint() + 6000000n; while (process.hrtime.bigint() < end); });`,
    { eval: true },
  );
  const tick = setInterval(() => worker.postMessage(1), 10);
  delay.enable();
  setTimeout(() => finish(`worker nice ${nice}`, worker, tick), 8_000);
} else {
  process.stderr.write('usage: event-loop-probes.js buffers none|alloc|pool [bytes] | worker [nice]\n');
  process.exit(2);
}
