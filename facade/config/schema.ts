/**
 * The routes config contract (DESIGN.md): which routes go to legacy, which to which service,
 * with what weight and policy. YAML or JSON on disk; validated here so every error names its path.
 */
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ });
const method = z
  .string()
  .transform((m) => m.toUpperCase())
  .pipe(z.enum(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']));
const percent = z.number().min(0).max(100);

export const HealthCheckSchema = z.object({
  path: z.string().startsWith('/').default('/health'),
  intervalMs: z.number().int().positive().default(5000),
  timeoutMs: z.number().int().positive().default(1000),
  /** Consecutive failures before an instance is taken out. */
  unhealthyThreshold: z.number().int().positive().default(2),
  /** Consecutive successes before it is put back. */
  healthyThreshold: z.number().int().positive().default(1),
  enabled: z.boolean().default(true),
});

export const BreakerSchema = z.object({
  /** Failures (connection errors, timeouts, 5xx) within windowMs that open the breaker. */
  failureThreshold: z.number().int().positive().default(5),
  windowMs: z.number().int().positive().default(10_000),
  /** How long an open breaker sends nothing before it lets one probe through (half-open). */
  cooldownMs: z.number().int().positive().default(10_000),
});

export const UpstreamSchema = z.object({
  urls: z.array(url).min(1),
  /** Per-request upstream timeout (headers received); 504 when no fallback can answer. */
  timeoutMs: z.number().int().positive().optional(),
  healthCheck: HealthCheckSchema.partial().optional(),
  breaker: BreakerSchema.partial().optional(),
  /** How requests are spread over healthy instances (default `least-pending`). */
  balance: z.enum(['round-robin', 'least-pending']).optional(),
});

/** A string is shorthand for `{ urls: [string] }`. */
const upstream = z.union([url.transform((u): z.output<typeof UpstreamSchema> => ({ urls: [u] })), UpstreamSchema]);

export const StickyKeySchema = z.union([
  z.object({ header: z.string().min(1).transform((h) => h.toLowerCase()) }),
  z.object({ cookie: z.string().min(1) }),
  z.object({ ip: z.literal(true) }),
]);

export const ShadowSchema = z.object({
  /** Service that receives the mirrored copy; defaults to the route's service. */
  service: z.string().optional(),
  percent: percent.default(100),
  /** Only safe methods are mirrored unless listed here. */
  methods: z.array(method).default(['GET', 'HEAD']),
  /** Requests with a larger body are not mirrored. */
  maxBodyBytes: z.number().int().nonnegative().default(64 * 1024),
  /** The mirrored request's own timeout; a slow shadow never delays the user. */
  timeoutMs: z.number().int().positive().default(5000),
  /** Skip mirroring while the facade's event loop is busy (> 80 % utilised), so users keep their latency. */
  shedUnderLoad: z.boolean().default(true),
  compare: z
    .object({
      status: z.boolean().default(true),
      /** Response headers compared (lower case). */
      headers: z.array(z.string().transform((h) => h.toLowerCase())).default([]),
      /** JSON paths ignored in the body comparison, e.g. `$.updatedAt`, `$.items[*].id`. */
      ignore: z
        .array(z.string().regex(/^\$(\.[^.[\]]+|\[(\*|\d+|'[^']*')\])*$/, 'a JSON path such as `$.updatedAt` or `$.items[*].id`'))
        .default([]),
      /** Response bodies larger than this (either side) are compared on status and headers only. */
      maxBodyBytes: z.number().int().nonnegative().default(1024 * 1024),
    })
    .prefault({}),
});

/** A webhook called before a step (`before: step`) or before the move to 100 % (`before: promotion`); a non-2xx answer fails the check. */
export const RolloutWebhookSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only'),
    url,
    before: z.enum(['step', 'promotion']).default('step'),
    timeoutMs: z.number().int().positive().default(5000),
  })
  .strict();

/**
 * Progressive delivery of one route: the weight moves through `steps`, one step per `intervalMs`
 * while every gate passes over that interval's requests (Flagger's and Argo Rollouts' semantics:
 * more failed checks than `failureLimit` roll the weight back to 0; too few requests are
 * inconclusive, with their own verdict).
 */
export const RolloutSchema = z
  .object({
    /** Weights in per cent, strictly increasing, ending at 100; a leading 0 is a shadow-only step (needs `shadow`). */
    steps: z.array(percent).min(1),
    /** How long each step lasts before its gates are judged over the requests of that time. */
    intervalMs: z.number().int().min(100).default(60_000),
    /** Fewer service requests than this in a step (shadow comparisons at weight 0) make its check inconclusive. */
    minRequests: z.number().int().nonnegative().default(20),
    gates: z
      .object({
        /** Service-side error rate: 5xx answers and connection failures of the service, over the requests sent to it. */
        errorRate: z.object({ maxPercent: percent }).strict().default({ maxPercent: 1 }),
        /** p99 of the service's response time, absolute and/or against legacy's p99 over the same interval. */
        latency: z
          .object({ p99MaxMs: z.number().positive().optional(), p99MaxRatio: z.number().positive().optional() })
          .strict()
          .refine((l) => l.p99MaxMs !== undefined || l.p99MaxRatio !== undefined, 'give p99MaxMs, p99MaxRatio or both')
          .optional(),
        /** Share of compared shadow answers that differed from legacy's, judged while the weight is 0. */
        shadowMismatch: z.object({ maxPercent: percent }).strict().optional(),
      })
      .strict()
      .prefault({}),
    /** Failed checks tolerated over the rollout; one more aborts it (weight back to 0). */
    failureLimit: z.number().int().nonnegative().default(1),
    /** Consecutive checks whose metrics could not be read (a webhook unreachable, counters gone) tolerated; one more aborts. */
    metricErrorLimit: z.number().int().nonnegative().default(3),
    /** Too few requests in a step: `wait` (stay and keep counting), `pause` (until resumed), `proceed` (take the next step). */
    inconclusive: z.enum(['wait', 'pause', 'proceed']).default('wait'),
    webhooks: z.array(RolloutWebhookSchema).default([]),
  })
  .strict();

export const RouteSchema = z
  .object({
    /** Unique name used by the admin API and `strangler route`. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only'),
    match: z
      .object({
        /** Matches this path and everything below it, on segment boundaries (`/api/cart` matches `/api/cart/items`, not `/api/cartography`). */
        prefix: z.string().startsWith('/').optional(),
        /** Exact pattern with params, express syntax: `/api/orders/:id`. */
        path: z.string().startsWith('/').optional(),
        methods: z.array(method).optional(),
        /** Header equality conditions (names lower case). */
        headers: z.record(z.string().transform((h) => h.toLowerCase()), z.string()).optional(),
        /**
         * Whether `prefix` and `path` compare letter case. Off by default, like Express's own routing
         * (`case sensitive routing` is off), so the facade and the legacy app agree on which requests
         * are the same route: `/API/cart` matches `prefix: /api/cart`. Absent means false.
         */
        caseSensitive: z.boolean().optional(),
      })
      .strict()
      .refine((m) => (m.prefix === undefined) !== (m.path === undefined), 'give exactly one of `prefix` or `path`'),
    service: z.string(),
    /** Share of traffic (0..100) sent to the service; the rest stays on legacy. */
    weight: percent.default(0),
    /** When the service fails an idempotent request, retry it on legacy. */
    fallback: z.boolean().default(true),
    /** Methods beyond GET/HEAD/OPTIONS that are safe to retry on legacy. */
    safeMethods: z.array(method).default([]),
    shadow: ShadowSchema.optional(),
    rollout: RolloutSchema.optional(),
  })
  .strict();

export const FacadeConfigSchema = z
  .object({
    listen: z
      .object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(8080) })
      .prefault({}),
    legacy: upstream,
    services: z.record(z.string(), upstream).default({}),
    routes: z.array(RouteSchema).default([]),
    admin: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8081),
        /** Environment variable holding the bearer token. */
        tokenEnv: z.string().default('STRANGLER_ADMIN_TOKEN'),
        /** File holding the bearer token (wins over tokenEnv). */
        tokenFile: z.string().optional(),
      })
      .prefault({}),
    sticky: z
      .object({
        /** Tried in order; the first present decides. The client IP is the last resort. */
        keys: z.array(StickyKeySchema).default([{ header: 'x-user-id' }]),
      })
      .prefault({}),
    override: z
      .object({ enabled: z.boolean().default(false), header: z.string().default('x-strangler-target').transform((h) => h.toLowerCase()) })
      .prefault({}),
    /** Peer addresses whose X-Forwarded-* headers are trusted and extended; others' are replaced. */
    trustedProxies: z.array(z.string()).default([]),
    limits: z
      .object({
        maxBodyBytes: z.number().int().positive().default(10 * 1024 * 1024),
        upstreamTimeoutMs: z.number().int().positive().default(30_000),
        /** Longest pause between two chunks of an upstream's response body before the exchange is given up (a stalled stream). */
        upstreamBodyTimeoutMs: z.number().int().positive().default(300_000),
        maxHeaderBytes: z.number().int().positive().default(16 * 1024),
        /** Request bodies of fallback-eligible methods up to this size are buffered so they can be retried on legacy. */
        retryBufferBytes: z.number().int().nonnegative().default(64 * 1024),
        /** Slow clients: time allowed to send the request headers, and the whole request. */
        headersTimeoutMs: z.number().int().positive().default(10_000),
        requestTimeoutMs: z.number().int().positive().default(60_000),
        /** Idle keep-alive time for client connections. */
        keepAliveTimeoutMs: z.number().int().positive().default(5_000),
      })
      .prefault({}),
    healthCheck: HealthCheckSchema.prefault({}),
    breaker: BreakerSchema.prefault({}),
    logging: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** Successful (2xx/3xx) requests are logged at `debug`, so they cost nothing at the default level; set true to log them at `info`. */
        successes: z.boolean().default(false),
      })
      .prefault({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.limits.headersTimeoutMs > cfg.limits.requestTimeoutMs)
      ctx.addIssue({ code: 'custom', path: ['limits', 'headersTimeoutMs'], message: `must not exceed limits.requestTimeoutMs (${cfg.limits.requestTimeoutMs})` });
    const names = new Set<string>();
    cfg.routes.forEach((r, i) => {
      if (names.has(r.name)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'name'], message: `duplicate route name "${r.name}"` });
      names.add(r.name);
      if (!(r.service in cfg.services))
        ctx.addIssue({ code: 'custom', path: ['routes', i, 'service'], message: `unknown service "${r.service}" (services: ${Object.keys(cfg.services).join(', ') || 'none'})` });
      if (r.shadow?.service && !(r.shadow.service in cfg.services))
        ctx.addIssue({ code: 'custom', path: ['routes', i, 'shadow', 'service'], message: `unknown service "${r.shadow.service}"` });
      if (r.rollout) checkRollout(r, (path, message) => ctx.addIssue({ code: 'custom', path: ['routes', i, 'rollout', ...path], message }));
    });
  });

function checkRollout(r: z.output<typeof RouteSchema>, issue: (path: PropertyKey[], message: string) => void): void {
  const plan = r.rollout!;
  plan.steps.forEach((w, j) => {
    if (j > 0 && w <= plan.steps[j - 1]) issue(['steps', j], `steps must increase, got ${w} after ${plan.steps[j - 1]}`);
    if (w === 0 && j === 0 && !r.shadow) issue(['steps', j], 'a step at weight 0 only judges shadow comparisons: give the route `shadow`, or start at a weight above 0');
  });
  if (plan.steps.at(-1) !== 100) issue(['steps'], `the last step must be 100 (the rollout ends with the route on its service), got ${plan.steps.at(-1)}; to stop earlier, pause the rollout`);
  if (plan.gates.shadowMismatch && !(r.shadow && plan.steps[0] === 0))
    issue(['gates', 'shadowMismatch'], 'judged at weight 0 only: needs `shadow` on the route and a first step of 0');
  const names = new Set<string>();
  plan.webhooks.forEach((h, j) => {
    if (names.has(h.name)) issue(['webhooks', j, 'name'], `duplicate webhook name "${h.name}"`);
    names.add(h.name);
  });
}

export type FacadeConfig = z.infer<typeof FacadeConfigSchema>;
export type RouteConfig = FacadeConfig['routes'][number];
export type RolloutPlan = NonNullable<RouteConfig['rollout']>;
export type Upstream = FacadeConfig['legacy'];
export type FacadeConfigInput = z.input<typeof FacadeConfigSchema>;
