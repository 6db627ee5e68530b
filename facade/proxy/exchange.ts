/**
 * One user request through the facade: pick the side (route decision, then health and breaker),
 * forward, fall back to legacy when the service fails a replayable request, mirror to a shadow,
 * answer the client, and account for it (metrics, counters, log). One object per request and no
 * per-request closures on the common path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { errorCodeOf, refuseBody, sendError, type FacadeErrorCode } from '../forwarder/errors';
import { responseHeaders, type ForwardHeaders } from '../forwarder/headers';
import { UpstreamCall, type CallListener } from '../forwarder/upstream-call';
import type { MatchedRoute, Side } from '../routing/table';
import { ShadowRun, type MirrorRunners, type ShadowOutcome, type ShadowSkip } from '../shadow/mirror';
import type { Instance } from '../upstreams/cluster';
import type { RouteRuntime, Snapshot } from './snapshot';

export interface Shared {
  logger: Logger;
  shadowInFlight: number;
  maxShadowInFlight: number;
  /** The event loop was busy over the last sample: best-effort work (mirroring) is shed. */
  busy: boolean;
  /** Responses not yet closed; `close()` waits for them. */
  inFlight: number;
  /** Called when inFlight drops to 0 (set while closing). */
  onIdle: (() => void) | null;
  /** Open WebSocket tunnels (client sockets), ended by `close()`. */
  tunnels: Set<import('node:stream').Duplex>;
  /** The comparison worker and the shadow worker (see shadow/mirror.ts). */
  mirrors: MirrorRunners;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);
const kExchange = Symbol('exchange');

class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
}

export class Exchange implements CallListener {
  private readonly started = performance.now();
  private side: Side;
  private body: Buffer | Readable | null = null;
  /** The body can be sent again (none, or fully buffered) and the method may be repeated. */
  private replayable = false;
  private retryService = false;
  private legacyRetried = false;
  private tooLarge = false;
  private clientGone = false;
  private finished = false;
  private status = 0;
  private shadow: ShadowRun | null = null;
  private call: UpstreamCall<Side> | null = null;
  /** Declared length of the response being relayed (-1: none). */
  contentLength = -1;
  /** A body that arrived whole in one chunk, kept to send with `res.end()` (one write, not two). */
  private held: Buffer | null = null;

  constructor(
    private readonly snap: Snapshot,
    private readonly shared: Shared,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly route: MatchedRoute | null,
    private readonly rt: RouteRuntime,
    side: Side,
    private readonly path: string,
    private readonly fwd: ForwardHeaders,
  ) {
    this.side = side;
  }

  run(): void {
    const { req, res, snap, route, rt } = this;
    (res as unknown as Record<symbol, Exchange>)[kExchange] = this;
    res.on('close', onResponseClose); // fires once; `on` avoids once()'s wrapper per request
    this.shared.inFlight++;
    if (route !== null) {
      const c = rt.counters;
      c.total++;
      c.recentTotal[c.slot]++;
    }

    const cl = req.headers['content-length'];
    let declared = -1;
    let hasBody: boolean;
    if (cl !== undefined) {
      declared = Number(cl);
      if (declared > snap.maxBodyBytes) return this.tooLargeUpFront();
      hasBody = declared > 0;
    } else {
      hasBody = req.headers['transfer-encoding'] !== undefined;
    }

    let serviceInstance: Instance | null = null;
    if (this.side === 'service') {
      serviceInstance = rt.cluster?.pick() ?? null;
      // No healthy instance, or the breaker is open: the route's traffic stays on legacy.
      if (serviceInstance === null || !rt.breaker!.allow()) {
        serviceInstance = null;
        this.side = 'legacy';
      }
    }
    const method = req.method!;
    const idempotent = IDEMPOTENT.has(method) || (route !== null && route.retryMethods.has(method));
    const wantRetry = this.side === 'service' && route!.config.fallback && idempotent;
    const plan = this.side === 'legacy' ? rt.shadow : null;
    let wantShadow =
      plan !== null &&
      rt.shadowCluster !== null &&
      plan.methods.has(method) &&
      (plan.percent >= 100 || Math.random() * 100 < plan.percent);
    if (wantShadow) {
      const skip: ShadowSkip | null =
        this.shared.busy && plan!.shedUnderLoad ? 'busy' : this.shared.shadowInFlight >= this.shared.maxShadowInFlight ? 'in_flight_limit' : null;
      if (skip !== null) {
        wantShadow = false;
        rt.metrics.shadowSkipped(skip);
      }
    }

    if (!hasBody) {
      this.replayable = idempotent;
      this.retryService = wantRetry;
      return this.begin(serviceInstance, wantShadow);
    }
    const cap = Math.max(wantRetry || idempotent ? snap.retryBufferBytes : -1, wantShadow ? plan!.maxBodyBytes : -1);
    if (cap >= 0 && declared <= cap) {
      this.bufferBody(cap, idempotent, wantRetry, serviceInstance, wantShadow);
      return;
    }
    if (wantShadow) rt.metrics.shadowSkipped('body_too_large');
    this.body = req;
    if (declared === -1) {
      // Count chunked bytes as they pass. Paused first: a 'data' listener would otherwise start the
      // flow before undici listens, and those chunks would be lost (undici resumes the stream).
      req.pause();
      req.on('data', (chunk: Buffer) => this.countStreamed(chunk));
    }
    this.begin(serviceInstance, false);
  }

  private streamed = 0;

  private countStreamed(chunk: Buffer): void {
    this.streamed += chunk.length;
    if (this.streamed > this.snap.maxBodyBytes && !this.tooLarge) {
      this.tooLarge = true;
      this.call?.abort(new BodyTooLarge());
      this.req.pause();
      this.answerTooLarge();
      this.finish(this.side, 413);
    }
  }

  /** Reads the body into memory up to `cap` so it can be replayed; beyond that, streams it on. */
  private bufferBody(cap: number, idempotent: boolean, wantRetry: boolean, serviceInstance: Instance | null, wantShadow: boolean): void {
    const chunks: Buffer[] = [];
    let size = 0;
    const req = this.req;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
      if (size > cap) {
        req.off('data', onData).off('end', onEnd);
        req.pause();
        if (size > this.snap.maxBodyBytes) return this.tooLargeUpFront();
        if (wantShadow) this.rt.metrics.shadowSkipped('body_too_large');
        this.body = Readable.from(this.rest(chunks, size));
        this.begin(serviceInstance, false);
      }
    };
    const onEnd = () => {
      this.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      this.replayable = idempotent;
      this.retryService = wantRetry;
      this.begin(serviceInstance, wantShadow);
    };
    req.on('data', onData).once('end', onEnd);
  }

  private async *rest(prefix: Buffer[], size: number): AsyncGenerator<Buffer> {
    yield* prefix;
    // destroyOnReturn: false — if the upstream fails, undici ends this generator; the client's
    // request must stay open so the facade can still answer it.
    for await (const chunk of this.req.iterator({ destroyOnReturn: false })) {
      size += (chunk as Buffer).length;
      if (size > this.snap.maxBodyBytes) {
        this.tooLarge = true;
        throw new BodyTooLarge();
      }
      yield chunk as Buffer;
    }
  }

  private begin(serviceInstance: Instance | null, wantShadow: boolean): void {
    if (this.clientGone) return;
    if (wantShadow) this.startShadow();
    if (this.side === 'service') this.dispatch(serviceInstance!, 'service');
    else this.toLegacy();
  }

  private toLegacy(exclude?: Instance): void {
    const inst = this.snap.legacy.pickAny(exclude);
    if (inst === null) return this.fail('legacy', 'upstream_unavailable', 'no legacy instance');
    this.dispatch(inst, 'legacy');
  }

  private dispatch(inst: Instance, side: Side): void {
    this.side = side;
    const c = this.rt.counters;
    c[side]++;
    if (side === 'service') c.recentService[c.slot]++;
    const cluster = side === 'service' ? this.rt.cluster! : this.snap.legacy;
    this.call = new UpstreamCall<Side>(inst, side, this).start({
      path: this.path,
      method: this.req.method!,
      headers: this.fwd.headers,
      body: this.body,
      timeoutMs: cluster.timeoutMs,
      bodyTimeoutMs: this.snap.bodyTimeoutMs,
    });
  }

  onResponse(call: UpstreamCall, status: number, rawHeaders: Buffer[]): boolean {
    if (this.clientGone) return false;
    const side = call.tag as Side;
    if (side === 'service') {
      const breaker = this.rt.breaker!;
      if (status >= 500) {
        breaker.failure();
        this.rt.counters.serviceErrors++;
        this.rt.metrics.upstreamError('service', 'status_5xx');
        if (this.retryService) {
          this.fallback();
          return false;
        }
      } else breaker.success();
    } else if (status >= 500) {
      this.rt.counters.legacyErrors++;
      this.rt.metrics.upstreamError('legacy', 'status_5xx');
    }
    this.status = status;
    try {
      this.res.writeHead(status, responseHeaders(rawHeaders, this.fwd.requestId, this));
    } catch (err) {
      // A header Node refuses to send (invalid characters): not relayable.
      this.rt.metrics.upstreamError(side, 'bad_response');
      this.fail(side, 'upstream_unavailable', `${side} sent a response that cannot be relayed (${(err as Error).message})`);
      return false;
    }
    if (this.shadow !== null && side === 'legacy') this.shadow.legacyHead(status, rawHeaders);
    return true;
  }

  onBody(call: UpstreamCall, chunk: Buffer): boolean {
    if (this.shadow !== null) this.shadow.legacyChunk(chunk);
    if (chunk.length === this.contentLength) {
      this.held = chunk; // the whole body: the end follows in the same parser pass
      return true;
    }
    if (this.held !== null) {
      this.res.write(this.held);
      this.held = null;
    }
    if (this.res.write(chunk)) return true;
    this.res.once('drain', () => call.resume()); // a closure only under backpressure, not per call
    return false;
  }

  onEnd(call: UpstreamCall): void {
    const held = this.held;
    if (held === null) this.res.end();
    // A small whole body goes out as a latin1 string (byte-exact): Node copies it next to the head
    // instead of handing the socket a separate buffer, measurably less CPU per request (the socket
    // still gets a writev: end() queues an empty final chunk after it).
    else if (held.length < 16_384) this.res.end(held.toString('latin1'), 'latin1');
    else this.res.end(held);
    this.finish(call.tag as Side, this.status);
  }

  onFailure(call: UpstreamCall, err: Error): void {
    const side = call.tag as Side;
    if (this.clientGone || this.tooLarge) {
      if (this.tooLarge) this.answerTooLarge();
      return this.finish(side, this.tooLarge ? 413 : 499);
    }
    const { code, detail } = errorCodeOf(err);
    this.rt.metrics.upstreamError(side, detail);
    if (side === 'service') {
      this.rt.breaker!.failure();
      this.rt.counters.serviceErrors++;
      if (this.retryService && !this.res.headersSent) return this.fallback();
    } else {
      this.rt.counters.legacyErrors++;
      // Another legacy instance may answer a replayable request the first one refused.
      if (this.replayable && !this.legacyRetried && code === 'upstream_unavailable' && !this.res.headersSent && this.snap.legacy.instances.length > 1) {
        this.legacyRetried = true;
        return this.toLegacy(call.instance);
      }
    }
    this.fail(side, code, `${side} did not answer (${detail})`);
  }

  private fallback(): void {
    this.retryService = false;
    this.rt.counters.fallbacks++;
    this.rt.metrics.fallbacks.inc();
    this.toLegacy();
  }

  private fail(side: Side, code: FacadeErrorCode, message: string): void {
    const close = this.body !== null && !this.req.complete;
    const status = sendError(this.res, code, message, this.fwd.requestId, close);
    this.finish(side, status);
  }

  private tooLargeUpFront(): void {
    this.tooLarge = true;
    this.answerTooLarge();
    this.finish(this.side, 413);
  }

  private refused = false;

  private answerTooLarge(): void {
    if (this.refused) return;
    this.refused = true;
    // Once the upstream's answer has started there is no clean way out: the response is cut.
    refuseBody(this.req, this.res, 'payload_too_large', `request body exceeds ${this.snap.maxBodyBytes} bytes`, this.fwd.requestId, this.snap.linger);
  }

  private startShadow(): void {
    const plan = this.rt.shadow!;
    const inst = this.rt.shadowCluster!.pick();
    if (inst === null) return this.rt.metrics.shadowSkipped('no_healthy_instance');
    this.shared.shadowInFlight++;
    const run = new ShadowRun(plan, this.shared.mirrors, (outcome, skipped) => this.shadowDone(outcome, skipped));
    run.prepare(inst, this.path, this.req.method!, this.fwd.headers, this.body as Buffer | null);
    this.shadow = run;
  }

  private shadowDone(outcome: ShadowOutcome | null, skipped: ShadowSkip | null): void {
    this.shared.shadowInFlight--;
    if (skipped !== null) this.rt.metrics.shadowSkipped(skipped);
    if (outcome !== null) this.rt.counters.shadowCompared++;
    if (outcome === null || !outcome.mismatch) return;
    this.rt.counters.shadowMismatches++;
    this.rt.metrics.shadowMismatches.inc();
    this.shared.logger.warn(
      { requestId: this.fwd.requestId, route: this.rt.name, method: this.req.method, path: this.path, ...outcome },
      'shadow mismatch',
    );
  }

  /** The client went away: stop the upstream work on its behalf. */
  responseClosed(): void {
    const shared = this.shared;
    if (--shared.inFlight === 0 && shared.onIdle !== null) shared.onIdle();
    this.clientClosed();
  }

  private clientClosed(): void {
    if (this.finished || this.res.writableFinished) return;
    this.clientGone = true;
    this.call?.abort();
    this.finish(this.side, 499);
  }

  private finish(side: Side, status: number): void {
    if (this.finished) return;
    this.finished = true;
    // Counted when sent (not when planned), so the count is what the shadow service was sent.
    if (this.shadow !== null && this.shadow.legacyFinished(side === 'legacy' && status > 0 && status !== 499 && this.status === status)) {
      this.rt.counters.shadow++;
      this.rt.metrics.shadowRequests.inc();
    }
    const seconds = (performance.now() - this.started) / 1000;
    this.rt.metrics.answered(side, status, seconds);
    const logger = this.shared.logger;
    if (status >= 500 || status === 499) {
      logger.warn(this.logLine(side, status, seconds), 'request failed');
    } else if (status >= 400 || this.snap.logSuccesses) {
      logger.info(this.logLine(side, status, seconds), 'request');
    } else if (logger.isLevelEnabled('debug')) {
      logger.debug(this.logLine(side, status, seconds), 'request');
    }
  }

  private logLine(side: Side, status: number, seconds: number) {
    return {
      requestId: this.fwd.requestId,
      method: this.req.method,
      path: this.path,
      route: this.rt.name,
      side,
      status,
      ms: Math.round(seconds * 1e4) / 10,
    };
  }
}

function onResponseClose(this: ServerResponse): void {
  (this as unknown as Record<symbol, Exchange>)[kExchange].responseClosed();
}
