/**
 * Shadow body comparisons (compare.ts) on one worker thread of their own, at the lowest CPU
 * priority (compare-worker.ts), through a bounded queue: a job refused while `maxQueued` wait is
 * a body not compared (`compare_queue_full`).
 */
import type { BodyJob } from './compare';
import type { DiffResult } from './diff';
import { ownedBuffers, WorkerQueue } from './worker-queue';

export class BodyComparer extends WorkerQueue<BodyJob, DiffResult> {
  constructor(maxQueued: number) {
    // The bodies' memory moves to the worker (no copy) when they own their whole buffer.
    super('compare-worker', maxQueued, (job) => ownedBuffers([job.legacy, job.shadow]));
  }

  /** Resolves with the differences (null: legacy's body unreadable); returns null when the queue is full or closed. */
  compare(job: BodyJob): Promise<DiffResult | null> | null {
    return this.send(job);
  }
}
