/** One route's rollout as stored: where it is, what the last check saw, and every decision. */
import type { GateResult, Verdict } from './gates';

export type RolloutStatus = 'progressing' | 'paused' | 'aborted' | 'succeeded';

export type Decision =
  | 'started'
  | 'advanced'
  | 'promoted'
  | 'check_failed'
  | 'inconclusive'
  | 'metric_error'
  | 'aborted'
  | 'paused'
  | 'resumed'
  | 'weight_applied';

export interface RolloutEvent {
  at: string;
  decision: Decision;
  /** 1-based step after the decision (0: before the first). */
  step: number;
  weight: number;
  reason: string;
  /** The replica that made it. */
  by: string;
  gates?: GateResult[];
}

export interface RolloutState {
  route: string;
  status: RolloutStatus;
  /** Index into the plan's steps of the current weight; -1 before the first step is taken. */
  step: number;
  /** The weight the rollout set (or is about to set). */
  weight: number;
  /** False between a decision and the weight reaching the config (then the driver applies it). */
  applied: boolean;
  startedAt: string;
  /** When the current judging period began (a step taken, a check judged, a resume). */
  since: string;
  failedChecks: number;
  /** Consecutive checks whose metrics could not be read. */
  metricErrors: number;
  lastCheck: { at: string; verdict: Verdict | 'error'; requests: number; gates: GateResult[]; reason: string } | null;
  lastDecision: { at: string; decision: Decision; reason: string } | null;
  /** The most recent decisions, oldest first. */
  events: RolloutEvent[];
}

/** Decisions kept per rollout in the state file (the log has all of them). */
export const EVENTS_KEPT = 100;
