/**
 * The rollout loop: on a timer, the replica that drives rollouts judges each progressing route's
 * gates over the requests since its last check (differences of counters the facade keeps anyway,
 * so the proxy path pays nothing) and decides: take the next step, hold, pause, or abort and roll
 * the weight back to 0. Weights change through the ConfigController, so every step is written to
 * routes.yaml like `strangler route set`. Every decision is an event: in the state file, the
 * log, `/metrics`.
 *
 * Replicas on one config file share the state file; one of them drives (a lease in the state
 * file, renewed while it lives, taken over when it lapses). A decision is committed only if the
 * state is still the one it was judged on, under the state file's lock, so two replicas can never
 * both take a step.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import type { RolloutPlan } from '../config/schema';
import type { ConfigController } from '../control/controller';
import { ChangeRefusedError, RouteNotFoundError } from '../control/controller';
import type { Facade } from '../index';
import { judge, type Check, type GateResult } from './gates';
import { difference, MetricReadError, takeSample, type Sample } from './sample';
import { EVENTS_KEPT, type Decision, type RolloutEvent, type RolloutState, type RolloutStatus } from './state';
import { RolloutStore, type Persistence, type StateFile } from './store';
import { callHooks } from './webhooks';

export type RolloutCommand = 'start' | 'pause' | 'resume' | 'abort';

/** A command that cannot be carried out: unknown route (404), no plan or a wrong status (409). */
export class RolloutError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409,
    readonly routes?: string[],
  ) {
    super(message);
    this.name = 'RolloutError';
  }
}

export interface RolloutView {
  route: string;
  service: string;
  plan: RolloutPlan;
  status: RolloutStatus | 'idle';
  /** 1-based step (0: not started or before the first step), of `steps`. */
  step: number;
  steps: number;
  /** The weight the rollout set; `runningWeight` is what this replica serves. */
  weight: number;
  runningWeight: number;
  failedChecks: number;
  metricErrors: number;
  startedAt: string | null;
  /** When the current step's gates are judged next (progressing only). */
  nextCheckAt: string | null;
  lastCheck: RolloutState['lastCheck'];
  lastDecision: RolloutState['lastDecision'];
  events: RolloutEvent[];
  state: Persistence;
  /** The replica driving rollouts, and whether it is this one. */
  driver: { id: string; self: boolean; until: string } | null;
}

export interface RolloutOptions {
  stateFile: string;
  /** This replica's name in the state file and events (default host:pid:random). */
  id?: string;
  /** How long a driver's lease lasts without renewal (default 3 s). */
  leaseMs?: number;
}

interface Window {
  since: string;
  step: number;
  baseline: Sample | null;
  from: number;
  nextCheckAt: number;
}

const STATUSES: Array<RolloutStatus | 'idle'> = ['idle', 'progressing', 'paused', 'aborted', 'succeeded'];
const isoNow = (): string => new Date().toISOString();

export class RolloutManager {
  readonly id: string;
  private readonly store: RolloutStore;
  private readonly leaseMs: number;
  private readonly windows = new Map<string, Window>();
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private driving = false;
  private last: StateFile | null = null;
  private readonly gauges: ReturnType<typeof makeMetrics>;

  constructor(
    private readonly facade: Facade,
    private readonly controller: ConfigController,
    private readonly logger: Logger,
    options: RolloutOptions,
  ) {
    this.id = options.id ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = options.leaseMs ?? 3000;
    this.store = new RolloutStore(options.stateFile, logger);
    this.gauges = makeMetrics(facade, () => this.last, () => this.controller.current().routes, () => this.driving);
  }

  get stateFile(): string {
    return this.store.file;
  }

  /** Starts the loop (the state file is read on the first tick, so a restart resumes where it was). */
  start(): void {
    const loop = (): void => {
      if (this.closed) return;
      void this.serial(() => this.tick())
        .catch((err: unknown) => this.logger.error({ event: 'rollout', err }, 'rollout loop failed; trying again'))
        .finally(() => {
          if (this.closed) return;
          this.timer = setTimeout(loop, this.tickMs());
          this.timer.unref();
        });
    };
    loop();
  }

  /** Stops the loop and hands the lease back, so another replica (or this one restarted) drives at once. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.serial(async () => {
      if (!this.driving) return;
      await this.store.commit((s) => {
        if (s.leader?.id !== this.id) return false;
        s.leader = null;
        return true;
      }).catch(() => undefined);
      this.driving = false;
    });
  }

  /** A tick a quarter of the shortest interval (50 ms to 1 s), so a check is never late by more than that. */
  private tickMs(): number {
    const intervals = this.controller.current().routes.flatMap((r) => (r.rollout ? [r.rollout.intervalMs] : []));
    return intervals.length === 0 ? 1000 : Math.min(1000, Math.max(50, Math.min(...intervals) / 4));
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async views(): Promise<RolloutView[]> {
    const s = await this.read();
    return this.controller.current().routes.filter((r) => r.rollout || s.rollouts[r.name]).map((r) => this.viewOf(r.name, s));
  }

  async view(route: string): Promise<RolloutView> {
    this.routeOf(route, false);
    return this.viewOf(route, await this.read());
  }

  command(route: string, cmd: RolloutCommand): Promise<RolloutView> {
    return this.serial(async () => {
      const r = this.routeOf(route, cmd === 'start');
      const running = r.weight;
      const at = isoNow();
      let refusal: string | null = null;
      const s = await this.store.commit((st) => {
        const cur = st.rollouts[route];
        const event = (decision: Decision, reason: string, x: RolloutState): void => this.record(x, { at, decision, step: x.step + 1, weight: x.weight, reason, by: this.id });
        if (cmd === 'start') {
          if (cur && (cur.status === 'progressing' || cur.status === 'paused')) {
            refusal = `route "${route}" already has a rollout ${cur.status} (step ${cur.step + 1} of ${r.rollout!.steps.length}, ${cur.weight} %); resume or abort it first`;
            return false;
          }
          const x: RolloutState = { route, status: 'progressing', step: -1, weight: running, applied: true, startedAt: at, since: at, failedChecks: 0, metricErrors: 0, lastCheck: null, lastDecision: null, events: [] };
          event('started', `rollout started by the admin API: steps ${r.rollout!.steps.join(', ')} %, one every ${r.rollout!.intervalMs} ms`, x);
          st.rollouts[route] = x;
          return true;
        }
        if (!cur) {
          refusal = `route "${route}" has no rollout to ${cmd}; start one with \`strangler rollout start ${route}\``;
          return false;
        }
        if (cmd === 'pause') {
          if (cur.status !== 'progressing') return (refusal = `cannot pause: the rollout of "${route}" is ${cur.status}`), false;
          cur.status = 'paused';
          event('paused', 'paused by the admin API', cur);
        } else if (cmd === 'resume') {
          if (cur.status !== 'paused') return (refusal = `cannot resume: the rollout of "${route}" is ${cur.status}${cur.status === 'progressing' ? '' : '; start a new one instead'}`), false;
          const plan = r.rollout;
          if (!plan) return (refusal = `cannot resume: route "${route}" has no rollout plan in the config any more`), false;
          // Continue from the weight the route has now (it may have been changed by hand while paused).
          cur.weight = running;
          cur.step = plan.steps.reduce((found, w, i) => (w <= running ? i : found), -1);
          cur.status = 'progressing';
          cur.since = at;
          cur.metricErrors = 0;
          cur.applied = true;
          event('resumed', `resumed by the admin API at ${running} %`, cur);
        } else {
          if (cur.status !== 'progressing' && cur.status !== 'paused') return (refusal = `cannot abort: the rollout of "${route}" is ${cur.status}`), false;
          cur.status = 'aborted';
          cur.weight = 0;
          cur.applied = false;
          event('aborted', 'aborted by the admin API: weight back to 0', cur);
        }
        return true;
      });
      if (refusal !== null) throw new RolloutError(refusal, 409);
      this.after(s, route);
      // Apply what the command decided here and now (a start takes its first step if this replica may drive).
      if (cmd === 'abort') await this.applyWeight(route);
      if (cmd === 'start' || cmd === 'resume') await this.tick();
      return this.viewOf(route, await this.read());
    });
  }

  private routeOf(route: string, needPlan: boolean) {
    const routes = this.controller.current().routes;
    const r = routes.find((x) => x.name === route);
    if (!r) throw new RolloutError(`unknown route "${route}" (routes: ${routes.map((x) => x.name).join(', ') || 'none'})`, 404, routes.map((x) => x.name));
    if (needPlan && !r.rollout) throw new RolloutError(`route "${route}" has no rollout plan: add a \`rollout:\` block (steps, intervalMs, gates) to it in ${this.controller.file}`, 409);
    return r;
  }

  private async read(): Promise<StateFile> {
    const s = await this.store.read();
    this.last = s;
    return s;
  }

  /** One pass of the loop: take or keep the lease if something needs driving, then drive. */
  private async tick(): Promise<void> {
    if (this.closed) return;
    const planned = this.controller.current().routes.some((r) => r.rollout);
    let s = await this.read();
    const needed = Object.values(s.rollouts).filter((r) => r.status === 'progressing' || !r.applied);
    if (!planned && needed.length === 0) return;
    const now = Date.now();
    if (needed.length === 0) {
      if (this.driving) await this.handBack();
      return;
    }
    const mine = s.leader?.id === this.id && s.leader.until > now;
    if (!mine && s.leader && s.leader.until > now) {
      // Another replica drives; forget any window of ours.
      if (this.driving) this.logger.info({ event: 'rollout_driver', driver: s.leader.id }, `rollouts: replica ${s.leader.id} drives them now`);
      this.driving = false;
      this.windows.clear();
      return;
    }
    if (!mine || s.leader!.until - now < (this.leaseMs * 2) / 3) {
      const previous = s.leader;
      s = await this.store.commit((st) => {
        const t = Date.now();
        if (st.leader && st.leader.id !== this.id && st.leader.until > t) return false;
        st.leader = { id: this.id, until: t + this.leaseMs };
        return true;
      });
      this.last = s;
      if (s.leader?.id !== this.id) return;
      if (!this.driving) {
        const from = previous && previous.id !== this.id ? ` (taking over from ${previous.id}, whose lease lapsed)` : '';
        this.logger.info({ event: 'rollout_driver', driver: this.id, state: this.store.persistence }, `rollouts: this replica drives them${from}`);
      }
    }
    this.driving = true;
    await this.controller.refresh();
    for (const r of Object.values(s.rollouts)) {
      if (r.status === 'progressing' || !r.applied) await this.drive(r.route, s);
    }
  }

  private async handBack(): Promise<void> {
    await this.store.commit((st) => {
      if (st.leader?.id !== this.id) return false;
      st.leader = null;
      return true;
    });
    this.driving = false;
    this.windows.clear();
  }

  private async drive(route: string, s: StateFile): Promise<void> {
    const st = s.rollouts[route];
    const cfg = this.controller.current().routes.find((r) => r.name === route);
    if (!st.applied) return this.applyWeight(route);
    if (!cfg) return this.pause(route, st, `route "${route}" is no longer in the config`);
    const plan = cfg.rollout;
    if (!plan) return this.pause(route, st, 'the route has no rollout plan in the config any more');
    if (cfg.weight !== st.weight)
      return this.pause(route, st, `the route's weight was changed outside the rollout (it is ${cfg.weight} %, the rollout set ${st.weight} %); resume to continue from ${cfg.weight} %, or abort`);

    let w = this.windows.get(route);
    if (!w || w.since !== st.since || w.step !== st.step) w = await this.openWindow(route, st, plan);
    const now = Date.now();
    if (now < w.nextCheckAt) return;

    let check: Check;
    try {
      if (st.step === -1) check = { verdict: 'pass', requests: 0, gates: [], reason: 'the rollout starts' };
      else {
        if (!w.baseline) throw new MetricReadError(`could not read route "${route}"'s counters at the start of the step`);
        const after = await takeSample(this.facade, route, plan.gates.latency !== undefined);
        check = judge(plan, st.weight, difference(w.baseline, after), (now - w.from) / 1000);
      }
      if (check.verdict === 'pass' || (check.verdict === 'inconclusive' && plan.inconclusive === 'proceed')) {
        const next = plan.steps[st.step + 1] ?? 100;
        const hooks = await callHooks(plan, { route, service: cfg.service, phase: next === 100 ? 'promotion' : 'step', weight: st.weight, nextWeight: next, step: st.step + 2, steps: plan.steps.length });
        check.gates.push(...hooks);
        const refused = hooks.filter((h) => !h.ok);
        if (refused.length) check = { ...check, verdict: 'fail', reason: refused.map((h) => `webhook ${h.gate.slice('webhook:'.length)}: ${h.detail}`).join('; ') };
      }
    } catch (err) {
      if (!(err instanceof MetricReadError)) throw err;
      return this.decide(route, w, plan, { verdict: 'error', requests: 0, gates: [], reason: err.message });
    }
    return this.decide(route, w, plan, check);
  }

  /** The requests a check judges start here: right when a step's weight is live, or when a judging period begins. */
  private async openWindow(route: string, st: RolloutState, plan: RolloutPlan): Promise<Window> {
    let baseline: Sample | null = null;
    try {
      baseline = st.step === -1 ? null : await takeSample(this.facade, route, plan.gates.latency !== undefined);
    } catch {
      baseline = null; // judged as a metric error when the check comes
    }
    const now = Date.now();
    const w = { since: st.since, step: st.step, baseline, from: now, nextCheckAt: st.step === -1 ? now : now + plan.intervalMs };
    this.windows.set(route, w);
    return w;
  }

  /** Commits the decision a check leads to, unless the rollout moved on since the check began. */
  private async decide(route: string, w: Window, plan: RolloutPlan, check: Omit<Check, 'verdict'> & { verdict: Check['verdict'] | 'error' }): Promise<void> {
    const at = isoNow();
    const s = await this.store.commit((st) => {
      const x = st.rollouts[route];
      if (!x || x.status !== 'progressing' || x.since !== w.since || x.step !== w.step || st.leader?.id !== this.id) return false;
      if (x.step >= 0) x.lastCheck = { at, verdict: check.verdict, requests: check.requests, gates: check.gates, reason: check.reason };
      const event = (decision: Decision, reason: string, gates?: GateResult[]): void =>
        this.record(x, { at, decision, step: x.step + 1, weight: x.weight, reason, by: this.id, ...(gates && gates.length ? { gates } : {}) });
      const abort = (why: string): void => {
        x.status = 'aborted';
        x.weight = 0;
        x.applied = false;
        x.since = at;
        event('aborted', `${why}: weight back to 0`, check.gates);
      };
      const advance = (why: string): void => {
        x.step += 1;
        x.weight = plan.steps[x.step] ?? 100;
        x.applied = false;
        x.metricErrors = 0;
        x.since = at;
        if (x.weight === 100) x.status = 'succeeded';
        event(x.weight === 100 ? 'promoted' : 'advanced', `${x.weight === 100 ? 'promoted to 100 %' : `step ${x.step + 1} of ${plan.steps.length}: ${x.weight} %`}: ${why}`, check.gates);
      };
      switch (check.verdict) {
        case 'pass':
          advance(check.reason);
          break;
        case 'inconclusive':
          if (plan.inconclusive === 'proceed') advance(`inconclusive (${check.reason}), proceeding as configured`);
          else if (plan.inconclusive === 'pause') {
            x.status = 'paused';
            event('paused', `inconclusive (${check.reason}); paused as configured: resume or abort`, check.gates);
          } else {
            // wait: the step goes on and keeps counting; judged again after another interval
            event('inconclusive', `${check.reason}; waiting: the step goes on and is judged again in ${plan.intervalMs} ms`, check.gates);
          }
          break;
        case 'fail':
          x.failedChecks += 1;
          x.metricErrors = 0;
          if (x.failedChecks > plan.failureLimit) abort(`${check.reason} (${x.failedChecks} failed checks, more than failureLimit ${plan.failureLimit})`);
          else {
            x.since = at;
            event('check_failed', `${check.reason} (${x.failedChecks} failed check${x.failedChecks === 1 ? '' : 's'} of failureLimit ${plan.failureLimit}); the step is judged again in ${plan.intervalMs} ms`, check.gates);
          }
          break;
        case 'error':
          x.metricErrors += 1;
          if (x.metricErrors > plan.metricErrorLimit) abort(`metrics could not be read: ${check.reason} (${x.metricErrors} times in a row, more than metricErrorLimit ${plan.metricErrorLimit})`);
          else {
            x.since = at;
            event('metric_error', `metrics could not be read: ${check.reason} (${x.metricErrors} in a row of metricErrorLimit ${plan.metricErrorLimit}); trying again in ${plan.intervalMs} ms`);
          }
          break;
      }
      return true;
    });
    const x = s.rollouts[route];
    if (!x) return;
    if (x.since === w.since && x.step === w.step && check.verdict === 'inconclusive' && x.status === 'progressing') w.nextCheckAt = Date.now() + plan.intervalMs;
    this.after(s, route);
    if (!x.applied) await this.applyWeight(route);
  }

  private async pause(route: string, st: RolloutState, reason: string): Promise<void> {
    const at = isoNow();
    const s = await this.store.commit((f) => {
      const x = f.rollouts[route];
      if (!x || x.status !== 'progressing' || x.since !== st.since) return false;
      x.status = 'paused';
      this.record(x, { at, decision: 'paused', step: x.step + 1, weight: x.weight, reason: `${reason}; paused`, by: this.id });
      return true;
    });
    this.after(s, route);
  }

  /** Sets the weight a decision chose, through the controller (saved to routes.yaml), then marks it applied. */
  private async applyWeight(route: string): Promise<void> {
    const st = (await this.read()).rollouts[route];
    if (!st || st.applied) return;
    const target = st.weight;
    let note = '';
    let refused: string | null = null;
    try {
      const change = await this.controller.setWeight(route, target);
      if (!change.persisted) note = ` (${change.error ?? 'not saved to the config file'})`;
    } catch (err) {
      if (err instanceof ChangeRefusedError) refused = err.message;
      else if (err instanceof RouteNotFoundError) refused = err.message;
      else throw err;
    }
    const at = isoNow();
    const s = await this.store.commit((f) => {
      const x = f.rollouts[route];
      if (!x || x.applied || x.weight !== target) return false;
      x.applied = true;
      if (refused === null) {
        if (note) this.record(x, { at, decision: 'weight_applied', step: x.step + 1, weight: x.weight, reason: `weight ${target} % set in memory only${note}`, by: this.id });
        return true;
      }
      // The facade would not raise the weight (no healthy instance): that step failed; stay where the route is.
      const running = this.controller.current().routes.find((r) => r.name === route)?.weight ?? 0;
      x.weight = running;
      x.step = Math.max(-1, x.step - 1);
      x.failedChecks += 1;
      x.since = at;
      if (x.status === 'succeeded') x.status = 'progressing';
      const plan = this.controller.current().routes.find((r) => r.name === route)?.rollout;
      const limit = plan?.failureLimit ?? 0;
      if (x.failedChecks > limit) {
        x.status = 'aborted';
        x.weight = 0;
        x.applied = running === 0;
        this.record(x, { at, decision: 'aborted', step: x.step + 1, weight: 0, reason: `${refused} (${x.failedChecks} failed checks, more than failureLimit ${limit}): weight back to 0`, by: this.id });
      } else this.record(x, { at, decision: 'check_failed', step: x.step + 1, weight: x.weight, reason: `${refused} (${x.failedChecks} failed checks of failureLimit ${limit})`, by: this.id });
      return true;
    });
    this.after(s, route);
    const x = s.rollouts[route];
    if (!x) return;
    if (!x.applied) return this.applyWeight(route);
    // Count from the moment the new weight serves (a failing service can open its breaker within milliseconds).
    const plan = this.controller.current().routes.find((r) => r.name === route)?.rollout;
    if (plan && x.status === 'progressing' && this.driving) await this.openWindow(route, x, plan);
  }

  /** Adds a decision to the rollout's events, the log and the decisions counter. */
  private record(x: RolloutState, e: RolloutEvent): void {
    x.events.push(e);
    if (x.events.length > EVENTS_KEPT) x.events.splice(0, x.events.length - EVENTS_KEPT);
    x.lastDecision = { at: e.at, decision: e.decision, reason: e.reason };
    this.gauges.decisions.inc({ route: x.route, decision: e.decision });
    const bad = e.decision === 'aborted' || e.decision === 'check_failed' || e.decision === 'metric_error' || e.decision === 'paused';
    const gates = e.gates?.map((g) => ({ gate: g.gate, value: g.value, threshold: g.threshold, ok: g.ok }));
    this.logger[bad ? 'warn' : 'info'](
      { event: 'rollout', route: x.route, decision: e.decision, step: e.step, weight: e.weight, reason: e.reason, by: e.by, ...(gates ? { gates } : {}) },
      `rollout ${x.route}: ${e.decision.replace('_', ' ')}: ${e.reason}`,
    );
  }

  private after(s: StateFile, route: string): void {
    this.last = s;
    if (s.rollouts[route]?.status !== 'progressing') this.windows.delete(route);
  }

  private viewOf(route: string, s: StateFile): RolloutView {
    const cfg = this.controller.current().routes.find((r) => r.name === route)!;
    const x = s.rollouts[route];
    const plan = cfg.rollout ?? ({ steps: [], intervalMs: 0 } as unknown as RolloutPlan);
    const w = this.windows.get(route);
    return {
      route,
      service: cfg.service,
      plan,
      status: x?.status ?? 'idle',
      step: x ? x.step + 1 : 0,
      steps: plan.steps.length,
      weight: x?.weight ?? cfg.weight,
      runningWeight: cfg.weight,
      failedChecks: x?.failedChecks ?? 0,
      metricErrors: x?.metricErrors ?? 0,
      startedAt: x?.startedAt ?? null,
      nextCheckAt: x?.status === 'progressing' && w && this.driving ? new Date(w.nextCheckAt).toISOString() : null,
      lastCheck: x?.lastCheck ?? null,
      lastDecision: x?.lastDecision ?? null,
      events: x?.events ?? [],
      state: this.store.persistence,
      driver: s.leader && s.leader.until > Date.now() ? { id: s.leader.id, self: s.leader.id === this.id, until: new Date(s.leader.until).toISOString() } : null,
    };
  }
}

/** `strangler_rollout_*`: computed from the last state read when the registry is scraped. */
function makeMetrics(facade: Facade, last: () => StateFile | null, routes: () => ReturnType<ConfigController['current']>['routes'], driving: () => boolean) {
  const registry = facade.registry;
  const get = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  const each = (fn: (route: string, x: RolloutState | undefined, plan: RolloutPlan | undefined) => void): void => {
    const s = last();
    for (const r of routes()) if (r.rollout || s?.rollouts[r.name]) fn(r.name, s?.rollouts[r.name], r.rollout);
  };
  get('strangler_rollout_step', () => new Gauge({
    name: 'strangler_rollout_step', help: 'Rollout step per route, 1-based (0: not started)', labelNames: ['route'], registers: [registry],
    collect() { this.reset(); each((route, x) => this.set({ route }, x ? x.step + 1 : 0)); },
  }));
  get('strangler_rollout_weight', () => new Gauge({
    name: 'strangler_rollout_weight', help: 'Weight (per cent) the rollout set per route', labelNames: ['route'], registers: [registry],
    collect() { this.reset(); each((route, x) => x && this.set({ route }, x.weight)); },
  }));
  get('strangler_rollout_status', () => new Gauge({
    name: 'strangler_rollout_status', help: 'Rollout status per route: 1 for the current one (idle, progressing, paused, aborted, succeeded)', labelNames: ['route', 'status'], registers: [registry],
    collect() { this.reset(); each((route, x) => { for (const status of STATUSES) this.set({ route, status }, (x?.status ?? 'idle') === status ? 1 : 0); }); },
  }));
  get('strangler_rollout_failed_checks', () => new Gauge({
    name: 'strangler_rollout_failed_checks', help: 'Failed checks of the current rollout per route', labelNames: ['route'], registers: [registry],
    collect() { this.reset(); each((route, x) => x && this.set({ route }, x.failedChecks)); },
  }));
  get('strangler_rollout_gate_value', () => new Gauge({
    name: 'strangler_rollout_gate_value', help: 'Last value of each rollout gate (per cent, ms, ratio, requests, status)', labelNames: ['route', 'gate'], registers: [registry],
    collect() { this.reset(); each((route, x) => { for (const g of x?.lastCheck?.gates ?? []) if (g.value !== null) this.set({ route, gate: g.gate }, g.value); }); },
  }));
  get('strangler_rollout_gate_threshold', () => new Gauge({
    name: 'strangler_rollout_gate_threshold', help: 'Threshold of each rollout gate', labelNames: ['route', 'gate'], registers: [registry],
    collect() { this.reset(); each((route, x) => { for (const g of x?.lastCheck?.gates ?? []) this.set({ route, gate: g.gate }, g.threshold); }); },
  }));
  get('strangler_rollout_driver', () => new Gauge({
    name: 'strangler_rollout_driver', help: '1 when this replica drives the rollouts', registers: [registry],
    collect() { this.set(driving() ? 1 : 0); },
  }));
  const decisions = get('strangler_rollout_decisions_total', () => new Counter({ name: 'strangler_rollout_decisions_total', help: 'Rollout decisions made by this replica, by route and decision', labelNames: ['route', 'decision'], registers: [registry] })) as Counter<'route' | 'decision'>;
  return { decisions };
}
