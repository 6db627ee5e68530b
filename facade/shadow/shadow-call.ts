/**
 * The shadow side of one mirror, run on the shadow worker (shadow-worker.ts): the copy of the
 * request goes to the service, its answer is captured, then judged against legacy's captured
 * answer: status and the compared headers here, bodies that are not byte-identical on the
 * comparison worker (comparer.ts).
 */
import type { Dispatcher } from 'undici';
import { add, bodyOf, capture, failed, ownBody, sameBytes, type Captured } from './capture';
import type { BodyComparer } from './comparer';
import type { ShadowOutcome, ShadowSkip } from './mirror';

export interface CompareRule {
  status: boolean;
  headers: readonly string[];
  ignore: readonly string[];
  /** Bodies above this size are compared on status and headers only. */
  maxBytes: number;
}

/** What the proxy's thread hands over once legacy has answered. */
export interface MirrorJob {
  /** The service instance's origin (`http://host:port`) and the full path to send, its base path included. */
  origin: string;
  path: string;
  method: string;
  /** Raw header list, as forwarded to legacy. */
  headers: string[];
  body: Uint8Array | null;
  timeoutMs: number;
  rule: CompareRule;
  legacy: Captured;
}

export interface MirrorResult {
  /** Null when there was nothing to compare (legacy's body unreadable). */
  outcome: ShadowOutcome | null;
  skipped: ShadowSkip | null;
}

/** Sends the mirror through `pool` and judges the answer; never rejects. */
export function runMirror(job: MirrorJob, pool: Dispatcher, comparer: BodyComparer): Promise<MirrorResult> {
  return new Promise((resolve) => {
    const body = job.body === null ? null : Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
    // A raw dispatch handler, like the user's path: no body stream or promise per mirrored request.
    pool.dispatch(
      { path: job.path, method: job.method as 'GET', headers: job.headers, body, headersTimeout: job.timeoutMs, bodyTimeout: job.timeoutMs },
      new ShadowCall(job.rule, (shadow) => resolve(judge(job, shadow, comparer))),
    );
  });
}

class ShadowCall implements Dispatcher.DispatchHandler {
  private captured: Captured | null = null;
  private done = false;

  constructor(
    private readonly rule: CompareRule,
    private readonly onDone: (c: Captured) => void,
  ) {}

  onConnect(): void {}

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    if (status < 200) return true;
    this.captured = capture(status, rawHeaders, this.rule.headers, this.rule.maxBytes);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.captured !== null) add(this.captured, chunk);
    return true;
  }

  onComplete(): void {
    this.finish(this.captured ?? failed('no response'));
  }

  onError(err: Error): void {
    this.finish(failed((err as { code?: string }).code ?? err.name));
  }

  private finish(c: Captured): void {
    if (this.done) return;
    this.done = true;
    this.onDone(c);
  }
}

async function judge(job: MirrorJob, s: Captured, comparer: BodyComparer): Promise<MirrorResult> {
  const l = job.legacy;
  const outcome: ShadowOutcome = { mismatch: false, reasons: [], legacyStatus: l.status, shadowStatus: s.status, differences: [], differenceCount: 0 };
  if (s.error !== null) {
    outcome.mismatch = true;
    outcome.reasons.push('shadow-error');
    outcome.error = s.error;
    return { outcome, skipped: null };
  }
  if (job.rule.status && l.status !== s.status) {
    outcome.reasons.push('status');
    outcome.differences.push({ path: 'status', legacy: l.status, shadow: s.status });
    outcome.differenceCount++;
  }
  for (const h of job.rule.headers) {
    if (l.headers[h] !== s.headers[h]) {
      if (!outcome.reasons.includes('headers')) outcome.reasons.push('headers');
      outcome.differences.push({ path: `header ${h}`, legacy: l.headers[h] ?? '(absent)', shadow: s.headers[h] ?? '(absent)' });
      outcome.differenceCount++;
    }
  }
  if (l.truncated || s.truncated || (l.encoding === s.encoding && sameBytes(l, s))) return done(outcome, null);
  ownBody(s);
  const pending = comparer.compare({ legacy: bodyOf(l), legacyEncoding: l.encoding, shadow: bodyOf(s), shadowEncoding: s.encoding, ignore: job.rule.ignore });
  if (pending === null) return done(outcome, 'compare_queue_full');
  const body = await pending;
  if (body === null) return { outcome: null, skipped: null }; // legacy's body is unreadable: not a finding
  if (body.count > 0) {
    outcome.reasons.push('body');
    outcome.differenceCount += body.count;
    outcome.differences.push(...body.samples);
  }
  return done(outcome, null);
}

function done(outcome: ShadowOutcome, skipped: ShadowSkip | null): MirrorResult {
  outcome.differences = outcome.differences.slice(0, 5);
  outcome.mismatch = outcome.reasons.length > 0;
  return { outcome, skipped };
}

