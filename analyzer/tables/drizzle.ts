import ts from 'typescript';
import { own, type Access, type DrizzleFacts, type HandedTo, type ImportBinding, type NameRef, type Reach, type RefUse } from './facts';
import { exprRef, unwrap } from './scope';
// the typescript bundle exports through getters: read the hot ones once
const { isCallExpression, isIdentifier, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isStringLiteralLike } = ts;

/**
 * Drizzle ORM, read syntactically: table declarations (`sqliteTable('users', …)`), query builders
 * (`db.select().from(users)`, `db.insert(users)`), relational queries (`db.query.users.findMany({ with })`),
 * `relations(users, …)`, and tables handed to functions. A use names a binding; composing keeps it only
 * when that binding is a Drizzle table (so `Array.from(items)` or `hash.update(SECRET)` count for nothing).
 */

/** Builder methods whose first argument is the statement's table, and what they do to it. */
const BUILDER: Record<string, Access> = {
  from: 'read',
  innerJoin: 'read',
  leftJoin: 'read',
  rightJoin: 'read',
  fullJoin: 'read',
  crossJoin: 'read',
  innerJoinLateral: 'read',
  leftJoinLateral: 'read',
  crossJoinLateral: 'read',
  $count: 'read',
  insert: 'write',
  update: 'write',
  delete: 'write',
};

const RELATIONAL = new Set(['findMany', 'findFirst']);
const TABLE_MAKERS = /^(?:pg|sqlite|mysql|singlestore|gel)(?:Table|View|MaterializedView)$/;
const SCHEMA_MAKERS = /^(?:pg|mysql)Schema$/;

/** What the Drizzle reader needs of the collector. */
export interface DrizzleSink {
  readonly imports: Record<string, ImportBinding>;
  isModuleBinding(name: string): boolean;
  /** The parameter of the enclosing top-level function a name is (by index, and the destructured property). */
  tableParam(name: string): { fn: string; index: number; prop?: string } | undefined;
  line(node: ts.Node): number;
  use(u: RefUse): void;
  snippet(node: ts.Node): string;
}

function fromDrizzle(b: ImportBinding | undefined): boolean {
  return b !== undefined && (b.from === 'drizzle-orm' || b.from.startsWith('drizzle-orm/'));
}

export class DrizzleReader {
  readonly facts: DrizzleFacts = {};
  /** `const s = pgSchema('auth')`: its `.table('x')` is `auth.x`. */
  private readonly schemas = new Map<string, string>();

  constructor(private readonly sink: DrizzleSink) {}

  /** A top-level `const x = sqliteTable('name', …)` / `schema.table('name')` / `pgSchema('s')`: true when it declared a table. */
  declaration(local: string, init: ts.Expression): boolean {
    let e = unwrap(init);
    // `pgView('v').as(…)`, `pgTable('t', …).enableRLS()`: the declaring call is the innermost
    while (isCallExpression(e) && isPropertyAccessExpression(e.expression) && isCallExpression(unwrap(e.expression.expression))) e = unwrap(e.expression.expression);
    if (!isCallExpression(e)) return false;
    const c = e.expression;
    const arg = e.arguments[0] && unwrap(e.arguments[0]);
    const name = arg && isStringLiteralLike(arg) ? arg.text : undefined;
    if (name === undefined) return false;
    if (isIdentifier(c) && SCHEMA_MAKERS.test(c.text) && fromDrizzle(own(this.sink.imports, c.text))) {
      this.schemas.set(local, name);
      return false;
    }
    let table: string | undefined;
    if (isIdentifier(c) && TABLE_MAKERS.test(c.text) && fromDrizzle(own(this.sink.imports, c.text))) table = name;
    else if (isPropertyAccessExpression(c) && isIdentifier(c.expression) && /^(?:table|view|materializedView)$/.test(c.name.text) && this.schemas.has(c.expression.text)) {
      table = `${this.schemas.get(c.expression.text)}.${name}`;
    }
    if (table === undefined) return false;
    (this.facts.tables ??= []).push({ local, name: table, line: this.sink.line(arg) });
    return true;
  }

  /** Any call in a file that uses Drizzle. */
  call(e: ts.CallExpression): void {
    const c = e.expression;
    const args = e.arguments;
    if (isIdentifier(c) && fromDrizzle(own(this.sink.imports, c.text))) {
      if (c.text === 'relations') this.relations(args);
      else if (c.text === 'drizzle') this.schemaOption(args[1]);
      // drizzle-orm's helpers (`eq`, `getTableColumns`, `sql`) touch no table themselves
      return;
    }
    if (isPropertyAccessExpression(c)) {
      const m = c.name.text;
      const access = BUILDER[m];
      if (access && args[0]) {
        this.tableUse(args[0], access, c.name, c.expression, m);
        return;
      }
      if (RELATIONAL.has(m)) {
        const on = unwrap(c.expression);
        if (isPropertyAccessExpression(on) && isPropertyAccessExpression(on.expression) && on.expression.name.text === 'query') {
          const reach = withReach(args[0]);
          this.sink.use({ ref: { local: on.name.text }, as: 'drizzle', byName: true, access: 'read', line: this.sink.line(c.name), ...(reach.length ? { reach } : {}) });
          return;
        }
      }
    }
    this.handed(e);
  }

  /** A table in a builder position: a binding (composing checks it is a table) or a parameter of the enclosing function. */
  private tableUse(arg: ts.Expression, access: Access, node: ts.Node, receiver: ts.Expression, method: string): void {
    const a = unwrap(arg);
    const line = this.sink.line(node);
    if (isIdentifier(a) && !this.sink.isModuleBinding(a.text)) {
      // a parameter is a table only in a call that is surely Drizzle's (`hash.update(value)` is not)
      const p = looksLikeDrizzle(receiver, method) ? this.sink.tableParam(a.text) : undefined;
      if (p) {
        const list = ((this.facts.tableParams ??= {})[p.fn] ??= []);
        list.push({ index: p.index, ...(p.prop ? { prop: p.prop } : {}), name: a.text, access, line });
      }
      return;
    }
    const ref = exprRef(a);
    if (ref && this.sink.isModuleBinding(ref.local)) this.sink.use({ ref, as: 'drizzle', access, line });
  }

  /** `helper(db, users)`, `drizzleAdapter(db, { schema: { user: users } })`: tables handed to a function. */
  private handed(e: ts.CallExpression): void {
    const callee = calleeRef(e.expression);
    if (!callee || fromDrizzle(own(this.sink.imports, callee.local))) return;
    const text = this.sink.snippet(e.expression);
    const line = this.sink.line(e.expression);
    e.arguments.forEach((raw, index) => {
      const a = unwrap(raw);
      const give = (value: ts.Expression, prop?: string): void => {
        const v = unwrap(value);
        if (!isIdentifier(v) || !this.sink.isModuleBinding(v.text)) return;
        const to: HandedTo = { callee, text, index, ...(prop ? { prop } : {}) };
        this.sink.use({ ref: { local: v.text }, as: 'drizzle', via: 'handed', to, line });
      };
      if (!isObjectLiteralExpression(a)) return give(a);
      for (const p of a.properties) {
        if (isShorthandPropertyAssignment(p)) give(p.name, p.name.text);
        else if (isPropertyAssignment(p) && (isIdentifier(p.name) || isStringLiteralLike(p.name))) {
          const init = unwrap(p.initializer);
          // `{ schema: { user: users, … } }`: one level down, named by the outer property
          if (isObjectLiteralExpression(init)) for (const q of init.properties) isPropertyAssignment(q) ? give(q.initializer, p.name.text) : isShorthandPropertyAssignment(q) ? give(q.name, p.name.text) : undefined;
          else give(init, p.name.text);
        }
      }
    });
  }

  /** `relations(users, ({ one, many }) => ({ posts: many(posts), author: one(users, { … }) }))`. */
  private relations(args: readonly ts.Expression[]): void {
    const owner = args[0] && exprRef(args[0]);
    const fn = args[1] && unwrap(args[1]);
    if (!owner || !fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return;
    let body: ts.Node | undefined = fn.body;
    if (body && ts.isBlock(body)) body = body.statements.find(ts.isReturnStatement)?.expression;
    const obj = body && unwrap(body as ts.Expression);
    if (!obj || !isObjectLiteralExpression(obj)) return;
    const relations: Record<string, { target: NameRef }> = {};
    for (const p of obj.properties) {
      if (!isPropertyAssignment(p) || !(isIdentifier(p.name) || isStringLiteralLike(p.name))) continue;
      const call = unwrap(p.initializer);
      const target = isCallExpression(call) && call.arguments[0] ? exprRef(call.arguments[0]) : undefined;
      if (target) relations[p.name.text] = { target };
    }
    (this.facts.relations ??= []).push({ owner, relations });
  }

  /** `drizzle(client, { schema: { users: usersTable } })`: relational-query keys besides the tables' own names. */
  private schemaOption(arg: ts.Expression | undefined): void {
    const opts = arg && unwrap(arg);
    if (!opts || !isObjectLiteralExpression(opts)) return;
    for (const p of opts.properties) {
      if (!isPropertyAssignment(p) || !isIdentifier(p.name) || p.name.text !== 'schema') continue;
      const schema = unwrap(p.initializer);
      if (!isObjectLiteralExpression(schema)) return;
      for (const q of schema.properties) {
        if (isPropertyAssignment(q) && isIdentifier(q.name)) {
          const ref = exprRef(q.initializer);
          if (ref) (this.facts.schemaKeys ??= {})[q.name.text] = ref;
        }
      }
    }
  }
}

/** `db.select().from(p)`, `tx.insert(p)`: a receiver that is a select, or a database under its usual names. */
function looksLikeDrizzle(receiver: ts.Expression, method: string): boolean {
  let e = unwrap(receiver);
  for (;;) {
    if (isCallExpression(e) && isPropertyAccessExpression(e.expression)) {
      if (/^select(?:Distinct(?:On)?)?$/.test(e.expression.name.text) && method !== 'insert' && method !== 'update' && method !== 'delete') return true;
      e = unwrap(e.expression.expression);
    } else if (isPropertyAccessExpression(e)) e = unwrap(e.expression);
    else break;
  }
  return isIdentifier(e) && /^(?:db|tx|trx|database|transaction)$/i.test(e.text) && method !== 'from' && !/Join/.test(method);
}

/** `{ with: { posts: true, author: { with: { profile: true } } } }` as relation paths. */
function withReach(arg: ts.Expression | undefined, depth = 0): Reach[] {
  const opts = arg && unwrap(arg);
  if (!opts || !isObjectLiteralExpression(opts) || depth > 6) return [];
  const w = opts.properties.find((p): p is ts.PropertyAssignment => isPropertyAssignment(p) && isIdentifier(p.name) && p.name.text === 'with');
  const obj = w && unwrap(w.initializer);
  if (!obj || !isObjectLiteralExpression(obj)) return [];
  const out: Reach[] = [];
  for (const p of obj.properties) {
    if (!isPropertyAssignment(p) || !(isIdentifier(p.name) || isStringLiteralLike(p.name))) continue;
    if (p.initializer.kind === ts.SyntaxKind.FalseKeyword) continue;
    const sub = withReach(p.initializer, depth + 1);
    out.push(sub.length ? { path: [p.name.text], sub } : { path: [p.name.text] });
  }
  return out;
}

/** The binding a call is reached from: `helper(…)`, `lib.fn(…)`, `new Store(…).connect(…)`. */
export function calleeRef(c: ts.Expression): NameRef | undefined {
  let e = unwrap(c);
  for (;;) {
    if (isIdentifier(e)) return { local: e.text };
    if (isPropertyAccessExpression(e)) e = unwrap(e.expression);
    else if (isCallExpression(e) || ts.isNewExpression(e)) e = unwrap(e.expression);
    else return undefined;
  }
}
