/**
 * Shadow traffic: a copy of a legacy-bound request goes to a service that does not answer users
 * yet, and the two responses are compared off the proxy's event loop. The user's response is
 * legacy's, streamed as usual; the facade only keeps a capped copy of legacy's body (a tee). Once
 * legacy has answered (so the copy never competes with the user's own request), the copy is sent
 * under its own timeout and the service's answer judged (shadow-call.ts): from here for small
 * answers, from the shadow worker (shadow-worker.ts) for large ones; bodies that differ in bytes
 * are compared on the comparison worker. A slow, dead or large-bodied shadow never delays or
 * fails the user.
 */
import type { FacadeConfig } from '../config/schema';
import type { Instance } from '../upstreams/cluster';
import { add, capture, ownBody, type Captured } from './capture';
import type { Difference } from './diff';
import type { BodyComparer } from './comparer';
import { runMirror, type MirrorJob, type MirrorResult } from './shadow-call';
import { ownedBuffers, WorkerQueue } from './worker-queue';

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

/**
 * The shadow worker, seen from the proxy's thread: one job per mirror, legacy's body moved (not
 * copied). Not bounded here: the facade's own in-flight limit on mirrors is the bound.
 */
export class MirrorQueue extends WorkerQueue<MirrorJob, MirrorResult> {
  constructor(maxQueuedComparisons: number) {
    super('shadow-worker', Number.POSITIVE_INFINITY, (job) => ownedBuffers([job.legacy.body]), { maxQueuedComparisons });
  }
}

/**
 * Legacy answers of this size or more are mirrored from the shadow worker, smaller ones from the
 * proxy's thread. Receiving a large answer there allocates its bytes in the proxy's heap (100
 * mirrored 140 KB answers a second: a full collection every ~0.4 s, +22 ms on the users' p99);
 * handing a small one to the worker costs more than receiving it (bench:facade at 1,000 mirrors a
 * second of 100-byte answers: shadowing added ~100 µs of CPU per request through the worker, its
 * two messages included, against 25–40 µs from here).
 * Legacy's size stands for the service's, which is not known before it answers.
 */
export const OFF_THREAD_MIRROR_BYTES = 64 * 1024;

/** Where mirrors run: the proxy's own pools and the comparison worker, or the shadow worker. */
export interface MirrorRunners {
  comparer: BodyComparer;
  worker: MirrorQueue;
}

/** One mirrored request: fed by the legacy exchange (tee), then sent from here or from the shadow worker. */
export class ShadowRun {
  private legacy: Captured | null = null;
  private request: { instance: Instance; path: string; method: string; headers: string[]; body: Buffer | null } | null = null;

  constructor(
    readonly plan: ShadowPlan,
    private readonly runners: MirrorRunners,
    private readonly onOutcome: OutcomeListener,
  ) {}

  /** Records what to mirror; it is sent when legacy has answered (`legacyFinished(true)`). */
  prepare(instance: Instance, path: string, method: string, headers: string[], body: Buffer | null): void {
    this.request = { instance, path, method, headers, body };
  }

  legacyHead(status: number, rawHeaders: Buffer[]): void {
    this.legacy = capture(status, rawHeaders, this.plan.compareHeaders, this.plan.maxCompareBytes);
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
    const { instance, path, method, headers, body } = this.request;
    const plan = this.plan;
    const legacy = this.legacy;
    this.legacy = null; // its body now belongs to the mirror (moved to a worker)
    ownBody(legacy);
    const job: MirrorJob = {
      origin: instance.origin,
      path: instance.basePath + path,
      method,
      // The request legacy got, Accept-Encoding included: the service is tested with what users send.
      headers: [...headers, 'x-strangler-shadow', '1'],
      body,
      timeoutMs: plan.timeoutMs,
      rule: { status: plan.compareStatus, headers: plan.compareHeaders, ignore: plan.ignore, maxBytes: plan.maxCompareBytes },
      legacy,
    };
    const large = legacy.truncated || Math.max(legacy.size, legacy.declared) >= OFF_THREAD_MIRROR_BYTES;
    const pending = large ? this.runners.worker.send(job) : runMirror(job, instance.pool, this.runners.comparer);
    if (pending === null) this.onOutcome(null, null);
    else void pending.then((r) => (r === null ? this.onOutcome(null, null) : this.onOutcome(r.outcome, r.skipped)));
    return true;
  }
}
