/**
 * A rollout check: the plan's gates judged over one window of requests. At weight 0 (a shadow
 * step) only the shadow mismatch rate is judged; above 0 the service's error rate and latency.
 * Fewer requests than `minRequests` make the check inconclusive, never a silent pass or halt.
 */
import type { RolloutPlan } from '../config/schema';
import { quantile, type Window } from './sample';

export interface GateResult {
  /** `errorRate`, `latencyP99`, `latencyP99Ratio`, `shadowMismatch`, `requests`, `webhook:<name>`. */
  gate: string;
  /** The measured value (per cent, ms, ratio or a count; null when nothing was measured). */
  value: number | null;
  /** The limit, compared as `value <= threshold` (`requests`: `value >= threshold`). */
  threshold: number;
  unit: '%' | 'ms' | 'x' | 'requests' | 'status';
  ok: boolean;
  detail: string;
}

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export interface Check {
  verdict: Verdict;
  /** Service requests (shadow comparisons at weight 0) the window held. */
  requests: number;
  gates: GateResult[];
  /** One sentence: what decided the verdict. */
  reason: string;
}

const pct = (part: number, whole: number): number => (whole === 0 ? 0 : (100 * part) / whole);
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function judge(plan: RolloutPlan, weight: number, w: Window, seconds: number): Check {
  const shadowStep = weight === 0;
  const requests = shadowStep ? w.shadowCompared : w.service;
  const what = shadowStep ? 'shadow comparisons' : 'service requests';
  const gates: GateResult[] = [
    { gate: 'requests', value: requests, threshold: plan.minRequests, unit: 'requests', ok: requests >= plan.minRequests, detail: `${requests} ${what} in ${round(seconds, 1)} s` },
  ];
  if (shadowStep) {
    const g = plan.gates.shadowMismatch;
    if (g) {
      const v = pct(w.shadowMismatches, w.shadowCompared);
      gates.push({ gate: 'shadowMismatch', value: round(v), threshold: g.maxPercent, unit: '%', ok: v <= g.maxPercent, detail: `${w.shadowMismatches} of ${w.shadowCompared} compared answers differed` });
    }
  } else {
    const e = plan.gates.errorRate;
    const rate = pct(w.serviceErrors, w.service);
    // An open breaker or no healthy instance is why the service gets few requests: a failure, not "too little traffic".
    const out = w.breaker !== 'closed' ? `the service's circuit breaker is ${w.breaker}` : w.healthy === 0 ? 'the service has no healthy instance' : null;
    gates.push({
      gate: 'errorRate',
      value: round(rate),
      threshold: e.maxPercent,
      unit: '%',
      ok: rate <= e.maxPercent && out === null,
      detail: `${w.serviceErrors} of ${w.service} service requests failed (5xx or no answer)${out ? `, and ${out}` : ''}`,
    });
    if (out !== null) return { verdict: 'fail', requests, gates, reason: describeFailure(gates.at(-1)!) };
    const l = plan.gates.latency;
    if (l && w.latency) {
      const service = quantile(0.99, w.latency.service);
      const legacy = quantile(0.99, w.latency.legacy);
      const ms = service === null ? null : service * 1000;
      if (l.p99MaxMs !== undefined)
        gates.push({ gate: 'latencyP99', value: ms === null ? null : round(ms), threshold: l.p99MaxMs, unit: 'ms', ok: ms === null || ms <= l.p99MaxMs, detail: ms === null ? 'no service answers timed' : `service p99 ${round(ms)} ms` });
      if (l.p99MaxRatio !== undefined) {
        const ratio = service === null || legacy === null || legacy === 0 ? null : service / legacy;
        gates.push({
          gate: 'latencyP99Ratio',
          value: ratio === null ? null : round(ratio),
          threshold: l.p99MaxRatio,
          unit: 'x',
          // Nothing from legacy to compare with: not a failure of the service (the absolute gate, if any, still judges).
          ok: ratio === null || ratio <= l.p99MaxRatio,
          detail: ratio === null ? `no ${legacy === null ? 'legacy' : 'service'} answers timed to compare` : `service p99 ${round(service! * 1000)} ms vs legacy ${round(legacy! * 1000)} ms`,
        });
      }
    }
  }
  if (requests < plan.minRequests) return { verdict: 'inconclusive', requests, gates, reason: `${requests} ${what} in ${round(seconds, 1)} s, fewer than minRequests ${plan.minRequests}` };
  const failed = gates.filter((g) => !g.ok);
  if (failed.length) return { verdict: 'fail', requests, gates, reason: failed.map(describeFailure).join('; ') };
  return { verdict: 'pass', requests, gates, reason: `every gate passed over ${requests} ${what}` };
}

export function describeFailure(g: GateResult): string {
  const unit = g.unit === '%' ? ' %' : g.unit === 'ms' ? ' ms' : g.unit === 'x' ? 'x' : '';
  const name = { errorRate: 'error rate', latencyP99: 'p99 latency', latencyP99Ratio: 'p99 against legacy', shadowMismatch: 'shadow mismatch rate' }[g.gate] ?? g.gate;
  if (g.unit === 'status' || (g.value !== null && g.value <= g.threshold)) return `${name}: ${g.detail}`;
  return `${name} ${g.value ?? '-'}${unit} > ${g.threshold}${unit} (${g.detail})`;
}
