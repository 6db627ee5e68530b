/**
 * Owns the running config: reloads it from the file (watcher, SIGHUP, admin), changes route weights
 * (admin API) and writes those back to the file. Every operation goes through one queue, so a reload
 * and a write-back never interleave, and every change reaches the data plane as one `facade.apply()`.
 */
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { FacadeConfig } from '../config/schema';
import type { Facade } from '../index';
import { ConfigFileError, parseConfigText, type ConfigSource } from './config-file';
import { withRouteWeight, writeFileAtomic } from './write-back';

/** Command-line overrides of the bind addresses; they win over the file on start and on every reload. */
export interface AddressOverrides {
  host?: string;
  port?: number;
  adminHost?: string;
  adminPort?: number;
}

export function applyOverrides(config: FacadeConfig, o: AddressOverrides): FacadeConfig {
  return {
    ...config,
    listen: { host: o.host ?? config.listen.host, port: o.port ?? config.listen.port },
    admin: { ...config.admin, host: o.adminHost ?? config.admin.host, port: o.adminPort ?? config.admin.port },
  };
}

export type ReloadTrigger = 'file' | 'signal' | 'admin' | 'write-back';
export interface ReloadResult {
  result: 'applied' | 'unchanged' | 'rejected';
  problems?: string[];
  /** Settings that changed in the file but only take effect on restart. */
  restartNeeded?: string[];
}

export interface WeightChange {
  route: string;
  weight: number;
  previous: number;
  /** False when the file could not be written: the change is live in memory only. */
  persisted: boolean;
  file: string;
  error?: string;
}

export class RouteNotFoundError extends Error {
  constructor(
    readonly route: string,
    readonly routes: string[],
  ) {
    super(`unknown route "${route}" (routes: ${routes.join(', ') || 'none'})`);
    this.name = 'RouteNotFoundError';
  }
}

export class NoPreviousWeightError extends Error {}

function reloadCounter(registry: Registry): Counter<'result'> {
  const name = 'strangler_config_reloads_total';
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<'result'>;
  const counter = new Counter({ name, help: 'Config reloads by result (applied, unchanged, rejected)', labelNames: ['result'], registers: [registry] });
  for (const result of ['applied', 'unchanged', 'rejected']) counter.inc({ result }, 0);
  return counter;
}

export class ConfigController {
  private source: ConfigSource;
  private running: FacadeConfig;
  private queue: Promise<unknown> = Promise.resolve();
  /** Earlier weights per route, most recent last, for `rollback --previous`. */
  private readonly history = new Map<string, number[]>();
  private readonly reloads: Counter<'result'>;

  constructor(
    private readonly facade: Facade,
    initial: ConfigSource,
    private readonly options: { logger: Logger; overrides?: AddressOverrides; followLogLevel?: boolean },
  ) {
    this.source = initial;
    this.running = applyOverrides(initial.config, options.overrides ?? {});
    this.reloads = reloadCounter(facade.registry);
  }

  get file(): string {
    return this.source.file;
  }

  /** The config the data plane is running (file + command-line overrides + in-memory admin changes). */
  current(): FacadeConfig {
    return this.running;
  }

  reload(trigger: ReloadTrigger): Promise<ReloadResult> {
    return this.serial(() => this.reloadNow(trigger));
  }

  setWeight(route: string, weight: number): Promise<WeightChange> {
    return this.serial(() => this.changeWeight(route, () => weight, true));
  }

  /** Back to the weight the route had before its last change. */
  rollbackToPrevious(route: string): Promise<WeightChange> {
    return this.serial(() =>
      this.changeWeight(
        route,
        (current) => {
          const earlier = this.history.get(route) ?? [];
          while (earlier.length > 0) {
            const w = earlier.pop() as number;
            if (w !== current) return w;
          }
          throw new NoPreviousWeightError(`route "${route}" has no earlier weight recorded since the facade started`);
        },
        false,
      ),
    );
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(trigger: ReloadTrigger): Promise<ReloadResult> {
    const log = this.options.logger;
    const file = this.source.file;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const problems = [`${file}: cannot read the config: ${(err as Error).message}`];
      this.reloads.inc({ result: 'rejected' });
      log.error({ event: 'config_reload', trigger, result: 'rejected', problems }, 'config reload rejected; still serving the last good config');
      return { result: 'rejected', problems };
    }
    // Our own write-back, or an editor touching the file without changing it.
    if (text === this.source.text && trigger === 'file') return { result: 'unchanged' };

    let next: ConfigSource;
    try {
      next = parseConfigText(file, text);
    } catch (err) {
      if (!(err instanceof ConfigFileError)) throw err;
      this.reloads.inc({ result: 'rejected' });
      log.error({ event: 'config_reload', trigger, result: 'rejected', problems: err.problems }, `config reload rejected; still serving the last good config: ${err.problems.join('; ')}`);
      return { result: 'rejected', problems: err.problems };
    }

    const wanted = applyOverrides(next.config, this.options.overrides ?? {});
    const restartNeeded: string[] = [];
    for (const key of ['listen', 'admin'] as const) {
      if (!isDeepStrictEqual(wanted[key], this.running[key])) {
        restartNeeded.push(key);
        log.warn({ event: 'config_reload', setting: key, running: this.running[key], file: wanted[key] }, `config: a change of \`${key}\` needs a restart; keeping the current one`);
      }
    }
    const effective: FacadeConfig = { ...wanted, listen: this.running.listen, admin: this.running.admin };
    this.source = next;
    if (isDeepStrictEqual(effective, this.running)) {
      this.reloads.inc({ result: 'unchanged' });
      log.info({ event: 'config_reload', trigger, result: 'unchanged' }, 'config re-read; routing unchanged');
      return { result: 'unchanged', restartNeeded };
    }
    try {
      this.facade.apply(effective);
    } catch (err) {
      const problems = [`${path.basename(file)}: the facade refused the config: ${(err as Error).message}`];
      this.reloads.inc({ result: 'rejected' });
      log.error({ event: 'config_reload', trigger, result: 'rejected', problems }, problems[0]);
      return { result: 'rejected', problems };
    }
    this.recordWeights(this.running, effective);
    if (this.options.followLogLevel && effective.logging.level !== this.running.logging.level) log.level = effective.logging.level;
    const changes = describeChanges(this.running, effective);
    this.running = effective;
    this.reloads.inc({ result: 'applied' });
    log.info({ event: 'config_reload', trigger, result: 'applied', changes }, `config reloaded: ${changes.join('; ') || 'settings changed'}`);
    return { result: 'applied', restartNeeded };
  }

  private async changeWeight(route: string, pick: (current: number) => number, remember: boolean): Promise<WeightChange> {
    const log = this.options.logger;
    if (!this.running.routes.some((r) => r.name === route)) throw new RouteNotFoundError(route, this.running.routes.map((r) => r.name));

    // Someone edited the file and the watcher has not caught up: take their edit in first so the
    // write-back does not undo it.
    let fileProblem: string | undefined;
    const onDisk = await readFile(this.source.file, 'utf8').catch(() => undefined);
    if (onDisk !== undefined && onDisk !== this.source.text) {
      const r = await this.reloadNow('write-back');
      if (r.result === 'rejected') fileProblem = `the config file on disk is invalid, not overwriting it (${(r.problems ?? []).join('; ')})`;
    }
    const found = this.running.routes.find((r) => r.name === route);
    if (!found) throw new RouteNotFoundError(route, this.running.routes.map((r) => r.name));
    const weight = pick(found.weight);
    const previous = found.weight;

    const next: FacadeConfig = { ...this.running, routes: this.running.routes.map((r) => (r.name === route ? { ...r, weight } : r)) };
    this.facade.apply(next);
    if (remember) this.recordWeights(this.running, next);
    this.running = next;

    const change: WeightChange = { route, weight, previous, persisted: false, file: this.source.file };
    try {
      if (fileProblem) throw new Error(fileProblem);
      const text = withRouteWeight(this.source, route, weight);
      await writeFileAtomic(this.source.file, text);
      this.source = parseConfigText(this.source.file, text);
      change.persisted = true;
      log.info({ event: 'route_weight', route, weight, previous, persisted: true }, `route ${route}: weight ${previous} -> ${weight}`);
    } catch (err) {
      change.error = `weight changed in memory only; could not write ${path.basename(this.source.file)}: ${explainWriteError(err)}`;
      log.warn({ event: 'route_weight', route, weight, previous, persisted: false, error: change.error }, `route ${route}: weight ${previous} -> ${weight} (${change.error})`);
    }
    return change;
  }

  private recordWeights(before: FacadeConfig, after: FacadeConfig): void {
    for (const r of after.routes) {
      const old = before.routes.find((o) => o.name === r.name);
      if (!old || old.weight === r.weight) continue;
      const list = this.history.get(r.name) ?? [];
      list.push(old.weight);
      if (list.length > 20) list.shift();
      this.history.set(r.name, list);
    }
  }
}

function explainWriteError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EROFS') return 'read-only file system (a Kubernetes ConfigMap is mounted read-only: change the ConfigMap instead)';
  if (e.code === 'EACCES' || e.code === 'EPERM') return `permission denied (${e.path ?? 'config directory'})`;
  return e.message;
}

function describeChanges(before: FacadeConfig, after: FacadeConfig): string[] {
  const out: string[] = [];
  for (const r of after.routes) {
    const old = before.routes.find((o) => o.name === r.name);
    if (!old) out.push(`route ${r.name} added (weight ${r.weight})`);
    else if (old.weight !== r.weight) out.push(`route ${r.name}: weight ${old.weight} -> ${r.weight}`);
    else if (!isDeepStrictEqual(old, r)) out.push(`route ${r.name} changed`);
  }
  for (const o of before.routes) if (!after.routes.some((r) => r.name === o.name)) out.push(`route ${o.name} removed`);
  return out;
}
