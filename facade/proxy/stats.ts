/** Per-route counters behind `Facade.stats()`; kept by route name across `apply()`. */
export class RouteCounters {
  /** User requests that matched the route. */
  total = 0;
  legacy = 0;
  service = 0;
  shadow = 0;
  legacyErrors = 0;
  serviceErrors = 0;
  fallbacks = 0;
  shadowMismatches = 0;
}
