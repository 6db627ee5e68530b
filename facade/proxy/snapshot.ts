/**
 * A config compiled into everything a request needs: the routing table plus, per route, its
 * service cluster, breaker, shadow plan, metrics children and counters. Immutable once built;
 * `apply()` swaps the whole snapshot, and a request keeps the one it started with.
 */
import type { FacadeConfig } from '../config/schema';
import { Breaker } from '../breaker/breaker';
import type { HealthCheckOptions } from '../health/checker';
import type { FacadeMetrics, RouteMetrics } from '../metrics/metrics';
import { RoutingTable } from '../routing/table';
import { planShadow, type ShadowPlan } from '../shadow/mirror';
import type { Linger } from '../forwarder/errors';
import { TrustedProxies } from '../forwarder/headers';
import type { Cluster, Instance, InstanceRegistry } from '../upstreams/cluster';
import { RouteCounters } from './stats';

export const UNMATCHED = '_unmatched';

export interface RouteRuntime {
  name: string;
  cluster: Cluster | null;
  breaker: Breaker | null;
  shadow: ShadowPlan | null;
  shadowCluster: Cluster | null;
  metrics: RouteMetrics;
  counters: RouteCounters;
}

export interface Snapshot {
  config: FacadeConfig;
  table: RoutingTable;
  legacy: Cluster;
  /** Every service of the config, in config order. */
  services: Cluster[];
  /** Indexed like `table.routes`. */
  routes: RouteRuntime[];
  unmatched: RouteRuntime;
  metrics: FacadeMetrics;
  trusted: TrustedProxies;
  maxBodyBytes: number;
  retryBufferBytes: number;
  bodyTimeoutMs: number;
  /** How much of a refused body is drained after a 413 (see refuseBody). */
  linger: Linger;
  logSuccesses: boolean;
}

/** After a 413: drain for at most this long, and at most twice the body limit (at least 1 MiB). */
const LINGER_MS = 5_000;

/** State that outlives snapshots: breakers by service and counters by route name. */
export interface Durable {
  instances: InstanceRegistry;
  breakers: Map<string, Breaker>;
  counters: Map<string, RouteCounters>;
  metrics: FacadeMetrics;
}

export function buildSnapshot(config: FacadeConfig, d: Durable): { snapshot: Snapshot; health: Map<Instance, HealthCheckOptions>; used: Set<Instance> } {
  const defaultTimeout = config.limits.upstreamTimeoutMs;
  const health = new Map<Instance, HealthCheckOptions>();
  const used = new Set<Instance>();
  const legacy = d.instances.cluster('legacy', config.legacy, defaultTimeout);
  const track = (c: Cluster, hc: Partial<HealthCheckOptions> | undefined) => {
    for (const i of c.instances) {
      used.add(i);
      if (!health.has(i)) health.set(i, { ...config.healthCheck, ...hc });
    }
  };
  track(legacy, config.legacy.healthCheck);

  const clusters = new Map<string, Cluster>();
  for (const [name, up] of Object.entries(config.services)) {
    const c = d.instances.cluster(name, up, defaultTimeout);
    clusters.set(name, c);
    track(c, up.healthCheck);
    const opts = { ...config.breaker, ...up.breaker };
    const b = d.breakers.get(name);
    if (b) b.options = opts;
    else {
      d.breakers.set(name, new Breaker(name, opts, (s, state) => d.metrics.setBreaker(s, state)));
      d.metrics.setBreaker(name, 'closed');
    }
  }
  for (const name of [...d.breakers.keys()]) if (!clusters.has(name)) d.breakers.delete(name);

  const table = new RoutingTable(config);
  const runtime = (name: string, service: string | null, shadowCfg: FacadeConfig['routes'][number]['shadow']): RouteRuntime => {
    let counters = d.counters.get(name);
    if (!counters) d.counters.set(name, (counters = new RouteCounters()));
    const shadow = shadowCfg && service ? planShadow(shadowCfg, service) : null;
    const metrics = d.metrics.route(name);
    if (shadow) metrics.exportShadowSkips();
    return {
      name,
      cluster: service ? clusters.get(service) ?? null : null,
      breaker: service ? d.breakers.get(service) ?? null : null,
      shadow,
      shadowCluster: shadow ? clusters.get(shadow.service) ?? null : null,
      metrics,
      counters,
    };
  };
  const routes = config.routes.map((r) => runtime(r.name, r.service, r.shadow));
  const names = new Set(config.routes.map((r) => r.name));
  for (const n of [...d.counters.keys()]) if (!names.has(n) && n !== UNMATCHED) d.counters.delete(n);

  const snapshot: Snapshot = {
    config,
    table,
    legacy,
    services: [...clusters.values()],
    routes,
    unmatched: runtime(UNMATCHED, null, undefined),
    metrics: d.metrics,
    trusted: new TrustedProxies(config.trustedProxies),
    maxBodyBytes: config.limits.maxBodyBytes,
    retryBufferBytes: config.limits.retryBufferBytes,
    bodyTimeoutMs: config.limits.upstreamBodyTimeoutMs,
    linger: { ms: LINGER_MS, bytes: Math.max(2 * config.limits.maxBodyBytes, 1024 * 1024) },
    logSuccesses: config.logging.successes,
  };
  return { snapshot, health, used };
}
