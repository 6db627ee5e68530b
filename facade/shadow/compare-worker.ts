/**
 * Worker-thread entry: compares shadow bodies (compare.ts), one job at a time, so that only one
 * decoding step runs at once however many jobs wait. The thread moves itself to the lowest CPU
 * priority there is (SCHED_IDLE, else nice 19; thread-priority.ts says why a nice value alone was
 * not enough), so that what it does itself (comparing bytes, parsing and diffing JSON) waits for
 * the proxy's thread on a core they share.
 */
import { compareBodies, type BodyJob } from './compare';
import type { DiffResult } from './diff';
import { lowerThreadPriority } from './thread-priority';
import { serveJobs } from './worker-queue';

lowerThreadPriority(19, true);

let previous: Promise<unknown> = Promise.resolve();

serveJobs((job: BodyJob): Promise<DiffResult | null> => {
  const next = previous.then(() => compareBodies(job));
  previous = next.catch(() => undefined); // a failed job does not hold up the next
  return next;
});
