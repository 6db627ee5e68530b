/**
 * Shadow traffic: a copy of a legacy-bound request goes to a service that does not answer users
 * yet, and the two responses are compared off the hot path. The user's response is legacy's,
 * streamed as usual; the facade only keeps a capped copy of legacy's body (a tee). The copy is
 * sent once legacy has answered (so it never competes with the user's own request) and runs under
 * its own timeout, so a slow or dead shadow never delays or fails the user.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import type { FacadeConfig } from '../config/schema';
import type { Instance } from '../upstreams/cluster';
import { compileIgnore, diffJson, type Difference, type IgnoreList } from './diff';

type ShadowConfig = NonNullable<FacadeConfig['routes'][number]['shadow']>;

export interface ShadowPlan {
  service: string;
  percent: number;
  methods: ReadonlySet<string>;
  maxBodyBytes: number;
  timeoutMs: number;
  shedUnderLoad: boolean;
  compareStatus: boolean;
  compareHeaders: readonly string[];
  ignore: IgnoreList;
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
    ignore: compileIgnore(cfg.compare.ignore),
    maxCompareBytes: cfg.compare.maxBodyBytes,
  };
}

interface Captured {
  status: number;
  headers: Record<string, string>;
  encoding: string;
  chunks: Buffer[];
  size: number;
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

/** One mirrored request: fed by the legacy exchange (tee) and by its own shadow call. */
export class ShadowRun {
  private legacy: Captured | null = null;
  private shadow: Captured | null = null;

  constructor(
    readonly plan: ShadowPlan,
    /** Called exactly once per run; null when there was nothing to compare (legacy failed). */
    private readonly onOutcome: (outcome: ShadowOutcome | null) => void,
  ) {}

  private request: { instance: Instance; path: string; method: string; headers: string[]; body: Buffer | null } | null = null;

  /** Records what to mirror; it is sent when legacy has answered (`legacyFinished(true)`). */
  prepare(instance: Instance, path: string, method: string, headers: string[], body: Buffer | null): void {
    this.request = { instance, path, method, headers, body };
  }

  private send(): void {
    const { instance, path, method, headers, body } = this.request!;
    const h: string[] = [];
    for (let i = 0; i < headers.length; i += 2) {
      // Ask for an identity body so it can be compared without decompressing.
      if (headers[i].toLowerCase() !== 'accept-encoding') h.push(headers[i], headers[i + 1]);
    }
    h.push('x-strangler-shadow', '1');
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
    const wanted = this.plan.compareHeaders;
    const found: Record<string, string> = {};
    let encoding = '';
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i].toString('latin1').toLowerCase();
      if (name === 'content-encoding') encoding = rawHeaders[i + 1].toString('latin1');
      if (wanted.includes(name)) found[name] = rawHeaders[i + 1].toString('latin1');
    }
    this.legacy = capture(status, wanted, (n) => found[n], this.plan.maxCompareBytes);
    this.legacy.encoding = encoding;
  }

  legacyChunk(chunk: Buffer): void {
    if (this.legacy !== null) add(this.legacy, chunk);
  }

  /** Legacy finished: send the mirror now; or legacy failed: there is nothing to compare against. */
  legacyFinished(ok: boolean): void {
    if (!ok || this.legacy === null || this.request === null) return this.onOutcome(null);
    this.send();
  }

  private settle(): void {
    try {
      this.compare();
    } catch {
      this.onOutcome(null); // an unreadable body is not a finding
    }
  }

  private compare(): void {
    const l = this.legacy;
    const s = this.shadow!;
    if (l === null) return this.onOutcome(null);
    const outcome: ShadowOutcome = { mismatch: false, reasons: [], legacyStatus: l.status, shadowStatus: s.status, differences: [], differenceCount: 0 };
    if (s.error !== null) {
      outcome.mismatch = true;
      outcome.reasons.push('shadow-error');
      outcome.error = s.error;
      return this.onOutcome(outcome);
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
    if (!l.truncated && !s.truncated) {
      const body = compareBodies(l, s, this.plan.ignore);
      if (body.count > 0) {
        outcome.reasons.push('body');
        outcome.differenceCount += body.count;
        outcome.differences.push(...body.samples);
      }
    }
    outcome.differences = outcome.differences.slice(0, 5);
    outcome.mismatch = outcome.reasons.length > 0;
    this.onOutcome(outcome);
  }
}

class ShadowCall implements Dispatcher.DispatchHandler {
  private captured: Captured | null = null;

  constructor(private readonly run: ShadowRun) {}

  onConnect(): void {}

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    if (status < 200) return true;
    const wanted = this.run.plan.compareHeaders;
    const found: Record<string, string> = {};
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i].toString('latin1').toLowerCase();
      if (wanted.includes(name)) found[name] = found[name] === undefined ? rawHeaders[i + 1].toString('latin1') : `${found[name]}, ${rawHeaders[i + 1].toString('latin1')}`;
    }
    this.captured = capture(status, wanted, (n) => found[n], this.run.plan.maxCompareBytes);
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
  const c = capture(0, [], () => undefined, 0);
  c.error = error;
  return c;
}

function capture(status: number, names: readonly string[], get: (name: string) => string | string[] | undefined, cap: number): Captured {
  const headers: Record<string, string> = {};
  for (const n of names) {
    const v = get(n);
    if (v !== undefined) headers[n] = Array.isArray(v) ? v.join(', ') : v;
  }
  return { status, headers, encoding: '', chunks: [], size: 0, truncated: false, cap, error: null };
}

function add(c: Captured, chunk: Buffer): void {
  if (c.truncated) return;
  c.size += chunk.length;
  if (c.size > c.cap) {
    c.truncated = true;
    c.chunks = [];
    return;
  }
  c.chunks.push(chunk);
}

function decoded(c: Captured): Buffer {
  const raw = Buffer.concat(c.chunks);
  const enc = c.encoding.toLowerCase();
  if (!enc || enc === 'identity') return raw;
  const maxOutputLength = 8 * 1024 * 1024;
  if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(raw, { maxOutputLength });
  if (enc === 'deflate') return inflateSync(raw, { maxOutputLength });
  if (enc === 'br') return brotliDecompressSync(raw, { maxOutputLength });
  throw new Error(`unsupported content-encoding ${enc}`);
}

function compareBodies(l: Captured, s: Captured, ignore: IgnoreList): { count: number; samples: Difference[] } {
  let a: Buffer;
  try {
    a = decoded(l);
  } catch {
    return { count: 0, samples: [] }; // cannot read legacy's body: compare status and headers only
  }
  const b = decoded(s);
  if (a.equals(b)) return { count: 0, samples: [] }; // the common case, and no parsing needed
  const ja = parseJson(a);
  const jb = parseJson(b);
  if (ja !== NOT_JSON && jb !== NOT_JSON) return diffJson(ja, jb, ignore);
  return { count: 1, samples: [{ path: 'body', legacy: preview(a), shadow: preview(b) }] };
}

const NOT_JSON = Symbol('not json');

function parseJson(b: Buffer): unknown {
  const first = b.length > 0 ? String.fromCharCode(b[0]) : '';
  if (b.length === 0 || !'{["-0123456789tfn \n\r\t'.includes(first)) return NOT_JSON;
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}

function preview(b: Buffer): string {
  const s = b.subarray(0, 120).toString('utf8');
  return b.length > 120 ? `${s}… (${b.length} bytes)` : s;
}
