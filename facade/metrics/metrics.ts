/**
 * The data plane's Prometheus metrics, through prom-client's public API only. Label children are
 * cached per route and side. A prom-client child still validates and hashes its labels on every
 * call, so the one counter every request touches (`strangler_requests_total`) is counted in plain
 * numbers per route and added with `inc(n)` when the registry is read (the metric's documented
 * `collect` hook): exposition is exact, the hot path is an array increment (measured: `answered()`
 * was 3.2 % of the facade's busy CPU). A histogram has no public way to add counts in bulk, so
 * durations are `observe()`d as they come (about 0.3 µs a call here, under 1 % of a request).
 */
import { Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import type { BreakerState } from '../breaker/breaker';
import { SHADOW_SKIPS, type ShadowSkip } from '../shadow/mirror';

export type MetricSide = 'legacy' | 'service';
/** Why a request was answered 400 before routing: CONNECT, a target not starting with `/` (absolute-form, `*`), a path normalization refuses. */
export type RefusedReason = 'connect' | 'not_origin_form' | 'bad_path';
/** The `route` label of requests refused before routing (never a route name: names cannot start with `_`). */
export const REFUSED_ROUTE = '_refused';
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** What the requests counter's collect hook flushes: every RouteMetrics counting into it. */
const requestSources = new WeakMap<object, Set<RouteMetrics>>();
export class FacadeMetrics {
  readonly requests: Counter<'route' | 'side' | 'status_class'>;
  readonly duration: Histogram<'route' | 'side'>;
  readonly upstreamErrors: Counter<'route' | 'side' | 'code'>;
  readonly fallbacks: Counter<'route'>;
  readonly breakerState: Gauge<'service'>;
  readonly shadowMismatches: Counter<'route'>;
  readonly shadowRequests: Counter<'route'>;
  readonly shadowSkipped: Counter<'route' | 'reason'>;
  readonly refusedRequests: Counter<'reason'>;
  private readonly perRoute = new Map<string, RouteMetrics>();

  constructor(readonly registry: Registry) {
    this.requests = metric(registry, 'strangler_requests_total', () => {
      const sources = new Set<RouteMetrics>();
      const counter = new Counter({
        name: 'strangler_requests_total', help: 'Requests answered by the facade, by route, side and status class',
        labelNames: ['route', 'side', 'status_class'], registers: [registry],
        collect() {
          for (const s of sources) s.flush();
        },
      });
      requestSources.set(counter, sources);
      return counter;
    });
    this.duration = metric(registry, 'strangler_request_duration_seconds', () => new Histogram({
      name: 'strangler_request_duration_seconds', help: 'Time from request to the end of the response, by route and side',
      labelNames: ['route', 'side'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }));
    this.upstreamErrors = metric(registry, 'strangler_upstream_errors_total', () => new Counter({
      name: 'strangler_upstream_errors_total', help: 'Upstream failures (transport errors, timeouts, 5xx) by route, side and code',
      labelNames: ['route', 'side', 'code'], registers: [registry],
    }));
    this.fallbacks = metric(registry, 'strangler_fallbacks_total', () => new Counter({
      name: 'strangler_fallbacks_total', help: 'Requests retried on legacy after the service failed', labelNames: ['route'], registers: [registry],
    }));
    this.breakerState = metric(registry, 'strangler_breaker_state', () => new Gauge({
      name: 'strangler_breaker_state', help: 'Circuit breaker per service: 0 closed, 1 half-open, 2 open', labelNames: ['service'], registers: [registry],
    }));
    this.shadowMismatches = metric(registry, 'strangler_shadow_mismatches_total', () => new Counter({
      name: 'strangler_shadow_mismatches_total', help: 'Shadowed requests whose service response differed from legacy', labelNames: ['route'], registers: [registry],
    }));
    this.shadowRequests = metric(registry, 'strangler_shadow_requests_total', () => new Counter({
      name: 'strangler_shadow_requests_total', help: 'Requests mirrored to a shadow service', labelNames: ['route'], registers: [registry],
    }));
    this.shadowSkipped = metric(registry, 'strangler_shadow_skipped_total', () => new Counter({
      name: 'strangler_shadow_skipped_total',
      help: 'Mirrors not sent, or not compared, by route and reason (busy, in_flight_limit, no_healthy_instance, body_too_large, legacy_failed, compare_queue_full)',
      labelNames: ['route', 'reason'], registers: [registry],
    }));
    this.refusedRequests = metric(registry, 'strangler_refused_requests_total', () => new Counter({
      name: 'strangler_refused_requests_total', help: 'Requests answered 400 before routing, by reason (connect, not_origin_form, bad_path)',
      labelNames: ['reason'], registers: [registry],
    }));
  }

  /** A request the facade answered 400 itself before routing: counted under route `_refused`, side `facade`, and by reason. */
  refused(reason: RefusedReason): void {
    this.requests.labels(REFUSED_ROUTE, 'facade', '4xx').inc();
    this.refusedRequests.labels(reason).inc();
  }

  route(name: string): RouteMetrics {
    let m = this.perRoute.get(name);
    if (!m) {
      m = new RouteMetrics(this, name);
      this.perRoute.set(name, m);
    }
    return m;
  }

  setBreaker(service: string, state: BreakerState): void {
    this.breakerState.labels(service).set(state === 'closed' ? 0 : state === 'half-open' ? 1 : 2);
  }
}

export class RouteMetrics {
  private readonly counters: Record<MetricSide, ReturnType<FacadeMetrics['requests']['labels']>[]>;
  /** Requests answered since the last flush: legacy's 5 status classes, then the service's. */
  private readonly pending: number[] | null;
  private readonly histograms: Record<MetricSide, ReturnType<FacadeMetrics['duration']['labels']>>;
  readonly fallbacks: ReturnType<FacadeMetrics['fallbacks']['labels']>;
  readonly shadowMismatches: ReturnType<FacadeMetrics['shadowMismatches']['labels']>;
  readonly shadowRequests: ReturnType<FacadeMetrics['shadowRequests']['labels']>;
  private readonly skipped: Record<ShadowSkip, ReturnType<FacadeMetrics['shadowSkipped']['labels']>>;

  constructor(private readonly m: FacadeMetrics, readonly route: string) {
    const row = (side: MetricSide) => STATUS_CLASSES.map((c) => m.requests.labels(route, side, c));
    this.counters = { legacy: row('legacy'), service: row('service') };
    const sources = requestSources.get(m.requests);
    // A counter this module did not create has no flush hook: count straight into it.
    this.pending = sources ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] : null;
    sources?.add(this);
    this.histograms = { legacy: m.duration.labels(route, 'legacy'), service: m.duration.labels(route, 'service') };
    this.fallbacks = m.fallbacks.labels(route);
    this.shadowMismatches = m.shadowMismatches.labels(route);
    this.shadowRequests = m.shadowRequests.labels(route);
    this.skipped = Object.fromEntries(SHADOW_SKIPS.map((r) => [r, m.shadowSkipped.labels(route, r)])) as RouteMetrics['skipped'];
  }

  answered(side: MetricSide, status: number, seconds: number): void {
    const cls = ((status / 100) | 0) - 1;
    if (cls >= 0 && cls < 5) {
      if (this.pending !== null) this.pending[side === 'legacy' ? cls : 5 + cls]++;
      else this.counters[side][cls].inc();
    }
    this.histograms[side].observe(seconds);
  }

  shadowSkipped(reason: ShadowSkip): void {
    this.skipped[reason].inc();
  }

  /** For a route with shadowing: every skip reason exported from the start (at 0), so rates and alerts have a series. */
  exportShadowSkips(): void {
    for (const child of Object.values(this.skipped)) child.inc(0);
  }

  /** Moves the requests counted since the last call into prom-client. */
  flush(): void {
    const p = this.pending;
    if (p === null) return;
    for (let i = 0; i < 10; i++) {
      if (p[i] === 0) continue;
      this.counters[i < 5 ? 'legacy' : 'service'][i % 5].inc(p[i]);
      p[i] = 0;
    }
  }

  upstreamError(side: MetricSide | 'shadow', code: string): void {
    this.m.upstreamErrors.labels(this.route, side, code).inc();
  }
}

/** Reuses a metric already in the registry (several facades may share one). */
function metric<T extends Metric>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}
