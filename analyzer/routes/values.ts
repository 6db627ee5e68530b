/**
 * What the route interpreter computes: a small model of JavaScript values, just rich enough to tell
 * which router a route lands on and what its path is. Anything it cannot know is `unknown`.
 */
import type { Expr } from './facts';
import { DYNAMIC } from './paths';

/** Where a string was written: the call whose arguments held it, and how deep that call was. */
export interface Origin {
  mod: string;
  line: number;
  depth: number;
}

export type Framework = 'express' | 'koa' | 'fastify' | 'hono';

export interface RouteReg {
  method: string;
  paths: string[];
  mod: string;
  line: number;
  run: number;
}

/** A router, app, Koa app or Fastify instance: what routes and mounts attach to. */
export interface RouterObj {
  id: number;
  fw: Framework;
  /** A Koa app only takes middleware (`use`); a router takes routes. */
  kind: 'app' | 'router';
  routes: RouteReg[];
  mounts: { child: RouterObj; prefixes: string[]; run: number }[];
  /** A path every route and mount of this router gets first (koa-router's `prefix`). */
  prefix: string;
  /** GraphQL servers mounted here: the path prefixes they answer on. */
  graphql: { prefixes: string[]; run: number }[];
  /** tRPC adapters mounted here (`app.use('/trpc', createExpressMiddleware({ router }))`): the path prefixes they answer on. */
  trpc: { handler: TrpcHandler; prefixes: string[]; run: number }[];
  /** The run (main or an orphan) that created it. */
  run: number;
}

/** A tRPC procedure builder (`t.procedure.meta(m)`) or, once `query`/`mutation`/`subscription` made it, a procedure. */
export interface TrpcProc {
  t: 'trpcProc';
  /** `.meta(m)` calls in order (tRPC merges them shallowly), with where each was written. */
  metas: { meta: Slot; site: Origin }[];
  type?: 'query' | 'mutation' | 'subscription';
  /** The `.query(fn)` call: where the procedure's handler is. */
  site?: Origin;
}

/** An HTTP handler a tRPC adapter made: plain tRPC (`createExpressMiddleware`) or trpc-openapi's REST routes. */
export interface TrpcHandler {
  t: 'trpcHandler';
  router: Value;
  openapi: boolean;
  /** The fetch adapters' `endpoint` option: the path they answer on wherever they run. */
  endpoint?: string[];
  site: Origin;
  run: number;
}

export type Slot = Value | Lazy;

/** A value computed when first needed, in the run and at the call depth where it was declared. */
export interface Lazy {
  lazy: () => Value;
  value?: Value;
  forcing?: boolean;
  run?: number;
  depth?: number;
  /** The expression and frame, so a cheap one can be looked at without running the app's code. */
  e?: Expr;
  frame?: Frame;
  /** Member writes (`x.y = v`) made before the value was needed: applied once it is. */
  writes?: ((v: Value) => void)[];
}

export interface Frame {
  mod: string;
  /** Key of the function running in this frame ('' for a module's top level). */
  fn: string;
  vars: Map<string, Slot>;
  parent?: Frame;
  self?: Value;
  /** The class whose constructor or method runs here (for `super`). */
  home?: ClassValue;
  /** Values of `return` statements met. */
  returns?: Value[];
}

export interface ClassValue {
  t: 'class';
  mod: string;
  key: string;
  env: Frame;
  statics?: Map<string, Slot>;
}

export interface FnValue {
  t: 'fn';
  mod: string;
  key: string;
  env: Frame;
  /** `this` bound (a method read off an instance, `.bind(x)`). */
  self?: Value;
  /** Arguments bound first (`.bind(x, a)`). */
  bound?: Value[];
  home?: ClassValue;
}

export type Value =
  | { t: 'unknown' }
  | { t: 'undef' }
  /** A string (or number) whose text is one of `alts`; `<dynamic>` marks unknown parts. */
  | { t: 'str'; alts: string[]; origin?: Origin }
  | { t: 'lit'; v: boolean | null }
  /** `where`: the place each member was written, for an object literal (GraphQL resolver maps). */
  | { t: 'obj'; props: Map<string, Slot>; open?: true; where?: Map<string, { mod: string; line: number }> }
  | { t: 'arr'; items: Value[]; open?: true }
  | FnValue
  | ClassValue
  /** `base`: what a package class the instance's class extends made (`class Api extends Router`). */
  | { t: 'inst'; cls?: ClassValue; fields: Map<string, Slot>; open?: true; base?: Value }
  | { t: 'module'; mod: string }
  /** Something imported from a package: `express`, `express.Router`, `VersioningType.URI`. */
  | { t: 'pkg'; spec: string; path: string[] }
  | { t: 'router'; r: RouterObj }
  /** express `app.route('/x')`. */
  | { t: 'chain'; r: RouterObj; path: Value }
  /** koa-router `router.routes()` / `router.middleware()`. */
  | { t: 'routes'; r: RouterObj }
  /** koa-mount `mount('/x', app)`. */
  | { t: 'mounted'; prefix: string; child: Value }
  /** A fastify-plugin wrapped plugin: registered without a scope of its own. */
  | { t: 'plugin'; fn: Value }
  /** A GraphQL server's HTTP handler (`expressMiddleware(server)`, `graphqlHTTP(...)`). */
  | { t: 'gql' }
  | TrpcProc
  /** A tRPC router (`t.router({ ... })`, `mergeRouters(a, b)`): its records (objects, or routers merged in). */
  | { t: 'trpcRouter'; parts: Value[] }
  | TrpcHandler
  /** A Nest application (`NestFactory.create(AppModule)`). */
  | { t: 'nest'; root: Value }
  /** A Nest dynamic module from a package call (`RouterModule.register(routes)`, `GraphQLModule.forRoot(opts)`). */
  | { t: 'nestModule'; spec: string; path: string[]; args: Value[] };

/** What a Nest app configured, seen anywhere (`app.setGlobalPrefix`, `app.enableVersioning`, `NestFactory.create`). */
export interface NestSettings {
  globalPrefixes: { prefix: Value; options: Value }[];
  versioning: Value[];
  roots: Value[];
}

export const UNKNOWN: Value = { t: 'unknown' };
export const UNDEF: Value = { t: 'undef' };

/** At most this many alternative texts per string: beyond, the rest is `<dynamic>`. */
const MAX_ALTS = 16;

export function str(text: string, origin?: Origin): Value {
  return origin ? { t: 'str', alts: [text], origin } : { t: 'str', alts: [text] };
}

export function isLazy(s: Slot): s is Lazy {
  return (s as Lazy).lazy !== undefined;
}

/** The alternatives a value stands for as text: `<dynamic>` when it is not a string. */
export function texts(v: Value): string[] {
  return v.t === 'str' ? v.alts : [DYNAMIC];
}

/** Concatenation of values: every combination of alternatives, capped. */
export function concat(parts: Value[]): Value {
  let alts = [''];
  let origin: Origin | undefined;
  for (const p of parts) {
    const next = p.t === 'str' ? p.alts : p.t === 'undef' ? ['undefined'] : [DYNAMIC];
    const out: string[] = [];
    for (const a of alts) for (const b of next) if (out.length < MAX_ALTS) out.push(a + b);
    alts = out;
    // a path is reported where it was completed: where its last written part was written
    if (p.t === 'str' && p.origin) origin = p.origin;
  }
  return { t: 'str', alts: [...new Set(alts)], ...(origin ? { origin } : {}) };
}

/**
 * Either of two values (`c ? a : b`, several `return`s). Strings merge their alternatives; otherwise
 * the one that says more wins (a router over unknown).
 */
export function either(a: Value, b: Value): Value {
  if (a.t === 'str' && b.t === 'str') {
    const alts = [...new Set([...a.alts, ...b.alts])].slice(0, MAX_ALTS);
    const origin = a.origin && (!b.origin || a.origin.depth <= b.origin.depth) ? a.origin : b.origin;
    return { t: 'str', alts, ...(origin ? { origin } : {}) };
  }
  if (a.t === 'unknown' || a.t === 'undef') return b.t === 'undef' ? a : b;
  return a;
}

/**
 * `a || b` / `a ?? b`: a known non-empty `a` is the value; an unknown `a` leaves `b`'s constant
 * alternatives (a path written `path || '/default'` keeps `/default`).
 */
export function orElse(a: Value, b: () => Value): Value {
  switch (a.t) {
    case 'undef':
      return b();
    case 'unknown': {
      const other = b();
      return other.t === 'undef' ? UNKNOWN : other;
    }
    case 'lit':
      return a.v ? a : b();
    case 'str': {
      const kept = a.alts.filter((s) => s !== '');
      if (kept.length === a.alts.length) return a;
      const other = b();
      return kept.length === 0 ? other : either({ ...a, alts: kept }, other);
    }
    default:
      return a;
  }
}

/** Whether a value hands a router over (itself, or as a member of what it is). */
export function carriesRouter(v: Value, depth = 0): boolean {
  switch (v.t) {
    case 'router':
    case 'chain':
    case 'routes':
    case 'mounted':
    case 'nest':
      return true;
    case 'arr':
      return depth < 2 && v.items.some((i) => carriesRouter(i, depth + 1));
    case 'inst':
      if (v.base && carriesRouter(v.base, depth)) return true;
    // falls through: an instance carries a router in a field like an object does
    case 'obj':
      if (depth >= 2) return false;
      for (const s of (v.t === 'obj' ? v.props : v.fields).values()) if (!isLazy(s) && carriesRouter(s, depth + 1)) return true;
      return false;
    default:
      return false;
  }
}

/** The paths a path argument stands for: arrays give several; anything not a string is `<dynamic>`. */
export function pathsOf(v: Value, force: (s: Slot) => Value): string[] {
  if (v.t === 'arr') return v.items.flatMap((i) => pathsOf(force(i), force));
  return v.t === 'str' ? v.alts : [DYNAMIC];
}
