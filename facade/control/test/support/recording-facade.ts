/**
 * A small real implementation of the data plane's `Facade` interface for testing the control plane
 * alone: it keeps the applied configs and per-route counters, and its listen() serves real HTTP
 * (answers which route/target a request would go to, counting it).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { FacadeConfig } from '../../../config/schema';
import type { Facade, RouteStat, UpstreamStat } from '../../../index';

export class RecordingFacade implements Facade {
  readonly registry = new Registry();
  readonly applied: FacadeConfig[] = [];
  private config: FacadeConfig;
  private readonly counts = new Map<string, { legacy: number; service: number }>();
  private server?: http.Server;

  constructor(config: FacadeConfig) {
    this.config = config;
  }

  async listen(): Promise<AddressInfo> {
    this.server = http.createServer((req, res) => {
      const route = this.config.routes.find((r) => r.match.prefix && req.url?.startsWith(r.match.prefix));
      const target = route && Math.random() * 100 < route.weight ? 'service' : 'legacy';
      if (route) {
        const c = this.counts.get(route.name) ?? { legacy: 0, service: 0 };
        c[target] += 1;
        this.counts.set(route.name, c);
      }
      res.end(JSON.stringify({ route: route?.name, target }));
    });
    await new Promise<void>((resolve) => this.server?.listen(this.config.listen.port, this.config.listen.host, resolve));
    return this.server.address() as AddressInfo;
  }

  /** When set, the next apply() throws this (a data plane refusing a config), and clears it. */
  refuseNextApply: string | null = null;

  apply(config: FacadeConfig): void {
    if (this.refuseNextApply !== null) {
      const why = this.refuseNextApply;
      this.refuseNextApply = null;
      throw new Error(why);
    }
    this.applied.push(config);
    this.config = config;
  }

  current(): FacadeConfig {
    return this.config;
  }

  stats(): RouteStat[] {
    return this.config.routes.map((r) => {
      const c = this.counts.get(r.name) ?? { legacy: 0, service: 0 };
      const total = c.legacy + c.service;
      return {
        name: r.name,
        service: r.service,
        weight: r.weight,
        requests: { legacy: c.legacy, service: c.service, shadow: 0 },
        errors: { legacy: 0, service: 0 },
        fallbacks: 0,
        shadowCompared: 0,
        shadowMismatches: 0,
        breaker: 'closed',
        serviceShare: total ? c.service / total : 0,
        recent: { requests: total, serviceShare: total ? c.service / total : 0 },
        instances: { healthy: 1, total: 1 },
        ejections: 0,
      };
    });
  }

  /** Every upstream has one instance, taken as healthy (no health checks here). */
  upstreams(): UpstreamStat[] {
    const one = (role: UpstreamStat['role'], name: string, url: string): UpstreamStat => ({
      role,
      name,
      healthy: 1,
      total: 1,
      ejections: 0,
      instances: [{ url, healthy: true, checked: false, ejections: 0, lastFailure: null }],
    });
    return [one('legacy', 'legacy', this.config.legacy.urls[0]), ...Object.entries(this.config.services).map(([n, u]) => one('service', n, u.urls[0]))];
  }

  ready(): boolean {
    return true;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
