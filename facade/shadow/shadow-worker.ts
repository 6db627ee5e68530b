/**
 * Worker-thread entry: the shadow side of every mirror (shadow-call.ts), off the proxy's event
 * loop. Receiving the service's answers on the proxy's thread allocated their bytes in its heap,
 * and at 100 mirrored 1 MiB JSON answers a second (about 140 KB gzip each) those buffers alone
 * drove V8 into a full mark-compact every ~0.4 s once the young generation had grown under load,
 * each 3–20 ms on the users' requests (bench:facade `@rate+1MiB`: +22 ms p99). Here they land in
 * this thread's heap. The thread runs at SCHED_IDLE (nice 19 where that is refused), so that on a
 * core shared with the proxy (the facade pinned to one CPU) receiving mirrors waits for the users'
 * requests: at normal priority it added 2–7 ms to their p99, and at nice 10 it still preempted the
 * proxy's thread on waking, ~460 times in 8 s of the 1 MiB pair (docs/facade.md). Kept off the CPU,
 * it still times the service fairly: undici counts headersTimeout/bodyTimeout in ticks of its own
 * timer, not in wall-clock time, so time this thread did not run does not count against the
 * service (test/shadow-timeout.test.ts). Decoding and diffing bodies go on to the comparison worker.
 */
import { workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import { UPSTREAM_POOL } from '../upstreams/cluster';
import { BodyComparer } from './comparer';
import { runMirror, type MirrorJob } from './shadow-call';
import { lowerThreadPriority } from './thread-priority';
import { serveJobs } from './worker-queue';

/** Pools kept for origins no longer mirrored to, at most; the least recently used is closed first. */
const MAX_POOLS = 32;

lowerThreadPriority(19, true);

const { maxQueuedComparisons } = workerData as { maxQueuedComparisons: number };
const comparer = new BodyComparer(maxQueuedComparisons);
const pools = new Map<string, Pool>();

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (pool !== undefined) {
    pools.delete(origin); // re-inserted last: Map order is recency
  } else {
    pool = new Pool(origin, UPSTREAM_POOL);
    if (pools.size >= MAX_POOLS) {
      const [oldest, old] = pools.entries().next().value as [string, Pool];
      pools.delete(oldest);
      void old.close();
    }
  }
  pools.set(origin, pool);
  return pool;
}

serveJobs((job: MirrorJob) => runMirror(job, poolFor(job.origin), comparer));
