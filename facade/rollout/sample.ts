/**
 * What a rollout check reads: the counters the facade keeps anyway (`Facade.stats()`, the numbers
 * behind `GET /routes`) and the request-duration histogram in its Prometheus registry, taken as
 * cumulative samples; a check judges the difference of two. Nothing here runs per request.
 */
import type { Histogram } from 'prom-client';
import type { Facade } from '../index';

const DURATION = 'strangler_request_duration_seconds';

/** Cumulative bucket counts of one route side: `counts[i]` requests took at most `bounds[i]` seconds (the last bound is +Inf). */
export interface Buckets {
  bounds: number[];
  counts: number[];
}

export interface Sample {
  service: number;
  serviceErrors: number;
  shadowCompared: number;
  shadowMismatches: number;
  latency: { legacy: Buckets; service: Buckets } | null;
  /** The service's circuit breaker and healthy instances when the sample was taken. */
  breaker: 'closed' | 'open' | 'half-open';
  healthy: number;
}

/** A reading that cannot be used (a metric error, in Flagger's and Argo Rollouts' terms). */
export class MetricReadError extends Error {
  override name = 'MetricReadError';
}

export async function takeSample(facade: Facade, route: string, withLatency: boolean): Promise<Sample> {
  const stat = facade.stats().find((s) => s.name === route);
  if (!stat) throw new MetricReadError(`no counters for route "${route}" (is it still in the running config?)`);
  return {
    service: stat.requests.service,
    serviceErrors: stat.errors.service,
    shadowCompared: stat.shadowCompared,
    shadowMismatches: stat.shadowMismatches,
    latency: withLatency ? await latencyBuckets(facade, route) : null,
    breaker: stat.breaker,
    healthy: stat.instances.healthy,
  };
}

async function latencyBuckets(facade: Facade, route: string): Promise<{ legacy: Buckets; service: Buckets }> {
  const metric = facade.registry.getSingleMetric(DURATION) as Histogram<'route' | 'side'> | undefined;
  if (!metric) throw new MetricReadError(`the registry has no ${DURATION} histogram`);
  const { values } = await metric.get();
  const side = (s: 'legacy' | 'service'): Buckets => {
    const rows = values
      .filter((v) => v.metricName === `${DURATION}_bucket` && v.labels.route === route && v.labels.side === s)
      .map((v) => {
        const le = (v.labels as Record<string, string | number>).le;
        return { le: le === '+Inf' ? Infinity : Number(le), count: v.value };
      })
      .sort((a, b) => a.le - b.le);
    return { bounds: rows.map((r) => r.le), counts: rows.map((r) => r.count) };
  };
  return { legacy: side('legacy'), service: side('service') };
}

/** What happened between two samples of one route. */
export interface Window {
  service: number;
  serviceErrors: number;
  shadowCompared: number;
  shadowMismatches: number;
  latency: { legacy: Buckets; service: Buckets } | null;
  /** At the end of the window. */
  breaker: Sample['breaker'];
  healthy: number;
}

export function difference(before: Sample, after: Sample): Window {
  const d = (a: number, b: number, what: string): number => {
    // Counters only grow while a route exists; a drop means they were recreated (route removed and added back).
    if (a < b) throw new MetricReadError(`the ${what} counter went down (${b} -> ${a}): the route's counters were reset`);
    return a - b;
  };
  const buckets = (b: Buckets, a: Buckets): Buckets => {
    if (b.counts.length === 0) return a;
    if (a.bounds.length !== b.bounds.length) throw new MetricReadError('the latency histogram changed its buckets');
    return { bounds: a.bounds, counts: a.counts.map((c, i) => d(c, b.counts[i], 'latency histogram')) };
  };
  return {
    service: d(after.service, before.service, 'service requests'),
    serviceErrors: d(after.serviceErrors, before.serviceErrors, 'service errors'),
    shadowCompared: d(after.shadowCompared, before.shadowCompared, 'shadow comparisons'),
    shadowMismatches: d(after.shadowMismatches, before.shadowMismatches, 'shadow mismatches'),
    latency:
      after.latency && before.latency
        ? { legacy: buckets(before.latency.legacy, after.latency.legacy), service: buckets(before.latency.service, after.latency.service) }
        : null,
    breaker: after.breaker,
    healthy: after.healthy,
  };
}

/**
 * The q-quantile (0..1) of a histogram window in seconds, interpolated linearly inside its bucket,
 * as Prometheus's `histogram_quantile` does (so the exported queries judge the same number); null
 * when the window holds no request. A quantile in the +Inf bucket is the highest finite bound.
 */
export function quantile(q: number, b: Buckets): number | null {
  const total = b.counts.at(-1) ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  for (let i = 0; i < b.counts.length; i++) {
    if (b.counts[i] < rank) continue;
    const upper = b.bounds[i];
    if (upper === Infinity) return b.bounds[i - 1] ?? null;
    const lower = i === 0 ? 0 : b.bounds[i - 1];
    const below = i === 0 ? 0 : b.counts[i - 1];
    const inBucket = b.counts[i] - below;
    return inBucket === 0 ? upper : lower + (upper - lower) * ((rank - below) / inBucket);
  }
  return b.bounds.at(-2) ?? null;
}
