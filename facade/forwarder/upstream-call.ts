/**
 * One HTTP exchange with one upstream instance over its undici Pool, as a raw dispatch handler
 * (the fastest undici path: no intermediate streams). It reports to a listener and knows nothing
 * about routing; a listener can refuse a response (`onResponse` → false) so it is drained and
 * dropped while the listener retries elsewhere.
 */
import type { Dispatcher } from 'undici';
import type { Instance } from '../upstreams/cluster';

export interface CallListener {
  onResponse(call: UpstreamCall, status: number, rawHeaders: Buffer[]): boolean;
  /** Return false to apply backpressure; call `call.resume()` later. */
  onBody(call: UpstreamCall, chunk: Buffer): boolean;
  onEnd(call: UpstreamCall): void;
  onFailure(call: UpstreamCall, err: Error): void;
}

export interface CallOptions {
  path: string;
  method: string;
  headers: string[];
  body: Buffer | NodeJS.ReadableStream | null;
  /** To the response headers. */
  timeoutMs: number;
  /** Longest pause between two chunks of the response body (`limits.upstreamBodyTimeoutMs`). */
  bodyTimeoutMs: number;
}

export class UpstreamCall<Tag = unknown> implements Dispatcher.DispatchHandler {
  private abortFn: ((err?: Error) => void) | null = null;
  private resumeFn: (() => void) | null = null;
  private dropped = false;
  private settled = false;

  constructor(
    readonly instance: Instance,
    readonly tag: Tag,
    private readonly listener: CallListener,
  ) {}

  start(o: CallOptions): this {
    this.instance.pending++;
    this.instance.pool.dispatch(
      {
        path: this.instance.basePath + o.path,
        method: o.method as Dispatcher.HttpMethod,
        headers: o.headers,
        body: o.body as Buffer | null,
        headersTimeout: o.timeoutMs,
        bodyTimeout: o.bodyTimeoutMs,
      },
      this,
    );
    return this;
  }

  abort(err?: Error): void {
    this.dropped = true;
    this.abortFn?.(err);
  }

  resume(): void {
    this.resumeFn?.();
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (status < 200) return true; // informational (103 …): not forwarded
    this.resumeFn = resume;
    if (!this.listener.onResponse(this, status, rawHeaders)) this.dropped = true;
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.dropped ? true : this.listener.onBody(this, chunk);
  }

  onComplete(): void {
    this.settle();
    if (!this.dropped) this.listener.onEnd(this);
  }

  onError(err: Error): void {
    this.settle();
    if (!this.dropped) this.listener.onFailure(this, err);
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.instance.pending--;
  }
}
