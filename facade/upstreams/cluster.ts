/**
 * Upstream instances and clusters. An instance is one upstream URL with its keep-alive undici
 * Pool, its pending count and its health; instances are shared by URL across config snapshots so
 * `apply()` keeps pools (and health) for unchanged URLs. A cluster is legacy or one service: its
 * instances plus the balancing rule over the healthy ones.
 */
import { Pool } from 'undici';
import type { Upstream } from '../config/schema';

/** Keep-alive pool settings for every upstream, the shadow worker's pools included. */
export const UPSTREAM_POOL: Pool.Options = {
  connections: 512,
  pipelining: 1,
  keepAliveTimeout: 4_000,
  connect: { timeout: 5_000 },
};

export class Instance {
  readonly origin: string;
  /** Path prefix of the upstream URL (`http://host/base` → `/base`), '' when none. */
  readonly basePath: string;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly pool: Pool;
  pending = 0;
  healthy = true;
  /** Whether active health checks watch this instance (with checks off it is assumed healthy). */
  checked = false;
  /** Times a health check took this instance out. */
  ejections = 0;
  /** The last failed check's detail (`ECONNREFUSED`, `status 503`), until a check succeeds. */
  lastFailure: string | null = null;

  constructor(readonly url: string) {
    const u = new URL(url);
    this.origin = u.origin;
    this.basePath = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
    this.host = u.hostname.replace(/^\[|\]$/g, '');
    this.tls = u.protocol === 'https:';
    this.port = u.port ? Number(u.port) : this.tls ? 443 : 80;
    this.pool = new Pool(this.origin, UPSTREAM_POOL);
  }
}

export type Balance = 'round-robin' | 'least-pending';

export class Cluster {
  private rr = 0;

  constructor(
    readonly name: string,
    readonly instances: readonly Instance[],
    readonly timeoutMs: number,
    readonly balance: Balance,
  ) {}

  hasHealthy(): boolean {
    const is = this.instances;
    for (let i = 0; i < is.length; i++) if (is[i].healthy) return true;
    return false;
  }

  /** A healthy instance, or null when none is. `exclude` skips an instance that just failed. */
  pick(exclude?: Instance): Instance | null {
    const is = this.instances;
    if (is.length === 1) return is[0].healthy && is[0] !== exclude ? is[0] : null;
    let best: Instance | null = null;
    const start = this.rr++;
    for (let n = 0; n < is.length; n++) {
      const c = is[(start + n) % is.length];
      if (!c.healthy || c === exclude) continue;
      if (this.balance === 'round-robin') return c;
      if (best === null || c.pending < best.pending) best = c;
    }
    return best;
  }

  /** Legacy's last resort: when health checks say nothing is up, try anyway rather than refuse. */
  pickAny(exclude?: Instance): Instance | null {
    const healthy = this.pick(exclude);
    if (healthy) return healthy;
    const is = this.instances;
    for (let n = 0; n < is.length; n++) {
      const c = is[(this.rr++ + n) % is.length];
      if (c !== exclude) return c;
    }
    return null;
  }
}

/** Owns every Instance by URL; builds clusters for a config and retires instances no longer used. */
export class InstanceRegistry {
  private readonly byUrl = new Map<string, Instance>();
  private readonly retiring = new Set<NodeJS.Timeout>();

  /** `retireAfterMs`: how long a pool dropped by a new config stays open for requests on the old one. */
  constructor(private readonly retireAfterMs: number) {}

  cluster(name: string, upstream: Upstream, defaultTimeoutMs: number): Cluster {
    const instances = upstream.urls.map((u) => this.instance(u));
    return new Cluster(name, instances, upstream.timeoutMs ?? defaultTimeoutMs, upstream.balance ?? 'least-pending');
  }

  instance(url: string): Instance {
    const key = normalizeUrl(url);
    let i = this.byUrl.get(key);
    if (!i) {
      i = new Instance(key);
      this.byUrl.set(key, i);
    }
    return i;
  }

  all(): Instance[] {
    return [...this.byUrl.values()];
  }

  /** Retires instances not in `keep`: their pools close (gracefully) after a grace period. */
  retain(keep: ReadonlySet<Instance>): void {
    for (const [url, i] of this.byUrl) {
      if (keep.has(i)) continue;
      this.byUrl.delete(url);
      this.retired.add(i);
      const t = setTimeout(() => {
        this.retiring.delete(t);
        this.retired.delete(i);
        i.pool.close().catch(() => undefined);
      }, this.retireAfterMs);
      t.unref();
      this.retiring.add(t);
    }
  }

  private readonly retired = new Set<Instance>();

  async closeAll(): Promise<void> {
    for (const t of this.retiring) clearTimeout(t);
    this.retiring.clear();
    const all = [...this.byUrl.values(), ...this.retired];
    this.byUrl.clear();
    this.retired.clear();
    await Promise.all(all.map((i) => i.pool.destroy().catch(() => undefined)));
  }
}

function normalizeUrl(url: string): string {
  return new URL(url).href;
}
