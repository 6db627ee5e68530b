/**
 * What one file says, as plain JSON-serializable data: a small program (the file's statements and
 * expressions reduced to what can build, hand over or name a router) that `composeRoutes` runs.
 * `collectRouteFacts` produces it per file without a type checker.
 *
 * Every binding gets a *key*, unique within its module: a top-level name is its own key
 * (`ordersRouter`), a binding inside a function is `name@pos`. Functions are `f@pos`, classes `c@pos`.
 */

export type Expr =
  /** A string, number, boolean or null literal; a template without substitutions. */
  | { k: 'lit'; v: string | number | boolean | null }
  | { k: 'undef' }
  /** A binding of this module (parameter, variable, function, class, import). */
  | { k: 'var'; key: string }
  /** A name bound nowhere in the file (`Object`, `process`, `console`). */
  | { k: 'glob'; name: string }
  | { k: 'this' }
  | { k: 'super' }
  | { k: 'mem'; obj: Expr; name: string }
  /** `obj[index]`. */
  | { k: 'idx'; obj: Expr; index: Expr }
  /** `fn(args)`; `line` is the line of the callee's last name (`get` in `router.get(...)`). */
  | { k: 'call'; fn: Expr; args: Expr[]; line: number }
  | { k: 'new'; fn: Expr; args: Expr[]; line: number }
  | { k: 'spread'; e: Expr }
  | { k: 'obj'; props: Prop[] }
  | { k: 'arr'; items: Expr[] }
  /** Concatenation: template literals and `+`. */
  | { k: 'cat'; parts: Expr[] }
  /** `a || b`, `a ?? b`. */
  | { k: 'or'; a: Expr; b: Expr }
  /** `c ? a : b`, `a && b` (the value may be either). */
  | { k: 'alt'; a: Expr; b: Expr }
  | { k: 'fn'; key: string }
  | { k: 'class'; key: string }
  /** `require('x')`. */
  | { k: 'req'; spec: string }
  /** `import('x')`. */
  | { k: 'imp'; spec: string }
  /** `target = value` used as an expression. */
  | { k: 'set'; target: Expr; v: Expr }
  /**
   * Not read (the file was read shallowly): the initializer of binding `key`, or the expression of
   * export `exp`. Evaluating it reads the file again with everything.
   */
  | { k: 'elided'; key?: string; exp?: string }
  /** A regular expression literal (a path that matches many). */
  | { k: 're' }
  /** Anything else: not statically known. */
  | { k: 'dyn' };

export type Prop =
  | { name: string; v: Expr; line: number }
  | { get: string; fn: string; line: number }
  | { spread: Expr };

/** A destructuring target: where in the source value each bound key comes from. */
export interface PatternFact {
  /** key → path of member names (array indexes as numbers) and a default. */
  binds: { key: string; path: (string | number)[]; def?: Expr; rest?: true; hint?: ParamHint }[];
}

export type Stmt =
  | { k: 'expr'; e: Expr }
  /** `const key = <inits[key]>`: the initializer runs when the binding is first read (or at once, see README). */
  | { k: 'let'; key: string }
  | { k: 'destr'; pat: PatternFact; init: Expr }
  | { k: 'ret'; e: Expr }
  /** `for (const x of iter)` (`in`: over the keys). */
  | { k: 'for'; key?: string; pat?: PatternFact; iter: Expr; of: boolean; body: Stmt[] };

/** What a parameter's declared type or name says it holds when no caller hands it anything. */
export type ParamHint = 'express' | 'fastify' | 'koa' | 'hono' | 'nest' | 'router';

export interface ParamFact {
  key?: string;
  pat?: PatternFact;
  def?: Expr;
  rest?: true;
  /** `constructor(private readonly x: X)`: also sets `this.x`. */
  prop?: string;
  hint?: ParamHint;
}

export interface FunctionFact {
  params: ParamFact[];
  /** Statements; `null` when the file was read shallowly (its bodies are read again when needed). */
  body: Stmt[] | null;
  line: number;
  name?: string;
  /** Arrow function: `this` is the enclosing one. */
  arrow?: true;
  /**
   * The body (nested functions included) holds a call that may register a route: a member call named
   * like a route or mount method, a computed-member call, or a `this.x(...)` call.
   */
  reg?: true;
}

export interface DecoratorFact {
  fn: Expr;
  args: Expr[];
  line: number;
}

export interface MemberFact {
  name: string;
  kind: 'method' | 'get' | 'set' | 'field' | 'ctor';
  static?: true;
  fn?: string;
  init?: Expr;
  decorators?: DecoratorFact[];
  line: number;
}

export interface ClassFact {
  name?: string;
  line: number;
  ext?: Expr;
  decorators?: DecoratorFact[];
  members: MemberFact[];
  /** Read shallowly: no members (the file is read again when the class is needed). */
  elided?: true;
  /** A member's body or a field initializer holds a call that may register a route (see FunctionFact.reg). */
  reg?: true;
}

export interface ImportFact {
  /** The specifier as written. */
  from: string;
  /** Exported name, `default`, or `*` (namespace import / `import x = require()`). */
  name: string;
}

/** `export { local as name }` (key), `export default <expr>` (e), `export { a as name } from './x'` (from + name). */
export interface ExportFact {
  key?: string;
  e?: Expr;
  from?: string;
  name?: string;
}

export interface RouteFacts {
  /**
   * Everything was read. Else (a file that is not a routing file, read by the analyze pipeline) only
   * names, imports, exports and the top-level statements that run: initializers, functions and classes
   * are read again, with this file parsed again, the moment the analysis needs one.
   */
  deep: boolean;
  /**
   * A routing file: it imports an HTTP framework, Nest or GraphQL, a top-level function takes an
   * `app`/`router` parameter, or it holds a top-level resolver map. Only in routing files do functions
   * nobody calls run on their own.
   */
  routing: boolean;
  body: Stmt[];
  fns: Record<string, FunctionFact>;
  classes: Record<string, ClassFact>;
  imports: Record<string, ImportFact>;
  exports: Record<string, ExportFact>;
  /** Specifiers of `export * from`. */
  exportStars: string[];
  /** Assigns `module.exports` / `exports.x` (CommonJS): the module's value is its `module` object's `exports`. */
  cjs: boolean;
  /** Binding key → key of the function declaring it ('' at top level). */
  owner: Record<string, string>;
  /** Initializers of `let`/`const`/`var` bindings, for reads before the declaring statement ran (hoisting, cycles). */
  inits: Record<string, Expr>;
  /** Function declarations (hoisted): binding key → function key. */
  funcDecls: Record<string, string>;
  /** Class declarations: binding key → class key. */
  classDecls: Record<string, string>;
  /** Top-level functions and classes that run on their own when nobody calls them (routing files only). */
  roots: { fn?: string; cls?: string }[];
  /** Known HTTP framework / GraphQL packages imported: the line of the first import; `types` when only types are. */
  frameworks: Record<string, { line: number; types?: true }>;
  /** Object literals with `Query`/`Mutation`/`Subscription` members (schema-first GraphQL resolver maps). */
  resolverMaps: { e: Expr; line: number }[];
}

export function emptyFacts(): RouteFacts {
  return {
    deep: true,
    routing: false,
    body: [],
    fns: {},
    classes: {},
    imports: {},
    exports: {},
    exportStars: [],
    cjs: false,
    owner: {},
    inits: {},
    funcDecls: {},
    classDecls: {},
    roots: [],
    frameworks: {},
    resolverMaps: [],
  };
}
