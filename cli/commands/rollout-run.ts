import Table from 'cli-table3';
import pc from 'picocolors';
import { CliError } from '../errors';
import type { RolloutView } from '../../facade/rollout/manager';
import type { GateResult } from '../../facade/rollout/gates';
import type { AdminFlags } from './route-options';
import { call } from './route-run';

const GATE_NAMES: Record<string, string> = {
  requests: 'requests',
  errorRate: 'error rate',
  latencyP99: 'p99 latency',
  latencyP99Ratio: 'p99 vs legacy',
  shadowMismatch: 'shadow mismatches',
};

function isView(x: unknown): x is RolloutView {
  return typeof (x as RolloutView | undefined)?.route === 'string' && typeof (x as RolloutView).status === 'string';
}

const style = (): Record<string, unknown> => (pc.isColorSupported ? {} : { head: [], border: [] });

function value(g: GateResult): string {
  if (g.value === null) return '-';
  if (g.unit === '%') return `${g.value} %`;
  if (g.unit === 'ms') return `${g.value} ms`;
  if (g.unit === 'x') return `${g.value}x`;
  return String(g.value);
}

function threshold(g: GateResult): string {
  if (g.unit === 'requests') return `>= ${g.threshold}`;
  if (g.unit === 'status') return '2xx';
  return `<= ${g.threshold}${g.unit === '%' ? ' %' : g.unit === 'ms' ? ' ms' : g.unit === 'x' ? 'x' : ''}`;
}

const time = (iso: string): string => iso.replace('T', ' ');

function stepText(v: RolloutView): string {
  if (v.status === 'idle') return `not started (plan: ${v.plan.steps.join(', ')} %)`;
  const at = v.step === 0 ? 'before step 1' : `step ${v.step} of ${v.steps}`;
  return `${v.status}, ${at}, weight ${v.weight} %${v.runningWeight !== v.weight ? ` (this replica serves ${v.runningWeight} %)` : ''}`;
}

export function describe(v: RolloutView, events: number): string {
  const lines = [`route ${v.route} (service ${v.service}): ${stepText(v)}`];
  const check = v.lastCheck;
  if (check) {
    const table = new Table({ style: style(), head: ['gate', 'last value', 'threshold', 'result', 'detail'] });
    for (const g of check.gates) table.push([g.gate.startsWith('webhook:') ? g.gate : (GATE_NAMES[g.gate] ?? g.gate), value(g), threshold(g), g.ok ? 'pass' : 'FAIL', g.detail]);
    lines.push(`last check ${time(check.at)}: ${check.verdict}: ${check.reason}`, table.toString());
  } else if (v.status !== 'idle') lines.push('no check yet');
  if (v.lastDecision) lines.push(`last decision ${time(v.lastDecision.at)}: ${v.lastDecision.decision}: ${v.lastDecision.reason}`);
  if (v.status !== 'idle') lines.push(`failed checks ${v.failedChecks} (failureLimit ${v.plan.failureLimit}), metric errors in a row ${v.metricErrors} (metricErrorLimit ${v.plan.metricErrorLimit})${v.nextCheckAt ? `, next check ${time(v.nextCheckAt)}` : ''}`);
  const driver = v.driver ? `driven by ${v.driver.self ? 'this replica' : 'replica'} ${v.driver.id}` : v.status === 'progressing' ? 'no replica drives it right now' : null;
  const where = v.state.persisted ? `state saved in ${v.state.file}` : `state in memory only: ${v.state.error ?? 'not saved'}`;
  lines.push(driver ? `${driver}; ${where}` : where);
  const recent = v.events.slice(-events);
  if (recent.length) {
    lines.push(`recent decisions (${recent.length} of ${v.events.length}):`);
    for (const e of recent) lines.push(`  ${time(e.at)}  ${e.decision.padEnd(14)} step ${e.step}, ${e.weight} %: ${e.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function status(flags: AdminFlags & { events?: string }, route?: string): Promise<void> {
  const events = Math.max(0, Number(flags.events ?? 5) || 0);
  if (route !== undefined) {
    const { data } = await call(flags, 'GET', `routes/${encodeURIComponent(route)}/rollout`);
    if (!isView(data)) throw new CliError(`the admin API answered without a rollout: not a facade with rollouts?`);
    process.stdout.write(flags.json ? `${JSON.stringify(data, null, 2)}\n` : describe(data, events));
    return;
  }
  const { data } = await call(flags, 'GET', 'rollouts');
  const list = (data as { rollouts?: unknown } | undefined)?.rollouts;
  if (!Array.isArray(list) || !list.every(isView)) throw new CliError('the admin API answered without a rollout list: not a facade with rollouts?');
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return;
  }
  if (list.length === 0) {
    process.stdout.write('no route has a rollout plan (add `rollout:` to a route in routes.yaml)\n');
    return;
  }
  const table = new Table({ style: style(), head: ['route', 'status', 'step', 'weight', 'failed checks', 'last decision'] });
  for (const v of list)
    table.push([v.route, v.status, v.status === 'idle' ? '-' : `${v.step}/${v.steps}`, `${v.weight}%`, String(v.failedChecks), v.lastDecision ? `${v.lastDecision.decision}: ${v.lastDecision.reason}` : '-']);
  const memory = list.find((v) => !v.state.persisted);
  process.stdout.write(`${table.toString()}\n${memory ? `state in memory only: ${memory.state.error ?? ''}\n` : ''}`);
}

export async function command(flags: AdminFlags, route: string, cmd: 'start' | 'pause' | 'resume' | 'abort'): Promise<void> {
  const { data } = await call(flags, 'POST', `routes/${encodeURIComponent(route)}/rollout/${cmd}`);
  if (!isView(data)) throw new CliError(`the admin API answered without a rollout: not a facade with rollouts?`);
  process.stdout.write(flags.json ? `${JSON.stringify(data, null, 2)}\n` : describe(data, 3));
  if (!data.state.persisted) {
    // The facade runs the rollout, but a restart would lose where it is: report it as route set does.
    process.stderr.write(`warning: rollout state in memory only: ${data.state.error ?? 'not saved'}\n`);
    process.exitCode = 1;
  }
}
