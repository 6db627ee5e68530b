/**
 * Shadow traffic: a copy of a legacy-bound request goes to a service that does not answer users
 * yet, and the two responses are compared off the hot path. The user's response is legacy's,
 * streamed as usual; the facade only keeps a capped copy of legacy's body (a tee). The copy is
 * sent once legacy has answered (so it never competes with the user's own request) and runs under
 * its own timeout, so a slow or dead shadow never delays or fails the user. Status and headers are
 * compared here; bodies that are not byte-identical go to the comparison worker (comparer.ts).
 */
import type { Dispatcher } from 'undici';
import type { FacadeConfig } from '../config/schema';
import type { Instance } from '../upstreams/cluster';
import type { BodyComparer } from './comparer';
import type { Difference } from './diff';

type ShadowConfig = NonNullable<FacadeConfig['routes'][number]['shadow']>;

/**
 * Why a mirror was not sent, or its body not compared (`strangler_shadow_skipped_total{reason}`):
 * the event loop was busy (shedUnderLoad), 64 mirrors already in flight, the shadow service has no
 * healthy instance, the request body is over `shadow.maxBodyBytes`, legacy did not answer (nothing
 * to compare with), the comparison queue was full.
 */
export type ShadowSkip = 'busy' | 'in_flight_limit' | 'no_healthy_instance' | 'body_too_large' | 'legacy_failed' | 'compare_queue_full';
export const SHADOW_SKIPS: readonly ShadowSkip[] = ['busy', 'in_flight_limit', 'no_healthy_instance', 'body_too_large', 'legacy_failed', 'compare_queue_full'];

export interface ShadowPlan {
  service: string;
  percent: number;
  methods: ReadonlySet<string>;
  maxBodyBytes: number;
  timeoutMs: number;
  shedUnderLoad: boolean;
  compareStatus: boolean;
  compareHeaders: readonly string[];
  ignore: readonly string[];
  maxCompareBytes: number;
}

export function planShadow(cfg: ShadowConfig, routeService: string): ShadowPlan {
  return {
    service: cfg.service ?? routeService,
    percent: cfg.percent,
    methods: new Set(cfg.methods),
    maxBodyBytes: cfg.maxBodyBytes,
    timeoutMs: cfg.timeoutMs,
    shedUnderLoad: cfg.shedUnderLoad,
    compareStatus: cfg.compare.status,
    compareHeaders: cfg.compare.headers,
    ignore: cfg.compare.ignore,
    maxCompareBytes: cfg.compare.maxBodyBytes,
  };
}

interface Captured {
  status: number;
  /** The compared headers, repeated ones joined with ", " (RFC 9110 §5.3), the same way on both sides. */
  headers: Record<string, string>;
  encoding: string;
  /**
   * The body so far, copied out of each chunk as it arrives into one buffer (sized from
   * Content-Length when there is one), which is then moved to the worker as it is: the socket
   * reads' own buffers are not kept alive until the comparison, and nothing is joined afterwards.
   */
  body: Uint8Array | null;
  size: number;
  /** Declared length, or -1. */
  declared: number;
  truncated: boolean;
  /** Bodies above this size are not kept (compared on status and headers only). */
  cap: number;
  error: string | null;
}

export interface ShadowOutcome {
  mismatch: boolean;
  /** Why it mismatched: 'status', 'headers', 'body' or 'shadow-error'. */
  reasons: string[];
  legacyStatus: number;
  shadowStatus: number;
  differences: Difference[];
  differenceCount: number;
  error?: string;
}

/** Called exactly once per run: the outcome (null when there was nothing to compare) and, if part of the work was skipped, why. */
export type OutcomeListener = (outcome: ShadowOutcome | null, skipped: ShadowSkip | null) => void;

/** One mirrored request: fed by the legacy exchange (tee) and by its own shadow call. */
export class ShadowRun {
  private legacy: Captured | null = null;
  private shadow: Captured | null = null;

  constructor(
    readonly plan: ShadowPlan,
    private readonly comparer: BodyComparer,
    private readonly onOutcome: OutcomeListener,
  ) {}

  private request: { instance: Instance; path: string; method: string; headers: string[]; body: Buffer | null } | null = null;

  /** Records what to mirror; it is sent when legacy has answered (`legacyFinished(true)`). */
  prepare(instance: Instance, path: string, method: string, headers: string[], body: Buffer | null): void {
    this.request = { instance, path, method, headers, body };
  }

  private send(): void {
    const { instance, path, method, headers, body } = this.request!;
    // The request legacy got, Accept-Encoding included: the service is tested with what users send,
    // and a compressed answer is a tenth of the bytes for the event loop to receive (receiving a
    // 1 MiB identity answer measured ~0.6 ms of event-loop CPU per mirror, its 100 KB gzip a tenth).
    const h = [...headers, 'x-strangler-shadow', '1'];
    // A raw dispatch handler, like the user's path: no body stream or promise per mirrored request.
    instance.pool.dispatch(
      {
        path: instance.basePath + path,
        method: method as 'GET',
        headers: h,
        body,
        headersTimeout: this.plan.timeoutMs,
        bodyTimeout: this.plan.timeoutMs,
      },
      new ShadowCall(this),
    );
  }

  /** @internal from ShadowCall */
  shadowFinished(c: Captured): void {
    this.shadow = c;
    setImmediate(() => this.settle());
  }

  legacyHead(status: number, rawHeaders: Buffer[]): void {
    this.legacy = capture(status, rawHeaders, this.plan);
  }

  legacyChunk(chunk: Buffer): void {
    if (this.legacy !== null) add(this.legacy, chunk);
  }

  /** Legacy finished: send the mirror now (true); or legacy failed: there is nothing to compare against (false). */
  legacyFinished(ok: boolean): boolean {
    if (!ok || this.legacy === null || this.request === null) {
      this.onOutcome(null, 'legacy_failed');
      return false;
    }
    this.send();
    return true;
  }

  private settle(): void {
    const l = this.legacy!;
    const s = this.shadow!;
    const outcome: ShadowOutcome = { mismatch: false, reasons: [], legacyStatus: l.status, shadowStatus: s.status, differences: [], differenceCount: 0 };
    if (s.error !== null) {
      outcome.mismatch = true;
      outcome.reasons.push('shadow-error');
      outcome.error = s.error;
      return this.onOutcome(outcome, null);
    }
    if (this.plan.compareStatus && l.status !== s.status) {
      outcome.reasons.push('status');
      outcome.differences.push({ path: 'status', legacy: l.status, shadow: s.status });
      outcome.differenceCount++;
    }
    for (const h of this.plan.compareHeaders) {
      if (l.headers[h] !== s.headers[h]) {
        if (!outcome.reasons.includes('headers')) outcome.reasons.push('headers');
        outcome.differences.push({ path: `header ${h}`, legacy: l.headers[h] ?? '(absent)', shadow: s.headers[h] ?? '(absent)' });
        outcome.differenceCount++;
      }
    }
    if (l.truncated || s.truncated || (l.encoding === s.encoding && sameBytes(l, s))) return this.done(outcome, null);
    const pending = this.comparer.compare({ legacy: bytesOf(l), legacyEncoding: l.encoding, shadow: bytesOf(s), shadowEncoding: s.encoding, ignore: this.plan.ignore });
    if (pending === null) return this.done(outcome, 'compare_queue_full');
    void pending.then((body) => {
      if (body === null) return this.onOutcome(null, null); // legacy's body is unreadable: not a finding
      if (body.count > 0) {
        outcome.reasons.push('body');
        outcome.differenceCount += body.count;
        outcome.differences.push(...body.samples);
      }
      this.done(outcome, null);
    });
  }

  private done(outcome: ShadowOutcome, skipped: ShadowSkip | null): void {
    outcome.differences = outcome.differences.slice(0, 5);
    outcome.mismatch = outcome.reasons.length > 0;
    this.onOutcome(outcome, skipped);
  }
}

class ShadowCall implements Dispatcher.DispatchHandler {
  private captured: Captured | null = null;

  constructor(private readonly run: ShadowRun) {}

  onConnect(): void {}

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    if (status < 200) return true;
    this.captured = capture(status, rawHeaders, this.run.plan);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.captured !== null) add(this.captured, chunk);
    return true;
  }

  onComplete(): void {
    this.run.shadowFinished(this.captured ?? failed('no response'));
  }

  onError(err: Error): void {
    this.run.shadowFinished(failed((err as { code?: string }).code ?? err.name));
  }
}

function failed(error: string): Captured {
  return { status: 0, headers: {}, encoding: '', body: null, size: 0, declared: -1, truncated: false, cap: 0, error };
}

/** One rule for both sides: the compared headers (repeated ones joined with ", ") and the content-encoding. */
function capture(status: number, rawHeaders: Buffer[], plan: ShadowPlan): Captured {
  const wanted = plan.compareHeaders;
  const headers: Record<string, string> = {};
  let encoding = '';
  let declared = -1;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toString('latin1').toLowerCase();
    if (name === 'content-encoding') encoding = rawHeaders[i + 1].toString('latin1').trim().toLowerCase();
    else if (name === 'content-length') declared = Number(rawHeaders[i + 1].toString('latin1'));
    if (wanted.includes(name)) {
      const value = rawHeaders[i + 1].toString('latin1');
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
  }
  const cap = plan.maxCompareBytes;
  // A body declared over the cap is not kept at all.
  return { status, headers, encoding, body: null, size: 0, declared, truncated: declared > cap, cap, error: null };
}

function add(c: Captured, chunk: Buffer): void {
  if (c.truncated) return;
  const size = c.size + chunk.length;
  if (size > c.cap) {
    c.truncated = true;
    c.body = null;
    return;
  }
  let body = c.body;
  if (body === null || size > body.length) {
    // Sized once from Content-Length; without one, doubling (at most to the cap).
    const grown = new Uint8Array(size <= c.declared ? c.declared : Math.min(c.cap, Math.max(size, 2 * (body?.length ?? 8192))));
    if (body !== null) grown.set(body.subarray(0, c.size));
    c.body = body = grown;
  }
  body.set(chunk, c.size);
  c.size = size;
}

function bodyView(c: Captured): Uint8Array {
  return c.body === null ? new Uint8Array(0) : c.body.subarray(0, c.size);
}

function sameBytes(a: Captured, b: Captured): boolean {
  return a.size === b.size && Buffer.compare(bodyView(a), bodyView(b)) === 0;
}

/** The body in a buffer of its own (as received, usually: sized from Content-Length), transferred to the worker. */
function bytesOf(c: Captured): Uint8Array {
  const view = bodyView(c);
  return view.byteLength === view.buffer.byteLength ? view : view.slice();
}
