/**
 * The strangler facade's data plane: a routing proxy in front of the legacy app that moves routes
 * to services progressively, with fallback to legacy. Config in (validated), routing snapshot
 * swapped atomically on `apply()`, metrics in a prom-client Registry; the control plane (admin
 * API, file watching, CLI) lives in facade/control and facade/admin and builds on this interface.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { FacadeConfigSchema, type FacadeConfig } from './config/schema';
import { HealthChecker } from './health/checker';
import { FacadeMetrics } from './metrics/metrics';
import type { Breaker } from './breaker/breaker';
import type { Shared } from './proxy/exchange';
import { handleRequest } from './proxy/handler';
import { sendError } from './forwarder/errors';
import { buildSnapshot, type Durable, type Snapshot } from './proxy/snapshot';
import { SLOT_MS, type RouteCounters } from './proxy/stats';
import { handleUpgrade } from './proxy/upgrade';
import { InstanceRegistry, type Cluster } from './upstreams/cluster';
import { BodyComparer } from './shadow/comparer';
import { MirrorQueue } from './shadow/mirror';

export type { FacadeConfig } from './config/schema';

export interface FacadeOptions {
  logger?: Logger;
  registry?: Registry;
}

export interface RouteStat {
  name: string;
  service: string;
  weight: number;
  requests: { legacy: number; service: number; shadow: number };
  /** 5xx or transport errors seen by the facade */
  errors: { legacy: number; service: number };
  fallbacks: number;
  /** Mirrors compared (of `requests.shadow` sent), and of those, the ones that differed. */
  shadowCompared: number;
  shadowMismatches: number;
  breaker: 'closed' | 'open' | 'half-open';
  /** observed share of this route's traffic that went to the service since (re)start, 0..1 */
  serviceShare: number;
  /** The same over the last minute: requests matched and the share sent to the service (0 when none). */
  recent: { requests: number; serviceShare: number };
  /** The route's service: instances healthy / configured, and how often health checks took one out. */
  instances: { healthy: number; total: number };
  ejections: number;
}

/** One upstream (legacy, or a service) and its instances' health. */
export interface UpstreamStat {
  role: 'legacy' | 'service';
  name: string;
  healthy: number;
  total: number;
  ejections: number;
  instances: Array<{ url: string; healthy: boolean; checked: boolean; ejections: number; lastFailure: string | null }>;
}

export interface Facade {
  /** Starts the proxy on config.listen (port 0 = ephemeral). */
  listen(): Promise<AddressInfo>;
  /** Validated config in, routing table swapped atomically; upstream pools for unchanged URLs are kept; in-flight requests finish on the old table. */
  apply(config: FacadeConfig): void;
  current(): FacadeConfig;
  stats(): RouteStat[];
  /** Legacy first, then every service of the current config. */
  upstreams(): UpstreamStat[];
  readonly registry: Registry;
  /** true once listening and at least legacy has a healthy instance */
  ready(): boolean;
  close(): Promise<void>;
}

/**
 * Upper bound on concurrent mirrored requests; beyond it requests are simply not mirrored. Keeps a
 * slow shadow from piling up connections, memory and CPU that user traffic needs (measured: with
 * 256 a lagging shadow service reached 256 open connections under 50 users).
 */
const MAX_SHADOW_IN_FLIGHT = 64;
/**
 * Shadow body comparisons waiting for a comparison worker, at most, per mirroring thread (the
 * proxy's and the shadow worker's; each holds up to two bodies of `compare.maxBodyBytes`); beyond
 * it a body is not compared (`compare_queue_full`).
 */
const MAX_QUEUED_COMPARISONS = 16;
/** Event-loop utilisation above which the facade counts as busy, sampled every LOAD_SAMPLE_MS. */
const BUSY_UTILIZATION = 0.8;
const LOAD_SAMPLE_MS = 250;
/** How long a retired upstream pool stays open for requests still running on an old snapshot. */
const RETIRE_AFTER_MS = 30_000;

class StranglerFacade implements Facade {
  readonly registry: Registry;
  private snapshot!: Snapshot;
  private readonly durable: Durable;
  private readonly health: HealthChecker;
  private readonly shared: Shared;
  private server: http.Server | null = null;
  private listening = false;
  private closed = false;
  private readonly ownLogger: boolean;

  constructor(config: FacadeConfig, options: FacadeOptions) {
    const parsed = FacadeConfigSchema.parse(config);
    this.registry = options.registry ?? new Registry();
    this.ownLogger = options.logger === undefined;
    const logger = options.logger ?? pino({ level: parsed.logging.level, base: { component: 'facade' } });
    this.shared = {
      logger,
      shadowInFlight: 0,
      maxShadowInFlight: MAX_SHADOW_IN_FLIGHT,
      busy: false,
      inFlight: 0,
      onIdle: null,
      tunnels: new Set(),
      mirrors: { comparer: new BodyComparer(MAX_QUEUED_COMPARISONS), worker: new MirrorQueue(MAX_QUEUED_COMPARISONS) },
    };
    this.health = new HealthChecker(logger);
    this.durable = {
      instances: new InstanceRegistry(RETIRE_AFTER_MS),
      breakers: new Map<string, Breaker>(),
      counters: new Map<string, RouteCounters>(),
      metrics: new FacadeMetrics(this.registry),
    };
    this.install(parsed);
  }

  async listen(): Promise<AddressInfo> {
    if (this.server) throw new Error('facade is already listening');
    const { listen, limits } = this.snapshot.config;
    const server = http.createServer({
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node enforces headersTimeout/requestTimeout on slow clients (default 30 s).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    });
    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      try {
        handleRequest(this.snapshot, this.shared, req, res);
      } catch (err) {
        this.internalError(err, () => sendError(res, 'upstream_unavailable', 'internal error in the facade', '-', true));
      }
    };
    server.on('request', onRequest);
    // `Expect: 100-continue`: invite the body only if it will be read; a declared length over the
    // limit gets its 413 straight away (the exchange refuses it before reading anything).
    server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (!(Number(req.headers['content-length']) > this.snapshot.maxBodyBytes)) res.writeContinue();
      onRequest(req, res);
    });
    server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
      try {
        handleUpgrade(this.snapshot, this.shared, req, socket, head);
      } catch (err) {
        this.internalError(err, () => socket.destroy());
      }
    });
    // CONNECT would make this an open tunnel: refuse it explicitly.
    server.on('connect', (_req, socket: Duplex) => {
      refuseConnect(socket);
      this.durable.metrics.refused('connect');
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.listening = true;
    this.watchLoad();
    const address = server.address() as AddressInfo;
    this.shared.logger.info({ address: address.address, port: address.port }, 'facade listening');
    return address;
  }

  /** A bug must cost one request, never the process. */
  private internalError(err: unknown, answer: () => void): void {
    this.shared.logger.error({ err }, 'internal error while proxying a request');
    try {
      answer();
    } catch {
      /* the connection is already gone */
    }
  }

  private loadTimer: NodeJS.Timeout | null = null;
  private windowTimer: NodeJS.Timeout | null = null;

  private watchLoad(): void {
    let last = performance.eventLoopUtilization();
    this.loadTimer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      this.shared.busy = performance.eventLoopUtilization(now, last).utilization > BUSY_UTILIZATION;
      last = now;
    }, LOAD_SAMPLE_MS);
    this.loadTimer.unref();
    // The recent window moves by a slot on a timer, so the hot path only increments the current one.
    this.windowTimer = setInterval(() => {
      for (const c of this.durable.counters.values()) c.rotate();
    }, SLOT_MS);
    this.windowTimer.unref();
  }

  apply(config: FacadeConfig): void {
    if (this.closed) throw new Error('facade is closed');
    const parsed = FacadeConfigSchema.parse(config);
    const before = this.snapshot.config;
    if (this.server && JSON.stringify(before.listen) !== JSON.stringify(parsed.listen)) {
      this.shared.logger.warn({ listen: parsed.listen }, 'listen address changes take effect on restart only');
    }
    if (this.ownLogger && before.logging.level !== parsed.logging.level) this.shared.logger.level = parsed.logging.level;
    this.install(parsed);
  }

  private install(config: FacadeConfig): void {
    const { snapshot, health, used } = buildSnapshot(config, this.durable);
    this.snapshot = snapshot; // the atomic swap: requests already running keep their snapshot
    this.health.sync(health);
    this.durable.instances.retain(used);
  }

  current(): FacadeConfig {
    return this.snapshot.config;
  }

  stats(): RouteStat[] {
    const snap = this.snapshot;
    return snap.config.routes.map((r, i) => {
      const c = snap.routes[i].counters;
      const recent = c.recent();
      const health = upstreamStat('service', snap.routes[i].cluster!);
      return {
        name: r.name,
        service: r.service,
        weight: r.weight,
        requests: { legacy: c.legacy, service: c.service, shadow: c.shadow },
        errors: { legacy: c.legacyErrors, service: c.serviceErrors },
        fallbacks: c.fallbacks,
        shadowCompared: c.shadowCompared,
        shadowMismatches: c.shadowMismatches,
        breaker: snap.routes[i].breaker?.state ?? 'closed',
        serviceShare: share(c.service, c.total),
        recent: { requests: recent.total, serviceShare: share(recent.service, recent.total) },
        instances: { healthy: health.healthy, total: health.total },
        ejections: health.ejections,
      };
    });
  }

  upstreams(): UpstreamStat[] {
    const snap = this.snapshot;
    return [upstreamStat('legacy', snap.legacy), ...snap.services.map((c) => upstreamStat('service', c))];
  }

  ready(): boolean {
    return this.listening && !this.closed && this.snapshot.legacy.hasHealthy();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listening = false;
    if (this.loadTimer) clearInterval(this.loadTimer);
    if (this.windowTimer) clearInterval(this.windowTimer);
    await this.health.close();
    const server = this.server;
    if (server) {
      // Stop accepting; let in-flight requests finish (bounded by the upstream timeouts; callers
      // wanting a deadline race this promise); close idle keep-alive connections and tunnels.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const t of this.shared.tunnels) t.destroy();
      if (this.shared.inFlight > 0) await new Promise<void>((resolve) => (this.shared.onIdle = resolve));
      server.closeAllConnections();
      await closed;
    }
    await Promise.all([this.durable.instances.closeAll(), this.shared.mirrors.comparer.close(), this.shared.mirrors.worker.close()]);
  }
}

const share = (part: number, whole: number): number => (whole === 0 ? 0 : Math.min(1, part / whole));

function upstreamStat(role: UpstreamStat['role'], c: Cluster): UpstreamStat {
  const instances = c.instances.map((i) => ({ url: i.url, healthy: i.healthy, checked: i.checked, ejections: i.ejections, lastFailure: i.lastFailure }));
  return {
    role,
    name: c.name,
    healthy: instances.filter((i) => i.healthy).length,
    total: instances.length,
    ejections: instances.reduce((n, i) => n + i.ejections, 0),
    instances,
  };
}

function refuseConnect(socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  const body = '{"error":{"code":"bad_request_target","message":"CONNECT is not supported: this is not a forward proxy"}}';
  socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
}

export function createFacade(config: FacadeConfig, options: FacadeOptions = {}): Facade {
  return new StranglerFacade(config, options);
}
