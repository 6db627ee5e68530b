/**
 * Child-process entry for the load (so the load generator never shares an event loop with a server
 * under test); prints a result as JSON. Arguments: <url> <connections> <seconds> [requests per second]
 * [<side path>@<side rate>]; with a rate, <url> may be a comma-separated list (targets alternated,
 * one result each), and side traffic (sent, not measured) can run along.
 *
 * Without a rate: autocannon, closed loop, as fast as the connections go (throughput runs).
 * With a rate: an open-loop generator that spreads requests evenly over time (autocannon's rate
 * limit sends each connection's quota in a burst at the start of every second, which measures the
 * burst, not the proxy).
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>, cb: (err: Error | null, result: unknown) => void) => unknown;

export interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** CPU time the load generator itself used during the run (µs), to tell when it is the bottleneck. */
  cpuMicros?: number;
}

function closedLoop(url: string, connections: number, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        // one request in flight per connection, like browsers and most clients (autocannon's default, said out loud)
        pipelining: 1,
        // a fresh x-user-id per request spreads sticky hashing over both sides, as real users would
        headers: { 'x-user-id': '[<id>]' },
        idReplacement: true,
      },
      (err, result) => (err ? reject(err) : resolve(result as LoadResult)),
    );
  });
}

/**
 * Fixed rate over one or more targets. With several, the schedule alternates between them every
 * SLICE_MS, so a burst of outside load (a shared machine) lands on all of them alike and their
 * latencies compare fairly; each target's latencies are kept apart.
 */
const SLICE_MS = 200;
/**
 * Latencies of the first second are not kept: the pools open their connections then, and that would
 * land on whichever target comes first (measured: it made the first target's p99 2-8 ms worse).
 */
const WARMUP_MS = 1000;

/**
 * Side traffic sent along with the measured requests, to the same target, and not measured itself:
 * `path` at `rate` per second (with `accept-encoding: gzip`), e.g. a large body being mirrored.
 * With targets alternated, each gets it at `rate` during its slices, while its latencies are taken.
 */
interface Side {
  path: string;
  rate: number;
}

async function openLoop(urls: string[], connections: number, seconds: number, rate: number, side?: Side): Promise<LoadResult[]> {
  const targets = urls.map((u) => new URL(u));
  const pools = targets.map((t) => new Pool(t.origin, { connections }));
  let sideSent = 0;
  const sideFailures = targets.map(() => 0);
  const latencies: number[][] = targets.map(() => []);
  const errors = targets.map(() => 0);
  const non2xx = targets.map(() => 0);
  const inFlight = new Set<Promise<void>>();
  const tickMs = 5;
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        done();
        return;
      }
      const i = Math.floor(elapsed / SLICE_MS) % targets.length;
      // catch up to the schedule: request n is due at n / rate seconds
      const due = Math.floor((elapsed / 1000) * rate);
      for (; sent < due; sent++) {
        const t0 = performance.now();
        const keep = t0 - start >= WARMUP_MS;
        const p = pools[i]
          .request({ method: 'GET', path: targets[i].pathname, headers: { 'x-user-id': randomUUID() } })
          .then(async (res) => {
            await res.body.dump();
            if (keep) latencies[i].push(performance.now() - t0);
            if (res.statusCode < 200 || res.statusCode >= 300) non2xx[i]++;
          })
          .catch(() => {
            errors[i]++;
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (side === undefined) return;
      for (const sideDue = Math.floor((elapsed / 1000) * side.rate); sideSent < sideDue; sideSent++) {
        const p = pools[i]
          .request({ method: 'GET', path: side.path, headers: { 'x-user-id': randomUUID(), 'accept-encoding': 'gzip' } })
          .then(async (res) => {
            await res.body.dump();
            if (res.statusCode !== 200) sideFailures[i]++;
          })
          .catch(() => {
            sideFailures[i]++;
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
    }, tickMs);
  });
  await Promise.all(inFlight);
  await Promise.all(pools.map((p) => p.close()));
  return latencies.map((ls, i) => {
    ls.sort((a, b) => a - b);
    const q = (p: number): number => ls[Math.min(ls.length - 1, Math.floor(p * ls.length))] ?? 0;
    return {
      // each target had 1/n of the time: its rate is over its share of the run
      requests: { average: (ls.length / Math.max(0.1, seconds - WARMUP_MS / 1000)) * targets.length, total: ls.length },
      latency: { p50: Math.round(q(0.5) * 100) / 100, p99: Math.round(q(0.99) * 100) / 100 },
      // a failed side request is a failure of the run too
      errors: errors[i] + sideFailures[i],
      timeouts: 0,
      non2xx: non2xx[i],
    };
  });
}

const [url, connections, seconds, rate, sideArg] = process.argv.slice(2);
const cpuStart = process.cpuUsage();
// `<path>@<rate>`, e.g. `/api/big@100`
const side = sideArg ? { path: sideArg.slice(0, sideArg.lastIndexOf('@')), rate: Number(sideArg.slice(sideArg.lastIndexOf('@') + 1)) } : undefined;
const run: Promise<LoadResult | LoadResult[]> = rate
  ? openLoop(url.split(','), Number(connections), Number(seconds), Number(rate), side)
  : closedLoop(url, Number(connections), Number(seconds));
run.then(
  (result) => {
    const cpu = process.cpuUsage(cpuStart);
    const cpuMicros = cpu.user + cpu.system;
    // several targets: the load generator's CPU is shared out by requests
    const withCpu = (r: LoadResult, share: number): LoadResult => ({ ...r, cpuMicros: cpuMicros * share });
    const all = Array.isArray(result) ? result : [result];
    const total = all.reduce((n, r) => n + r.requests.total, 0);
    const out = all.map((r) => withCpu(r, total > 0 ? r.requests.total / total : 1 / all.length));
    process.stdout.write(JSON.stringify(Array.isArray(result) ? out : out[0]));
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
