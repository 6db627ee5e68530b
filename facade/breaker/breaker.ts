/**
 * Circuit breaker, one per service. `failureThreshold` failures within `windowMs` open it; while
 * open the service gets nothing (its routes go to legacy); after `cooldownMs` one probe request
 * is let through (half-open); its success closes the breaker, its failure reopens it.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  failureThreshold: number;
  windowMs: number;
  cooldownMs: number;
}

export class Breaker {
  private stateValue: BreakerState = 'closed';
  private failures: number[] = [];
  private openedAt = 0;
  private probing = false;
  private probeAt = 0;

  constructor(
    readonly service: string,
    public options: BreakerOptions,
    private readonly onChange: (service: string, state: BreakerState) => void,
  ) {}

  get state(): BreakerState {
    if (this.stateValue === 'open' && Date.now() - this.openedAt >= this.options.cooldownMs) this.set('half-open');
    return this.stateValue;
  }

  /** Whether a request may go to the service now; in half-open, true exactly once (the probe). */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    // A probe whose outcome never came back (its client left first) must not wedge the breaker:
    // after another cooldown a new probe goes through.
    if (state === 'half-open' && (!this.probing || Date.now() - this.probeAt >= this.options.cooldownMs)) {
      this.probing = true;
      this.probeAt = Date.now();
      return true;
    }
    return false;
  }

  success(): void {
    if (this.stateValue === 'half-open') {
      this.failures = [];
      this.set('closed');
    }
  }

  failure(): void {
    const now = Date.now();
    if (this.stateValue === 'half-open') return this.open(now);
    if (this.stateValue === 'open') return;
    const f = this.failures;
    f.push(now);
    const horizon = now - this.options.windowMs;
    while (f.length > 0 && f[0] < horizon) f.shift();
    if (f.length >= this.options.failureThreshold) this.open(now);
  }

  private open(now: number): void {
    this.openedAt = now;
    this.failures = [];
    this.set('open');
  }

  private set(state: BreakerState): void {
    this.probing = false;
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.onChange(this.service, state);
  }
}
