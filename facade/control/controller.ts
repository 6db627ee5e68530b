/**
 * Owns the running config: reloads it from the file (watcher, SIGHUP, admin), changes route weights
 * (admin API) and writes those back to the file. Every operation goes through one queue, so a reload
 * and a write-back never interleave, and every change reaches the data plane as one `facade.apply()`.
 */
import { readFile, stat } from 'node:fs/promises';
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

/** A weight change refused before anything changed: the service has no healthy instance (409), or the data plane refused the config. */
export class ChangeRefusedError extends Error {
  constructor(
    message: string,
    readonly reason: 'no_healthy_instance' | 'apply_failed',
  ) {
    super(message);
    this.name = 'ChangeRefusedError';
  }
}

/** The config file as last read, against the running config. */
export interface FileState {
  file: string;
  /** False while the file on disk is invalid (the last good one keeps serving). */
  valid: boolean;
  problems: string[];
  /** Per route, the weight the file says (absent: the route is not in the file). */
  weights: Map<string, number>;
}

/** What identifies one version of the file on disk, to tell a `touch` or rewrite from an event on another file. */
type Stamp = string;

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
  /** Problems of the file on disk when its last read was rejected; null while it is valid. */
  private fileProblems: string[] | null = null;
  private stamp: Stamp | null = null;

  constructor(
    private readonly facade: Facade,
    initial: ConfigSource,
    private readonly options: { logger: Logger; overrides?: AddressOverrides; followLogLevel?: boolean },
  ) {
    this.source = initial;
    this.running = applyOverrides(initial.config, options.overrides ?? {});
    this.reloads = reloadCounter(facade.registry);
    // The version of the file on disk that was loaded, before any event can be told from it.
    void this.serial(async () => {
      this.stamp ??= await stampOf(initial.file).catch(() => null);
    });
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

  /**
   * Reads the file again only if it changed on disk since it was last read (a stat, nothing more
   * when it did not), so a caller about to act on the running config (the rollout loop) sees an
   * edit the watcher has not delivered yet, without re-reading or re-rejecting an unchanged file.
   */
  refresh(): Promise<void> {
    return this.serial(async () => {
      const now = await stampOf(this.source.file).catch(() => null);
      if (now === null || now === this.stamp) return;
      await this.reloadNow('file');
    });
  }

  /**
   * Sets a route's weight. Raising the weight of a route whose service has no healthy instance is
   * refused (ChangeRefusedError) unless `force`: the traffic would only fall back to legacy.
   */
  setWeight(route: string, weight: number, options: { force?: boolean } = {}): Promise<WeightChange> {
    return this.serial(() => this.changeWeight(route, () => ({ weight }), true, options.force === true));
  }

  /** Back to the weight the route had before its last change (the history moves only once the change is applied). */
  rollbackToPrevious(route: string): Promise<WeightChange> {
    return this.serial(() =>
      this.changeWeight(
        route,
        (current) => {
          const earlier = this.history.get(route) ?? [];
          for (let i = earlier.length - 1; i >= 0; i--) {
            if (earlier[i] !== current) return { weight: earlier[i], applied: () => earlier.splice(i) };
          }
          throw new NoPreviousWeightError(`route "${route}" has no earlier weight recorded since the facade started`);
        },
        false,
        true, // back to a weight the route had: never refused
      ),
    );
  }

  /** The file as last read, for showing which running weights are in memory only. */
  fileState(): FileState {
    const fileConfig = applyOverrides(this.source.config, this.options.overrides ?? {});
    return {
      file: this.source.file,
      valid: this.fileProblems === null,
      problems: this.fileProblems ?? [],
      weights: new Map(fileConfig.routes.map((r) => [r.name, r.weight])),
    };
  }

  /** Whether the running config differs from the file's (an admin change that could not be written). */
  private diverged(): boolean {
    const fileConfig = applyOverrides(this.source.config, this.options.overrides ?? {});
    return !isDeepStrictEqual({ ...fileConfig, listen: this.running.listen, admin: this.running.admin }, this.running);
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
    let stamp: Stamp;
    try {
      [text, stamp] = await Promise.all([readFile(file, 'utf8'), stampOf(file)]);
    } catch (err) {
      const problems = [`${file}: cannot read the config: ${(err as Error).message}`];
      return this.rejected(trigger, problems, 'config reload rejected; still serving the last good config');
    }
    const touched = stamp !== this.stamp;
    this.stamp = stamp;
    // Our own write-back or an event on another file: nothing to do. But a valid file seen again
    // (after being invalid, or touched/rewritten) while the running config differs from it (an
    // in-memory-only change) is read and wins: the file is what a restart would load.
    if (text === this.source.text && trigger === 'file' && this.fileProblems === null && !(touched && this.diverged())) return { result: 'unchanged' };

    let next: ConfigSource;
    try {
      next = parseConfigText(file, text);
    } catch (err) {
      if (!(err instanceof ConfigFileError)) throw err;
      this.fileProblems = err.problems;
      return this.rejected(trigger, err.problems, `config reload rejected; still serving the last good config: ${err.problems.join('; ')}`);
    }
    this.fileProblems = null;

    const wanted = applyOverrides(next.config, this.options.overrides ?? {});
    const restartNeeded: string[] = [];
    for (const key of ['listen', 'admin'] as const) {
      if (!isDeepStrictEqual(wanted[key], this.running[key])) {
        restartNeeded.push(key);
        log.warn({ event: 'config_reload', setting: key, running: this.running[key], file: wanted[key] }, `config: a change of \`${key}\` needs a restart; keeping the current one`);
      }
    }
    const effective: FacadeConfig = { ...wanted, listen: this.running.listen, admin: this.running.admin };
    const replaced = this.diverged(); // in-memory-only changes the file is about to replace
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
      return this.rejected(trigger, problems, problems[0]);
    }
    this.recordWeights(this.running, effective);
    if (this.options.followLogLevel && effective.logging.level !== this.running.logging.level) log.level = effective.logging.level;
    const changes = describeChanges(this.running, effective);
    this.running = effective;
    this.reloads.inc({ result: 'applied' });
    const what = `config reloaded: ${changes.join('; ') || 'settings changed'}`;
    if (replaced) log.warn({ event: 'config_reload', trigger, result: 'applied', changes, replacedInMemory: true }, `${what} (the file replaces changes that were in memory only)`);
    else log.info({ event: 'config_reload', trigger, result: 'applied', changes }, what);
    return { result: 'applied', restartNeeded };
  }

  private rejected(trigger: ReloadTrigger, problems: string[], message: string): ReloadResult {
    this.reloads.inc({ result: 'rejected' });
    this.options.logger.error({ event: 'config_reload', trigger, result: 'rejected', problems }, message);
    return { result: 'rejected', problems };
  }

  private async changeWeight(
    route: string,
    pick: (current: number) => { weight: number; applied?: () => void },
    remember: boolean,
    force: boolean,
  ): Promise<WeightChange> {
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
    const previous = found.weight;
    const { weight, applied } = pick(previous);
    if (!force && weight > previous) this.checkServiceHealthy(found.name, found.service);

    const next: FacadeConfig = { ...this.running, routes: this.running.routes.map((r) => (r.name === route ? { ...r, weight } : r)) };
    try {
      this.facade.apply(next);
    } catch (err) {
      log.error({ event: 'route_weight', route, weight, previous, err }, `route ${route}: the facade refused weight ${weight}`);
      throw new ChangeRefusedError(`route "${route}": the facade refused weight ${weight} (${(err as Error).message}); nothing changed, the weight stays ${previous}`, 'apply_failed');
    }
    applied?.();
    if (remember) this.recordWeights(this.running, next);
    this.running = next;

    const change: WeightChange = { route, weight, previous, persisted: false, file: this.source.file };
    try {
      if (fileProblem) throw new Error(fileProblem);
      const text = withRouteWeight(this.source, route, weight);
      await writeFileAtomic(this.source.file, text);
      this.source = parseConfigText(this.source.file, text);
      this.stamp = await stampOf(this.source.file).catch(() => null);
      change.persisted = true;
      log.info({ event: 'route_weight', route, weight, previous, persisted: true }, `route ${route}: weight ${previous} -> ${weight}`);
    } catch (err) {
      change.error = `weight changed in memory only; could not write ${path.basename(this.source.file)}: ${explainWriteError(err)}`;
      log.warn({ event: 'route_weight', route, weight, previous, persisted: false, error: change.error }, `route ${route}: weight ${previous} -> ${weight} (${change.error})`);
    }
    return change;
  }

  /** Moving traffic to a service with no healthy instance only sends it back to legacy: say so instead. */
  private checkServiceHealthy(route: string, service: string): void {
    const up = this.facade.upstreams().find((u) => u.role === 'service' && u.name === service);
    if (!up || up.healthy > 0) return;
    const why = up.instances.map((i) => `${i.url} ${i.lastFailure ?? 'failing'}`).join(', ');
    throw new ChangeRefusedError(
      `refusing to raise the weight of route "${route}": service "${service}" has no healthy instance (0 of ${up.total}: ${why}; ${up.ejections} ejection${up.ejections === 1 ? '' : 's'} by health checks), so its requests would all fall back to legacy. Use --force to set it anyway.`,
      'no_healthy_instance',
    );
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

async function stampOf(file: string): Promise<Stamp> {
  const s = await stat(file);
  return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
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
