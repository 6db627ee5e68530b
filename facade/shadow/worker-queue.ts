/**
 * Jobs handed to a worker thread (started on first use, ended by `close()`) and answered by it,
 * one message each way, through a bounded queue: when `maxQueued` jobs are already waiting, a new
 * one is refused (the caller counts it as skipped) rather than letting memory and latency grow
 * without bound. `serveJobs` is the worker's side of the same protocol.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';

type Settle<R> = (result: R | null) => void;
type Reply<R> = { id: number; result?: R; error?: string };

export class WorkerQueue<J, R> {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Settle<R>>();
  private nextId = 1;
  private closed = false;

  /**
   * `entry`: the worker's file name next to this one, without extension; `transferOf`: the
   * buffers of a job that move to the worker (no copy) instead of being cloned.
   */
  constructor(
    private readonly entry: string,
    private readonly maxQueued: number,
    private readonly transferOf: (job: J) => ArrayBuffer[],
    private readonly workerData?: unknown,
  ) {}

  /** Jobs sent and not yet answered. */
  get queued(): number {
    return this.waiting.size;
  }

  /** Resolves with the worker's answer (null when the worker failed or was closed); returns null when the queue is full or closed. */
  send(job: J): Promise<R | null> | null {
    if (this.closed || this.waiting.size >= this.maxQueued) return null;
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      try {
        worker.postMessage({ id, job }, this.transferOf(job));
      } catch {
        // A job that cannot be sent (a buffer already moved elsewhere) is answered as lost, not left waiting.
        this.waiting.delete(id);
        resolve(null);
      }
    });
  }

  private start(): Worker {
    const [file, options] = workerScript(this.entry);
    const worker = new Worker(file, { ...options, workerData: this.workerData });
    worker.unref(); // an idle worker never keeps the process alive
    worker.on('message', (m: Reply<R>) => {
      const settle = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      settle?.(m.error === undefined ? (m.result ?? null) : null);
    });
    // A crashed worker costs the jobs in flight (no finding), not the proxy; the next job starts a new one.
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

/** In a worker: answers each job with `handle`'s result (or its error), moving the buffers `transferOf` names. */
export function serveJobs<J, R>(handle: (job: J) => R | Promise<R>, transferOf: (result: R) => ArrayBuffer[] = () => []): void {
  const port = parentPort!;
  port.on('message', (msg: { id: number; job: J }) => {
    Promise.resolve()
      .then(() => handle(msg.job))
      .then(
        (result) => port.postMessage({ id: msg.id, result }, transferOf(result)),
        (err: unknown) => port.postMessage({ id: msg.id, error: String(err) }),
      );
  });
}

/**
 * The buffers among these that a view covers whole, so that moving them to a worker loses nothing
 * else. Empty ones are left out: Node drops a message without a word when its transfer list holds
 * a buffer already moved (detached), while cloning one throws, which `send` answers as lost.
 */
export function ownedBuffers(views: ReadonlyArray<Uint8Array | null>): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const v of views) {
    if (v !== null && v.byteLength > 0 && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && !out.includes(v.buffer as ArrayBuffer)) out.push(v.buffer as ArrayBuffer);
  }
  return out;
}

/** The compiled worker next to this file; from TypeScript sources (tests) the same file through tsx's require hook. */
function workerScript(entry: string): [string, { eval?: boolean }] {
  const js = path.join(__dirname, `${entry}.js`);
  if (existsSync(js)) return [js, {}];
  const ts = path.join(__dirname, `${entry}.ts`);
  return [`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(ts)});`, { eval: true }];
}
