/** Per-route counters behind `Facade.stats()`; kept by route name across `apply()`. */

/** The recent window: this many slots of SLOT_MS, the current one included (the last minute). */
export const WINDOW_SLOTS = 12;
export const SLOT_MS = 5_000;

export class RouteCounters {
  /** User requests that matched the route. */
  total = 0;
  legacy = 0;
  service = 0;
  /** Mirrors sent, and of those, compared (a comparison ends after the mirror's answer). */
  shadow = 0;
  shadowCompared = 0;
  legacyErrors = 0;
  serviceErrors = 0;
  fallbacks = 0;
  shadowMismatches = 0;
  /** Matched requests and service dispatches per slot over the last minute: a ring, `slot` the current one. */
  readonly recentTotal: number[] = new Array<number>(WINDOW_SLOTS).fill(0);
  readonly recentService: number[] = new Array<number>(WINDOW_SLOTS).fill(0);
  slot = 0;

  /** Every SLOT_MS: the oldest slot becomes the current one, emptied. */
  rotate(): void {
    this.slot = (this.slot + 1) % WINDOW_SLOTS;
    this.recentTotal[this.slot] = 0;
    this.recentService[this.slot] = 0;
  }

  recent(): { total: number; service: number } {
    let total = 0;
    let service = 0;
    for (let i = 0; i < WINDOW_SLOTS; i++) {
      total += this.recentTotal[i];
      service += this.recentService[i];
    }
    return { total, service };
  }
}
