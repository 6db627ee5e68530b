/**
 * Child-process entry for the load (so the load generator never shares an event loop with a server
 * under test); prints a result as JSON. Arguments: <url> <connections> <seconds> [requests per second].
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
}

function closedLoop(url: string, connections: number, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        // a fresh x-user-id per request spreads sticky hashing over both sides, as real users would
        headers: { 'x-user-id': '[<id>]' },
        idReplacement: true,
      },
      (err, result) => (err ? reject(err) : resolve(result as LoadResult)),
    );
  });
}

async function openLoop(url: string, connections: number, seconds: number, rate: number): Promise<LoadResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
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
      // catch up to the schedule: request n is due at n / rate seconds
      const due = Math.floor((elapsed / 1000) * rate);
      for (; sent < due; sent++) {
        const t0 = performance.now();
        const p = pool
          .request({ method: 'GET', path: target.pathname, headers: { 'x-user-id': randomUUID() } })
          .then(async (res) => {
            await res.body.dump();
            latencies.push(performance.now() - t0);
            if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
          })
          .catch(() => {
            errors++;
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
    }, tickMs);
  });
  await Promise.all(inFlight);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return {
    requests: { average: latencies.length / seconds, total: latencies.length },
    latency: { p50: Math.round(q(0.5) * 100) / 100, p99: Math.round(q(0.99) * 100) / 100 },
    errors,
    timeouts: 0,
    non2xx,
  };
}

const [url, connections, seconds, rate] = process.argv.slice(2);
(rate ? openLoop(url, Number(connections), Number(seconds), Number(rate)) : closedLoop(url, Number(connections), Number(seconds))).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
