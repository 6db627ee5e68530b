/**
 * Active health checks: `GET <path>` on each instance every `intervalMs`; `unhealthyThreshold`
 * consecutive failures (non-2xx/3xx, transport error or `timeoutMs`) take it out,
 * `healthyThreshold` consecutive successes put it back. Checks use their own dispatcher so they
 * never queue behind user traffic in the instance's pool.
 */
import { Agent } from 'undici';
import type { Logger } from 'pino';
import type { FacadeConfig } from '../config/schema';
import type { Instance } from '../upstreams/cluster';

export type HealthCheckOptions = FacadeConfig['healthCheck'];

interface Probe {
  instance: Instance;
  options: HealthCheckOptions;
  key: string;
  timer: NodeJS.Timeout;
  ok: number;
  failed: number;
  running: boolean;
}

export class HealthChecker {
  private readonly probes = new Map<Instance, Probe>();
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 4 });

  constructor(private readonly logger: Logger) {}

  /** Sets the checks to exactly `wanted`, keeping running probes whose options did not change. */
  sync(wanted: Map<Instance, HealthCheckOptions>): void {
    for (const [instance, probe] of this.probes) {
      const opts = wanted.get(instance);
      if (!opts || !opts.enabled || JSON.stringify(opts) !== probe.key) this.stop(instance);
    }
    for (const [instance, opts] of wanted) {
      if (!opts.enabled) {
        instance.healthy = true;
        instance.checked = false;
        instance.lastFailure = null;
        continue;
      }
      instance.checked = true;
      if (this.probes.has(instance)) continue;
      const probe: Probe = { instance, options: opts, key: JSON.stringify(opts), ok: 0, failed: 0, running: false, timer: undefined as unknown as NodeJS.Timeout };
      probe.timer = setInterval(() => void this.check(probe), opts.intervalMs);
      probe.timer.unref();
      this.probes.set(instance, probe);
      void this.check(probe);
    }
  }

  private stop(instance: Instance): void {
    const p = this.probes.get(instance);
    if (!p) return;
    clearInterval(p.timer);
    this.probes.delete(instance);
  }

  private async check(p: Probe): Promise<void> {
    if (p.running) return;
    p.running = true;
    const { instance, options } = p;
    let healthy = false;
    let detail = '';
    try {
      const res = await this.agent.request({
        origin: instance.origin,
        path: instance.basePath + options.path,
        method: 'GET',
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await res.body.dump();
      healthy = res.statusCode >= 200 && res.statusCode < 400;
      detail = `status ${res.statusCode}`;
    } catch (err) {
      detail = (err as { code?: string }).code ?? (err as Error).message;
    } finally {
      p.running = false;
    }
    if (this.probes.get(instance) !== p) return; // stopped meanwhile
    if (healthy) {
      p.failed = 0;
      p.ok++;
      instance.lastFailure = null;
      if (!instance.healthy && p.ok >= options.healthyThreshold) {
        instance.healthy = true;
        this.logger.info({ upstream: instance.url }, 'upstream instance healthy again');
      }
    } else {
      p.ok = 0;
      p.failed++;
      instance.lastFailure = detail;
      if (instance.healthy && p.failed >= options.unhealthyThreshold) {
        instance.healthy = false;
        instance.ejections++;
        this.logger.warn({ upstream: instance.url, detail }, 'upstream instance failed its health check, taken out');
      }
    }
  }

  async close(): Promise<void> {
    for (const i of [...this.probes.keys()]) this.stop(i);
    await this.agent.destroy().catch(() => undefined);
  }
}
