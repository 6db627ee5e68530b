import { Breaker, type BreakerState } from '../breaker/breaker';
import { eventually } from './helpers';

describe('Breaker', () => {
  const make = () => {
    const changes: BreakerState[] = [];
    const b = new Breaker('svc', { failureThreshold: 3, windowMs: 60_000, cooldownMs: 80 }, (_s, state) => changes.push(state));
    return { b, changes };
  };

  it('lets exactly one probe through when half-open, and a new one if the first never reports back', async () => {
    const { b, changes } = make();
    b.failure();
    b.failure();
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(false);
    await eventually(() => b.state === 'half-open', 2000, 'half-open');
    expect(b.allow()).toBe(true); // the probe
    expect(b.allow()).toBe(false); // everyone else still goes to legacy
    // The probe's client went away: no success or failure is ever reported.
    await eventually(() => b.allow(), 2000, 'a second probe');
    b.success();
    expect(b.state).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('forgets failures older than windowMs', () => {
    const b = new Breaker('svc', { failureThreshold: 2, windowMs: 1, cooldownMs: 1000 }, () => undefined);
    b.failure();
    const until = Date.now() + 5;
    while (Date.now() < until) {
      /* let the window pass */
    }
    b.failure();
    expect(b.state).toBe('closed');
  });
});
