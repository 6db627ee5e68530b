/**
 * What one file says about routing, as plain JSON-serializable data. `collectRouteFacts` produces it
 * per file without a type checker; `composeRoutes` joins the files through their imports/exports.
 *
 * Every binding that matters gets a *key*, unique within its module: a top-level name is its own key
 * (`ordersRouter`), a binding inside a function is `name@line` (`r@12`), a class property is
 * `Class.prop`. References to router values are `ValueRef`s over those keys.
 */

/** One step applied to a value: read a member (`.router`) or call it (`createRouter(db)`, `new X()`). */
export type RefStep = { member: string } | { call: true };

/** An expression that may denote a router: a binding key or a `require()` as base, then steps. */
export interface ValueRef {
  /** A key of this module (router, import, alias, factory, class). */
  key?: string;
  /** `require('<specifier>')` as the base. */
  require?: string;
  steps: RefStep[];
}

export interface RouterDeclFact {
  /** `app` for `express()`, `router` for `Router()` / `express.Router()`, `param` for a parameter typed as a router. */
  kind: 'app' | 'router' | 'param';
  line: number;
}

export interface RouteRegFact {
  /** The value the method is called on (`router` in `router.get(...)`). */
  on: ValueRef;
  /** Upper case method; `ALL` for `.all`. */
  method: string;
  /** Paths as statically known (an array path gives several); `<dynamic>` stands for unknown parts. */
  paths: string[];
  line: number;
}

export interface MountFact {
  /** The value `.use` is called on. */
  on: ValueRef;
  /** Prefixes (`''` when `use` has no path argument). */
  prefixes: string[];
  /** Every argument that may be a router (middleware functions are filtered out when composing). */
  children: ValueRef[];
  /**
   * `use(API_PREFIX, router)` with an imported first argument: a prefix if that import is a string
   * constant, else one more child.
   */
  prefixConstant?: { marker: string; ref: ValueRef };
  line: number;
}

/** A call `register(app)` of a function whose parameter is a router: routes registered on the parameter belong to `app`. */
export interface ParamCallFact {
  callee: ValueRef;
  /** Index of the argument and what was passed there. */
  args: { index: number; value: ValueRef }[];
  line: number;
}

export interface ImportFact {
  /** The specifier as written. */
  from: string;
  /** Exported name, `default`, or `*` (namespace import / `require`). */
  name: string;
}

/** `export { local as name }` / `module.exports = x` (ref) or `export { a as name } from './x'` (from + name). */
export interface ExportFact {
  ref?: ValueRef;
  from?: string;
  name?: string;
}

export interface FunctionFact {
  /** What the function returns, when that may be a router. */
  returns?: ValueRef;
  /** Keys of the parameters that are routers (index → key). */
  params: Record<number, string>;
}

export interface NestRouteFact {
  method: string;
  paths: string[];
  line: number;
}

export interface NestControllerFact {
  className: string;
  paths: string[];
  line: number;
  routes: NestRouteFact[];
}

export interface RouteFacts {
  routers: Record<string, RouterDeclFact>;
  routes: RouteRegFact[];
  mounts: MountFact[];
  paramCalls: ParamCallFact[];
  imports: Record<string, ImportFact>;
  exports: Record<string, ExportFact>;
  /** Specifiers of `export * from`. */
  exportStars: string[];
  /** `module.exports = x` / `export = x`: the module value itself is `exports.default`. */
  exportEquals: boolean;
  /** Variables initialised with something that may evaluate to a router (`const r = createRouter(db)`). */
  aliases: Record<string, ValueRef>;
  /** Functions (top-level or nested) by key. */
  functions: Record<string, FunctionFact>;
  /** Class names declared here (for `new C().router`), with their router-valued property keys. */
  classes: Record<string, { props: Record<string, string> }>;
  /**
   * Exported top-level string constants (`API_PREFIX`, `PATHS.orders` for an object), evaluated, so
   * paths in other files can use them. Paths may hold import markers (`\u0001NAME\u0002`) that
   * `composeRoutes` replaces with these.
   */
  constants: Record<string, string>;
  /** `app.setGlobalPrefix('api')` arguments found in this file. */
  globalPrefixes: string[];
  controllers: NestControllerFact[];
}

export function emptyFacts(): RouteFacts {
  return {
    routers: {},
    routes: [],
    mounts: [],
    paramCalls: [],
    imports: {},
    exports: {},
    exportStars: [],
    exportEquals: false,
    aliases: {},
    functions: {},
    classes: {},
    constants: {},
    globalPrefixes: [],
    controllers: [],
  };
}
