/**
 * Hands shadow body comparisons to one worker thread (started on first use, ended by `close()`),
 * through a bounded queue: when `maxQueued` jobs are already waiting, a new one is refused (the
 * caller counts it as skipped) rather than letting memory and latency grow without bound.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BodyJob } from './compare';
import type { DiffResult } from './diff';

type Settle = (result: DiffResult | null) => void;

export class BodyComparer {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Settle>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly maxQueued: number) {}

  /** Jobs sent and not yet answered. */
  get queued(): number {
    return this.waiting.size;
  }

  /** Resolves with the differences (null: legacy's body unreadable); returns null when the queue is full or closed. */
  compare(job: BodyJob): Promise<DiffResult | null> | null {
    if (this.closed || this.waiting.size >= this.maxQueued) return null;
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      // The bodies' memory moves to the worker (no copy) when they own their whole buffer.
      const transfer = [job.legacy, job.shadow].filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength).map((b) => b.buffer as ArrayBuffer);
      worker.postMessage({ id, job }, transfer);
    });
  }

  private start(): Worker {
    const worker = new Worker(...workerScript());
    worker.unref(); // an idle comparer never keeps the process alive
    worker.on('message', (m: { id: number; result?: DiffResult | null; error?: string }) => {
      const settle = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      settle?.(m.error === undefined ? (m.result ?? null) : null);
    });
    // A crashed worker costs the comparisons in flight (no finding), not the proxy; the next job starts a new one.
    const lost = (): void => {
      if (this.worker === worker) this.worker = null;
      for (const settle of this.waiting.values()) settle(null);
      this.waiting.clear();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

/** The compiled worker next to this file; from TypeScript sources (tests) the same file through tsx's require hook. */
function workerScript(): [string, { eval?: boolean }] {
  const js = path.join(__dirname, 'compare-worker.js');
  if (existsSync(js)) return [js, {}];
  const ts = path.join(__dirname, 'compare-worker.ts');
  return [`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(ts)});`, { eval: true }];
}
