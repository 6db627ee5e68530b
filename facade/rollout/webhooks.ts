/**
 * Rollout webhooks (Flagger's `pre-rollout`/`confirm-promotion`, Argo Rollouts' web metric): a
 * POST with what is about to happen; a 2xx lets it happen, any other status fails the check, and
 * no answer (refused, timed out) is a metric error.
 */
import { request } from 'undici';
import type { RolloutPlan } from '../config/schema';
import type { GateResult } from './gates';
import { MetricReadError } from './sample';

export interface HookPayload {
  route: string;
  service: string;
  /** `step` before a weight increase, `promotion` before the move to 100 %. */
  phase: 'step' | 'promotion';
  weight: number;
  nextWeight: number;
  /** 1-based step about to be taken, of `steps`. */
  step: number;
  steps: number;
}

export async function callHooks(plan: RolloutPlan, payload: HookPayload): Promise<GateResult[]> {
  const results: GateResult[] = [];
  for (const hook of plan.webhooks.filter((h) => h.before === payload.phase)) {
    let status: number;
    try {
      const res = await request(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'strangler-rollout' },
        body: JSON.stringify({ ...payload, webhook: hook.name }),
        headersTimeout: hook.timeoutMs,
        bodyTimeout: hook.timeoutMs,
      });
      status = res.statusCode;
      await res.body.dump();
    } catch (err) {
      const e = err as { code?: string; message: string };
      throw new MetricReadError(`webhook ${hook.name} (${hook.url}) did not answer: ${e.code ?? e.message}`);
    }
    const ok = status >= 200 && status < 300;
    results.push({ gate: `webhook:${hook.name}`, value: status, threshold: 299, unit: 'status', ok, detail: `${hook.url} answered ${status}` });
    if (!ok) break;
  }
  return results;
}
