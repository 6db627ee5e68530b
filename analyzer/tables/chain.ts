import ts from 'typescript';
import type { Access, AssociationFact, KnownAccess, ModelFact, NameRef, PrismaUse, Reach, RefUse } from './facts';
import { readAssociation, readDefine, readInit } from './models';
import type { DataLibraries } from './libraries';
import { plainTableName } from './naming';
import { prismaShape } from './prisma';
import { exprRef, isCapitalized, unwrap, type AliasTarget, type EntityRef, type Scopes, type Sym, type TypeInfo } from './scope';
import {
  KNEX_JOINS,
  KNEX_NAMES,
  KNEX_SCHEMA,
  KNEX_STARTERS,
  KNEX_TABLE_METHODS,
  KNEX_WRITES,
  KYSELY_CTES,
  KYSELY_READS,
  KYSELY_TARGETS,
  PRISMA_READS,
  PRISMA_WRITES,
  REPOSITORY_GETTERS,
  SEQUELIZE_TRANSPARENT,
  TYPEORM_JOINS,
  TYPEORM_QB_WRITES,
  mayBeModelOp,
} from './vocabulary';
// the typescript bundle exports through getters: read the hot ones once
const { isArrayLiteralExpression, isArrowFunction, isAsExpression, isBinaryExpression, isCallExpression, isConditionalExpression, isElementAccessExpression, isFunctionExpression, isIdentifier, isNewExpression, isNonNullExpression, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isStringLiteral, isStringLiteralLike, isTemplateExpression } = ts;
const SK = ts.SyntaxKind;

/**
 * Reads one call chain (`this.repo.createQueryBuilder('p').leftJoin('p.variants', 'v').getMany()`)
 * from its base outwards, as a small interpreter over values: what the base is (a knex instance, a
 * Prisma client, a repository, a model class, an instance of a type), and what each member or call
 * turns it into. Accesses are reported to the sink as they become known.
 */

export type Step = { member: string; node: ts.Node } | { call: readonly ts.Expression[]; node: ts.CallExpression };

/** The base expression and the steps applied to it, base first. */
export function unwind(outer: ts.Expression): { base: ts.Expression; steps: Step[] } {
  const steps: Step[] = [];
  let e = outer;
  for (;;) {
    if (isCallExpression(e)) {
      steps.push({ call: e.arguments, node: e });
      e = e.expression;
    } else if (isPropertyAccessExpression(e)) {
      steps.push({ member: e.name.text, node: e.name });
      e = e.expression;
    } else if (isNonNullExpression(e) || isParenthesizedExpression(e) || isAsExpression(e)) {
      e = e.expression;
    } else break;
  }
  return { base: e, steps: steps.reverse() };
}

interface BuilderTable {
  expr: ts.Expression;
  /** `target`: the statement's own table (written by a writing chain); `read`: joined / used. */
  role: 'target' | 'read';
}

interface Builder {
  kind: 'knex' | 'kysely';
  tables: BuilderTable[];
  write: boolean;
  /** Kysely: the statement's access (read for selectFrom). */
  access?: Access;
  ctes: Set<string>;
  schema: boolean;
}

interface QueryBuilder {
  root?: EntityRef;
  rootLine: number;
  aliases: Record<string, AliasTarget>;
  write: boolean;
  reach: Reach[];
  /** `addCommonTableExpression(qb, 'name')`: names that are not entities or tables. */
  ctes?: Set<string>;
  /** Root access already reported (a builder kept in a variable). */
  reported: boolean;
}

export type Value =
  | { k: 'unknown'; name?: string }
  | { k: 'knex' }
  | { k: 'builder'; b: Builder }
  | { k: 'prisma' }
  | { k: 'prismaModel'; accessor: string }
  | { k: 'repository'; entity: EntityRef }
  | { k: 'manager' }
  | { k: 'queryBuilder'; qb: QueryBuilder }
  | { k: 'model'; ref: NameRef; byName?: true }
  | { k: 'instance'; ref: NameRef }
  | { k: 'string'; value: string };

export interface ChainSink {
  readonly scopes: Scopes;
  /** Sequelize is named in the file (for `define` / `init`). */
  readonly sequelize: boolean;
  /** `db`, `trx`, `tx` may be knex instances: the project uses knex and the file does not import Kysely (whose instances go by the same names). */
  readonly knexNames: boolean;
  /** The data libraries whose forms are read (see libraries.ts). */
  readonly libs: DataLibraries;
  line(node: ts.Node): number;
  known(a: KnownAccess): void;
  use(u: RefUse): void;
  prisma(u: PrismaUse): void;
  gap(node: ts.Node, what: string): void;
  association(a: AssociationFact): void;
  model(m: ModelFact): void;
  /** A callback's parameter is known (`knex.transaction((trx) => …)`). */
  callbackParam(fn: ts.SignatureDeclaration, index: number, sym: Sym): void;
  /** CTE names of a chain: not tables anywhere inside it (nested chains, raw SQL). */
  cteScope(names: ReadonlySet<string>): void;
  /** `this` where the chain stands: a model class in a static method, an instance in an instance method. */
  thisValue(): Value | undefined;
  /** The value of `this.<name>` (class members). */
  member(name: string): Sym | undefined;
  /** The class the chain stands in. */
  className(): string | undefined;
  /** Names of typeorm / knex / prisma types imported here (`Repository`, `EntityManager`, `Knex`). */
  typeKind(ref: NameRef): 'repository' | 'manager' | 'knex' | 'prisma' | undefined;
  snippet(node: ts.Node): string;
}

const UNKNOWN: Value = { k: 'unknown' };

/** A value under a name knex instances go by (`db`, `trx`), in a file that does not use Kysely instead. */
function isKnexName(v: Value, sink: ChainSink): boolean {
  return v.k === 'unknown' && v.name !== undefined && KNEX_NAMES.has(v.name) && sink.knexNames;
}

export function symValue(sym: Sym | undefined, name: string | undefined, sink: ChainSink): Value {
  if (!sym) return { k: 'unknown', name };
  switch (sym.k) {
    case 'local':
    case 'subquery':
    case 'literal':
      return { k: 'unknown', name };
    case 'string':
      return { k: 'string', value: sym.value };
    case 'knex':
      return { k: 'knex' };
    case 'prisma':
      return { k: 'prisma' };
    case 'manager':
      return { k: 'manager' };
    case 'repository':
      return { k: 'repository', entity: sym.entity };
    case 'queryBuilder':
      return { k: 'queryBuilder', qb: { root: sym.root, rootLine: 0, aliases: { ...sym.aliases }, write: false, reach: [], reported: true } };
    case 'typed':
      return typedValue(sym.type, name, sink);
  }
}

function typedValue(t: TypeInfo, name: string | undefined, sink: ChainSink): Value {
  if (t.static) return { k: 'model', ref: t.ref };
  const kind = sink.typeKind(t.ref);
  const libs = sink.libs;
  if (kind === 'repository' && libs.orm) return t.generic ? { k: 'repository', entity: { ref: t.generic } } : UNKNOWN;
  if (kind === 'manager' && libs.orm) return { k: 'manager' };
  if (kind === 'knex' && libs.knex) return { k: 'knex' };
  if (kind === 'prisma' && libs.prisma) return { k: 'prisma' };
  // an instance of a class we cannot see here: a model, a custom repository, or neither (composing decides);
  // a conventional knex / prisma name keeps its meaning
  if (name && (KNEX_NAMES.has(name) || /prisma/i.test(name))) return { k: 'unknown', name };
  return libs.orm ? { k: 'instance', ref: t.ref } : UNKNOWN;
}

/** Evaluates a chain, reporting accesses; returns the value it ends with. */
export function readChain(outer: ts.Expression, sink: ChainSink, seen: Set<ts.Node>): Value {
  const { base, steps } = unwind(outer);
  for (const s of steps) if ('call' in s) seen.add(s.node);
  let v: Value | undefined = baseValue(base, steps, sink);
  let i = 0;
  // `db.selectFrom` on anything: Kysely needs no receiver (expression builders, transactions)
  for (; i < steps.length && v !== undefined; i++) {
    const s = steps[i];
    const next = steps[i + 1];
    if ('call' in s) {
      v = callValue(v, undefined, s.call, sink);
      continue;
    }
    if (next && 'call' in next) {
      v = callValue(v, s, next.call, sink);
      i++;
    } else v = memberValue(v, s.member, sink.libs);
  }
  if (v?.k === 'builder' && v.b.ctes.size > 0) sink.cteScope(v.b.ctes);
  finish(v, sink);
  return v ?? UNKNOWN;
}

function baseValue(base: ts.Expression, steps: Step[], sink: ChainSink): Value {
  if (base.kind === SK.ThisKeyword) {
    const first = steps[0];
    if (first && 'member' in first) {
      const sym = sink.member(first.member);
      if (sym) {
        steps.shift();
        return symValue(sym, first.member, sink);
      }
      const next = steps[1];
      // `this.findAll()` in a model class, `this.db(...)`, `this.prisma.user`
      if (next && 'call' in next && mayBeModelOp(first.member)) return sink.thisValue() ?? UNKNOWN;
      steps.shift();
      return { k: 'unknown', name: first.member };
    }
    return sink.thisValue() ?? UNKNOWN;
  }
  if (isIdentifier(base)) {
    const name = base.text;
    const sym = sink.scopes.get(name);
    if (sym) return symValue(sym, name, sink);
    if (isCapitalized(name) && sink.scopes.isModuleBinding(name)) {
      // `models.User.findAll()`: a member of a namespace import
      const first = steps[0];
      const second = steps[1];
      if (first && 'member' in first && isCapitalized(first.member) && second && 'member' in second) {
        steps.shift();
        return { k: 'model', ref: { local: name, member: first.member } };
      }
      return { k: 'model', ref: { local: name } };
    }
    if (sink.scopes.isModuleBinding(name)) {
      const first = steps[0];
      const second = steps[1];
      // `db.User.findAll()` where db is an imported object of models
      if (first && 'member' in first && isCapitalized(first.member) && second && 'member' in second && !/prisma/i.test(name)) {
        steps.shift();
        return { k: 'model', ref: { local: name, member: first.member } };
      }
    }
    return { k: 'unknown', name };
  }
  if (isElementAccessExpression(base)) {
    const obj = unwrap(base.expression);
    const objName = isIdentifier(obj) ? obj.text : isPropertyAccessExpression(obj) ? obj.name.text : undefined;
    if (sink.libs.prisma && objName && /prisma/i.test(objName) && steps.length >= 2) sink.gap(base, `a Prisma model chosen at run time (\`${sink.snippet(base)}\`)`);
    return UNKNOWN;
  }
  if (isNewExpression(base)) {
    const ref = exprRef(base.expression);
    if (ref && isIdentifier(base.expression) && base.expression.text === 'PrismaClient') return sink.libs.prisma ? { k: 'prisma' } : UNKNOWN;
    return ref ? { k: 'instance', ref } : UNKNOWN;
  }
  return UNKNOWN;
}

function memberValue(v: Value | undefined, member: string, libs: DataLibraries): Value | undefined {
  if (!v) return undefined;
  if (v.k === 'prisma' || (libs.prisma && v.k === 'unknown' && v.name && /prisma/i.test(v.name))) return member.startsWith('$') ? UNKNOWN : { k: 'prismaModel', accessor: member };
  if (v.k === 'builder' || v.k === 'queryBuilder') return v;
  if (v.k === 'knex' || (libs.knex && v.k === 'unknown' && v.name && KNEX_NAMES.has(v.name))) {
    if (member === 'schema') return { k: 'builder', b: newBuilder('knex', true) };
    if (v.k === 'knex') return { k: 'unknown', name: member };
  }
  if (v.k === 'repository') return member === 'manager' ? { k: 'manager' } : UNKNOWN;
  if (v.k === 'unknown' || v.k === 'instance' || v.k === 'manager') {
    // `sequelize.models.User`, `dataSource.manager`, `this.connection`
    if (member === 'models') return { k: 'unknown', name: 'models' };
    if (libs.orm && (member === 'manager' || member === 'connection')) return { k: 'manager' };
    if (libs.orm && v.k === 'unknown' && v.name === 'models' && isCapitalized(member)) return { k: 'model', ref: { local: member }, byName: true };
    return { k: 'unknown', name: member };
  }
  return UNKNOWN;
}

function newBuilder(kind: 'knex' | 'kysely', schema = false): Builder {
  return { kind, tables: [], write: false, ctes: new Set(), schema };
}

/** `v.member(args)` (member given) or `v(args)` (a direct call of the value). */
function callValue(v: Value | undefined, step: { member: string; node: ts.Node } | undefined, args: readonly ts.Expression[], sink: ChainSink): Value | undefined {
  if (!v) return undefined;
  const m = step?.member;
  if (m === undefined) {
    // `({ selectFrom }) => selectFrom('t')`: Kysely's expression builder, destructured
    const target = sink.libs.kysely && v.k === 'unknown' && v.name ? KYSELY_TARGETS.get(v.name) : undefined;
    if (target) {
      const b = newBuilder('kysely');
      b.access = target;
      for (const e of tableArgs(args[0])) b.tables.push({ expr: e, role: 'target' });
      return { k: 'builder', b };
    }
    // TypeORM's global functions: `getRepository(User)`, `getManager()`, `getConnection()`
    if (sink.libs.orm && v.k === 'unknown' && v.name) {
      if (REPOSITORY_GETTERS.has(v.name)) {
        const entity = entityArg(args, sink);
        return entity ? { k: 'repository', entity } : UNKNOWN;
      }
      if (v.name === 'getManager' || v.name === 'getConnection' || v.name === 'getMongoManager') return { k: 'manager' };
    }
    // a direct call: `db('users')`, `this.db<Row>(TABLE)`, `knex(config)`
    if (v.k === 'knex' || isKnexName(v, sink)) {
      const b = newBuilder('knex');
      if (args[0]) b.tables.push({ expr: args[0], role: 'target' });
      return { k: 'builder', b };
    }
    return UNKNOWN;
  }
  // Kysely's statement starters and CTEs, on any receiver
  const libs = sink.libs;
  const kyselyTarget = libs.kysely ? KYSELY_TARGETS.get(m) : undefined;
  // a builder begun like knex (`db.with(...)`) that goes on like Kysely is Kysely
  if (kyselyTarget && (v.k !== 'builder' || v.b.kind === 'kysely' || v.b.tables.every((t) => t.role !== 'target'))) {
    const b = v.k === 'builder' ? v.b : newBuilder('kysely');
    b.kind = 'kysely';
    b.access = kyselyTarget;
    for (const e of tableArgs(args[0])) b.tables.push({ expr: e, role: 'target' });
    return { k: 'builder', b };
  }
  if (libs.kysely && KYSELY_CTES.has(m) && v.k !== 'knex' && !isKnexName(v, sink) && v.k !== 'builder' && v.k !== 'queryBuilder') {
    const b = newBuilder('kysely');
    addCte(b, args[0]);
    return { k: 'builder', b };
  }
  if (m === 'transaction' || m === '$transaction') {
    const fn = args.find((a): a is ts.ArrowFunction | ts.FunctionExpression => isArrowFunction(a) || isFunctionExpression(a));
    const sym: Sym | undefined =
      libs.prisma && (v.k === 'prisma' || m === '$transaction') ? { k: 'prisma' } : v.k === 'knex' || isKnexName(v, sink) ? { k: 'knex' } : libs.orm ? { k: 'manager' } : undefined;
    if (fn && sym) sink.callbackParam(fn, 0, sym);
    return UNKNOWN;
  }
  if (m === 'define' && libs.orm && sink.sequelize && (v.k === 'unknown' || v.k === 'instance' || v.k === 'manager')) {
    const model = readDefine(args, undefined, sink.line(step!.node));
    if (model) sink.model(model);
    return UNKNOWN;
  }
  if (m === 'model' && libs.orm && (v.k === 'unknown' || v.k === 'instance' || v.k === 'manager') && args[0] && isStringLiteralLike(args[0])) return { k: 'model', ref: { local: args[0].text }, byName: true };
  switch (v.k) {
    case 'builder':
      return builderCall(v.b, m, args);
    case 'knex':
      return knexStart(m, args);
    case 'prismaModel':
      prismaCall(v.accessor, m, args, step!.node, sink);
      return UNKNOWN;
    case 'repository':
      return repositoryCall(v.entity, m, args, step!.node, sink);
    case 'queryBuilder':
      return qbCall(v.qb, m, args, sink);
    case 'model':
      return libs.orm ? modelCall(v, m, args, step!.node, sink) : UNKNOWN;
    case 'instance':
      if (!libs.orm) return UNKNOWN;
      if (REPOSITORY_GETTERS.has(m)) {
        const entity = entityArg(args, sink);
        return entity ? { k: 'repository', entity } : UNKNOWN;
      }
      if (mayBeModelOp(m)) sink.use({ ref: v.ref, as: 'model', via: 'instance', op: m, line: sink.line(step!.node), ...reachOf(args, m, sink) });
      // `this.connection.getEntityOrThrow(ctx, Payment, id)`: a wrapper of the app's own, typed as its class
      argumentUse(m, args, step!.node, sink);
      return UNKNOWN;
    case 'manager':
    case 'unknown': {
      if (isKnexName(v, sink) && KNEX_STARTERS.has(m)) return knexStart(m, args);
      if (!libs.orm) return UNKNOWN;
      if (REPOSITORY_GETTERS.has(m)) {
        const entity = entityArg(args, sink);
        return entity ? { k: 'repository', entity } : UNKNOWN;
      }
      if (m === 'createQueryBuilder') {
        const entity = args.length >= 2 || (args[0] && !isStringLiteralLike(args[0])) ? entityArg(args.slice(0, 1), sink, false) : undefined;
        const qb = newQb(entity, sink.line(step!.node));
        const alias = args[entity ? 1 : 0];
        if (alias && isStringLiteralLike(alias)) qb.aliases[alias.text] = { path: [] };
        return { k: 'queryBuilder', qb };
      }
      argumentUse(m, args, step!.node, sink);
      return UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

/** Any other call naming a model class as an argument: `manager.find(User, …)`, `connection.getEntityOrThrow(ctx, Zone, id)`. */
export function argumentUse(op: string, args: readonly ts.Expression[], node: ts.Node, sink: ChainSink): void {
  if (!mayBeModelOp(op)) return;
  for (let i = 0; i < args.length; i++) {
    const ref = exprRef(args[i]);
    if (!ref || !isCapitalized(ref.member ?? ref.local) || !sink.scopes.isModuleBinding(ref.local)) continue;
    sink.use({ ref, as: 'model', via: 'argument', op, line: sink.line(node), ...reachOf(args.slice(i + 1), op, sink) });
    return;
  }
}

// ---- knex and Kysely -------------------------------------------------------------------------

function knexStart(m: string, args: readonly ts.Expression[]): Value {
  const b = newBuilder('knex');
  return builderCall(b, m, args);
}

function builderCall(b: Builder, m: string, args: readonly ts.Expression[]): Value {
  if (b.kind === 'knex') {
    if (b.schema) {
      if (KNEX_SCHEMA.has(m) && args[0]) b.tables.push({ expr: args[0], role: 'target' });
    } else if (KNEX_TABLE_METHODS.has(m) && args[0]) b.tables.push({ expr: args[0], role: 'target' });
    else if (KNEX_JOINS.has(m) && args[0]) b.tables.push({ expr: args[0], role: 'read' });
    else if (KNEX_WRITES.has(m)) b.write = true;
    else if (m === 'with' || m === 'withRecursive' || m === 'withMaterialized') addCte(b, args[0]);
  } else {
    if (KYSELY_READS.has(m)) for (const e of tableArgs(args[0])) b.tables.push({ expr: e, role: 'read' });
    else if (KYSELY_CTES.has(m)) addCte(b, args[0]);
  }
  return { k: 'builder', b };
}

/** `'users'`, `['a', 'b']` (Kysely), `TABLE`; callbacks and subqueries are read as chains of their own. */
function tableArgs(arg: ts.Expression | undefined): ts.Expression[] {
  if (!arg) return [];
  const e = unwrap(arg);
  if (isArrayLiteralExpression(e)) return e.elements.filter((x) => !isSpreadElement(x));
  return [e];
}

function addCte(b: Builder, arg: ts.Expression | undefined): void {
  const e = arg && unwrap(arg);
  // Kysely allows `with('name(col1, col2)', …)`
  if (e && isStringLiteralLike(e)) b.ctes.add(e.text.replace(/\(.*$/s, '').trim());
}

function finishBuilder(b: Builder, sink: ChainSink): void {
  for (const t of b.tables) {
    const access: Access = t.role === 'read' ? 'read' : b.kind === 'kysely' ? (b.access ?? 'read') : b.write || b.schema ? 'write' : 'read';
    tableName(t.expr, sink, access, b, b.schema);
  }
}

/** A table named in a builder call: a literal, a constant (here or imported), a template of those, or a gap. */
function tableName(e: ts.Expression, sink: ChainSink, access: Access, b: Builder, definition: boolean): void {
  e = unwrap(e);
  const line = sink.line(e);
  const kysely = b.kind === 'kysely' ? { kysely: true as const } : {};
  // subqueries and callbacks (`selectFrom((eb) => …)`, `from(db('x').as('t'))`) are chains of their own
  if (isArrowFunction(e) || isFunctionExpression(e) || isCallExpression(e) || isObjectLiteralExpression(e)) return;
  if (isIdentifier(e) && sink.scopes.get(e.text)?.k === 'subquery') return;
  const alternatives = isIdentifier(e) ? sink.scopes.get(e.text) : undefined;
  if (alternatives?.k === 'string' && alternatives.alternatives) {
    for (const text of alternatives.alternatives) {
      const name = plainTableName(text);
      if (name !== undefined && !b.ctes.has(name)) sink.known({ name, access, line, ...(definition ? { definition: true as const } : {}), ...kysely });
    }
    return;
  }
  const s = evalString(e, sink);
  if (s && 'value' in s) {
    const name = plainTableName(s.value);
    if (name !== undefined && !b.ctes.has(name)) sink.known({ name, access, line, ...(definition ? { definition: true as const } : {}), ...kysely });
    return;
  }
  if (s) {
    const use: RefUse = { ref: s.refs[0], as: 'table', access, line, ...(definition ? { op: 'define' } : {}), ...kysely };
    if (s.refs.some((r) => r.local === 'this')) use.ofClass = sink.className();
    if (s.parts.length > 2 || s.parts[0] !== '' || s.parts[1] !== '') use.template = s;
    sink.use(use);
    return;
  }
  sink.gap(e, `a table name from \`${sink.snippet(e)}\``);
}

/** `cond ? A : B`, `a ?? B`, `a || B` where every side is a string known here: all of them. */
export function stringAlternatives(e: ts.Expression, sink: ChainSink): string[] | undefined {
  e = unwrap(e);
  const sides =
    isConditionalExpression(e)
      ? [e.whenTrue, e.whenFalse]
      : isBinaryExpression(e) && (e.operatorToken.kind === SK.QuestionQuestionToken || e.operatorToken.kind === SK.BarBarToken)
        ? [e.left, e.right]
        : undefined;
  if (!sides) return undefined;
  const out: string[] = [];
  for (const side of sides) {
    const nested = stringAlternatives(side, sink);
    if (nested) {
      out.push(...nested);
      continue;
    }
    const v = evalString(side, sink);
    if (!v || !('value' in v)) return undefined;
    out.push(v.value);
  }
  return out;
}

/**
 * A string expression's value: a literal, a constant here (`TABLE`, `T.users`, `this.tableName` set
 * from a literal), or, when it names constants of other files, the template composing fills in.
 */
export function evalString(e: ts.Expression, sink: ChainSink): { value: string } | { parts: string[]; refs: NameRef[] } | undefined {
  e = unwrap(e);
  if (isStringLiteralLike(e)) return { value: e.text };
  if (isPropertyAccessExpression(e) && e.expression.kind === SK.ThisKeyword) {
    const sym = sink.member(e.name.text);
    if (sym?.k === 'string') return { value: sym.value };
    // set by the constructor or a subclass's `super(...)`: composing follows it
    return sym || !sink.className() ? undefined : { parts: ['', ''], refs: [{ local: 'this', member: e.name.text }] };
  }
  if (isTemplateExpression(e)) {
    // `${quoteIdentifier(schema)}.job`: a schema from elsewhere, the table known
    const only = e.templateSpans.length === 1 ? e.templateSpans[0] : undefined;
    if (only && e.head.text === '' && /^\.[A-Za-z_][\w$]*$/.test(only.literal.text) && !evalString(only.expression, sink)) return { value: only.literal.text.slice(1) };
    const parts = [e.head.text];
    const refs: NameRef[] = [];
    for (const span of e.templateSpans) {
      const v = evalString(span.expression, sink);
      if (!v) return undefined;
      if ('value' in v) parts[parts.length - 1] += v.value + span.literal.text;
      else {
        // an imported constant: its value is known when composing
        parts[parts.length - 1] += v.parts[0];
        for (let i = 0; i < v.refs.length; i++) {
          refs.push(v.refs[i]);
          parts.push(v.parts[i + 1]);
        }
        parts[parts.length - 1] += span.literal.text;
      }
    }
    return refs.length ? { parts, refs } : { value: parts[0] };
  }
  const ref = exprRef(e);
  if (!ref) return undefined;
  const sym = sink.scopes.get(ref.member ? `${ref.local}.${ref.member}` : ref.local);
  if (sym?.k === 'string') return { value: sym.value };
  if (ref.member === undefined && sym) return undefined;
  return sink.scopes.isModuleBinding(ref.local) ? { parts: ['', ''], refs: [ref] } : undefined;
}

// ---- Prisma ----------------------------------------------------------------------------------

function prismaCall(accessor: string, op: string, args: readonly ts.Expression[], node: ts.Node, sink: ChainSink): void {
  const read = PRISMA_READS.has(op);
  if (!read && !PRISMA_WRITES.has(op)) return;
  const use: PrismaUse = { accessor, access: read ? 'read' : 'write', line: sink.line(node) };
  const shape = args[0] ? prismaShape(args[0], op, (e) => literalOf(e, sink)) : undefined;
  if (shape) use.shape = shape;
  sink.prisma(use);
}

// ---- TypeORM ---------------------------------------------------------------------------------

function newQb(root: EntityRef | undefined, line: number): QueryBuilder {
  return { root, rootLine: line, aliases: {}, write: false, reach: [], reported: false };
}

function repositoryCall(entity: EntityRef, m: string, args: readonly ts.Expression[], node: ts.Node, sink: ChainSink): Value {
  if (m === 'createQueryBuilder') {
    const qb = newQb(entity, sink.line(node));
    const alias = args[0];
    if (alias && isStringLiteralLike(alias)) qb.aliases[alias.text] = { path: [] };
    return { k: 'queryBuilder', qb };
  }
  if (m === 'extend') return { k: 'repository', entity };
  if (mayBeModelOp(m)) sink.use({ ...entityUse(entity), as: 'model', via: 'repository', op: m, line: sink.line(node), ...reachOf(args, m, sink) });
  return UNKNOWN;
}

function entityUse(entity: EntityRef): { ref: NameRef; byName?: true } {
  return 'ref' in entity ? { ref: entity.ref } : { ref: { local: entity.name }, byName: true };
}

/** The entity among a call's arguments: a class (`User`, `models.User`) or a name (`'User'`); a variable is a gap. */
function entityArg(args: readonly ts.Expression[], sink: ChainSink, gapIfNone = true): EntityRef | undefined {
  for (const a of args) {
    const e = unwrap(a);
    if (isStringLiteralLike(e)) return { name: e.text };
    const ref = exprRef(e);
    if (ref && isCapitalized(ref.member ?? ref.local)) return { ref };
  }
  const variable = [...args].reverse().find((a) => isIdentifier(unwrap(a)));
  if (gapIfNone && variable) sink.gap(variable, `a repository of an entity chosen at run time (\`${sink.snippet(variable)}\`)`);
  return undefined;
}

function qbCall(qb: QueryBuilder, m: string, args: readonly ts.Expression[], sink: ChainSink): Value {
  if (m === 'subQuery') return { k: 'queryBuilder', qb: newQb(undefined, 0) };
  if (m === 'addCommonTableExpression') {
    const name = args[1] && unwrap(args[1]);
    if (name && isStringLiteralLike(name)) (qb.ctes ??= new Set()).add(name.text);
    return { k: 'queryBuilder', qb };
  }
  const isCte = (e: ts.Expression | undefined): boolean => e !== undefined && isStringLiteralLike(e) && qb.ctes?.has(e.text) === true;
  if (isCte(args[0] && unwrap(args[0])) || (m.includes('AndMap') && isCte(args[1] && unwrap(args[1])))) return { k: 'queryBuilder', qb };
  if (m === 'from' || m === 'into' || (m === 'update' && args.length > 0)) {
    const e = args[0] && unwrap(args[0]);
    if (e && !isArrowFunction(e) && !isFunctionExpression(e)) {
      const entity = isStringLiteralLike(e) ? { name: e.text } : exprRef(e) ? { ref: exprRef(e)! } : undefined;
      if (entity && !qb.root) {
        qb.root = entity;
        qb.rootLine = sink.line(e);
      } else if (entity) qb.reach.push(entityReach(entity));
      const alias = args[1] && unwrap(args[1]);
      if (alias && isStringLiteralLike(alias)) qb.aliases[alias.text] = { path: [] };
    }
  }
  if (TYPEORM_QB_WRITES.has(m) || m === 'into') qb.write = true;
  if (TYPEORM_JOINS.has(m)) {
    const at = m.includes('AndMap') ? 1 : 0;
    const target = args[at] && unwrap(args[at]);
    const alias = args[at + 1] && unwrap(args[at + 1]);
    let bound: AliasTarget | undefined;
    if (target && isStringLiteralLike(target)) {
      const dot = target.text.indexOf('.');
      if (dot > 0) {
        const from = qb.aliases[target.text.slice(0, dot)];
        const prop = target.text.slice(dot + 1);
        if (from) {
          bound = 'entity' in from ? { entity: from.entity, path: [...from.path, prop] } : { path: [...from.path, prop] };
          qb.reach.push('entity' in bound ? { ...entityReach(bound.entity), path: bound.path } : { path: bound.path });
        }
      } else {
        bound = { entity: { name: target.text }, path: [] };
        qb.reach.push(entityReach(bound.entity));
      }
    } else if (target && !isArrowFunction(target) && !isFunctionExpression(target)) {
      const ref = exprRef(target);
      if (ref) {
        bound = { entity: { ref }, path: [] };
        qb.reach.push({ ref });
      }
    }
    if (bound && alias && isStringLiteralLike(alias)) qb.aliases[alias.text] = bound;
  }
  if (m === 'relation' && args.length >= 2) {
    const entity = exprRef(args[0]);
    const prop = unwrap(args[1]);
    if (entity && isStringLiteralLike(prop)) sink.use({ ref: entity, as: 'model', via: 'repository', access: 'read', line: sink.line(args[0]), reach: [{ path: [prop.text], access: 'write' }] });
    else if (!qb.root && isStringLiteralLike(unwrap(args[0]))) qb.reach.push({ path: [(unwrap(args[0]) as ts.StringLiteral).text], access: 'write' });
  }
  return { k: 'queryBuilder', qb };
}

function entityReach(entity: EntityRef): Reach {
  return 'ref' in entity ? { ref: entity.ref } : { ref: { local: entity.name }, byName: true };
}

function finishQb(qb: QueryBuilder, sink: ChainSink): void {
  if (!qb.root) return;
  if (qb.reported && !qb.write && qb.reach.length === 0) return;
  const use: RefUse = { ...entityUse(qb.root), as: 'model', via: 'repository', access: qb.write ? 'write' : 'read', line: qb.rootLine };
  if (qb.reach.length) use.reach = qb.reach;
  sink.use(use);
  qb.reported = true;
  qb.reach = [];
}

// ---- Sequelize / ActiveRecord statics ----------------------------------------------------------

function modelCall(v: { ref: NameRef; byName?: true }, m: string, args: readonly ts.Expression[], node: ts.Node, sink: ChainSink): Value {
  if (SEQUELIZE_TRANSPARENT.has(m)) return v as Value;
  const assoc = readAssociation(v.ref, m, args);
  if (assoc) {
    sink.association(assoc);
    return UNKNOWN;
  }
  if (m === 'init' && !v.ref.member && !v.byName) {
    const model = readInit(v.ref.local, args, sink.line(node));
    if (model) sink.model(model);
    if (model) return UNKNOWN;
  }
  if (m === 'createQueryBuilder') {
    const qb = newQb({ ref: v.ref }, sink.line(node));
    const alias = args[0];
    if (alias && isStringLiteralLike(alias)) qb.aliases[alias.text] = { path: [] };
    return { k: 'queryBuilder', qb };
  }
  if (m === 'getRepository') return { k: 'repository', entity: { ref: v.ref } };
  if (mayBeModelOp(m)) {
    sink.use({ ref: v.ref, as: 'model', via: 'static', op: m, line: sink.line(node), ...(v.byName ? { byName: true as const } : {}), ...reachOf(args, m, sink) });
    return { k: 'instance', ref: v.ref };
  }
  // `Service.findOrFail(User, …)`-like statics of other classes
  argumentUse(m, args, node, sink);
  // `const post = Post.build({...})`: an instance (composing drops it if Post is no model)
  return { k: 'instance', ref: v.ref };
}

// ---- options: include / relations / where ------------------------------------------------------

/** An expression, or the object / array literal a variable holding it was initialised with. */
function literalOf(e: ts.Expression, sink: ChainSink): ts.Expression {
  e = unwrap(e);
  if (isIdentifier(e)) {
    const sym = sink.scopes.get(e.text);
    if (sym?.k === 'literal') return sym.node;
  }
  return e;
}

/** The properties of an options object, through spreads and variables (`{ ...options, order }`). */
function optionProps(e: ts.Expression, sink: ChainSink, depth = 0): [string, ts.Expression][] {
  const o = literalOf(e, sink);
  if (!isObjectLiteralExpression(o) || depth > 4) return [];
  const out: [string, ts.Expression][] = [];
  for (const p of o.properties) {
    if (isPropertyAssignment(p) && (isIdentifier(p.name) || isStringLiteral(p.name))) out.push([p.name.text, p.initializer]);
    else if (isShorthandPropertyAssignment(p)) out.push([p.name.text, p.name]);
    else if (isSpreadAssignment(p)) out.push(...optionProps(p.expression, sink, depth + 1));
  }
  return out;
}

/** What an ORM call's options reach: Sequelize `include`, TypeORM `relations` and relation filters in `where`. */
export function reachOf(args: readonly ts.Expression[], op: string, sink: ChainSink): { reach?: Reach[] } {
  const out: Reach[] = [];
  // `$get('team')`: the relation is the first argument
  if (op.startsWith('$') && args[0] && isStringLiteralLike(args[0])) out.push({ path: [args[0].text] });
  for (const a of args) {
    for (const [key, value] of optionProps(a, sink)) {
      if (key === 'include') out.push(...includeReach(value, sink));
      else if (key === 'relations') out.push(...relationsReach(value, sink));
      else if (key === 'where') out.push(...whereReach(value, sink, 0));
    }
  }
  return out.length ? { reach: out } : {};
}

function includeReach(init: ts.Expression, sink: ChainSink, depth = 0): Reach[] {
  const e = literalOf(init, sink);
  const items = isArrayLiteralExpression(e) ? e.elements : [e];
  const out: Reach[] = [];
  if (depth > 6) return out;
  for (const item of items) {
    const x = isSpreadElement(item) ? literalOf(item.expression, sink) : literalOf(item, sink);
    if (isArrayLiteralExpression(x)) out.push(...includeReach(x, sink, depth + 1));
    else if (isStringLiteralLike(x)) out.push({ path: [x.text] });
    else if (isObjectLiteralExpression(x)) {
      let r: Reach | undefined;
      let sub: ts.Expression | undefined;
      for (const [key, value] of optionProps(x, sink)) {
        const v = unwrap(value);
        if (key === 'model') {
          const ref = modelExprRef(v);
          if (ref) r = { ...r, ref };
        } else if (key === 'association' && isStringLiteralLike(v) && !r?.ref) r = { ...r, path: [v.text] };
        else if (key === 'as' && isStringLiteralLike(v) && !r) r = { path: [v.text] };
        else if (key === 'include') sub = value;
      }
      if (r) {
        if (r.ref) delete r.path;
        if (sub) {
          const nested = includeReach(sub, sink, depth + 1);
          if (nested.length) r.sub = nested;
        }
        out.push(r);
      }
    } else {
      const ref = modelExprRef(x);
      if (ref) out.push({ ref });
    }
  }
  return out;
}

/** `Team`, `models.Team`, `Team.scope('x')`, `Team.unscoped()`. */
function modelExprRef(e: ts.Expression): NameRef | undefined {
  e = unwrap(e);
  if (isCallExpression(e) && isPropertyAccessExpression(e.expression) && SEQUELIZE_TRANSPARENT.has(e.expression.name.text)) return modelExprRef(e.expression.expression);
  const ref = exprRef(e);
  return ref && isCapitalized(ref.member ?? ref.local) ? ref : undefined;
}

/** TypeORM `relations: ['a', 'a.b']` or `{ a: true, b: { c: true } }`; a conditional keeps both sides. */
function relationsReach(init: ts.Expression, sink: ChainSink, prefix: string[] = []): Reach[] {
  const e = literalOf(init, sink);
  if (isConditionalExpression(e)) return [...relationsReach(e.whenTrue, sink, prefix), ...relationsReach(e.whenFalse, sink, prefix)];
  if (isBinaryExpression(e) && (e.operatorToken.kind === SK.QuestionQuestionToken || e.operatorToken.kind === SK.BarBarToken)) {
    return [...relationsReach(e.left, sink, prefix), ...relationsReach(e.right, sink, prefix)];
  }
  const out: Reach[] = [];
  if (isArrayLiteralExpression(e)) {
    for (const x of e.elements) {
      const s = unwrap(x);
      if (isStringLiteralLike(s)) out.push({ path: [...prefix, ...s.text.split('.')] });
    }
  } else if (isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      if (!isPropertyAssignment(p) || !(isIdentifier(p.name) || isStringLiteral(p.name))) continue;
      const path = [...prefix, p.name.text];
      out.push({ path });
      const v = unwrap(p.initializer);
      if (isObjectLiteralExpression(v)) out.push(...relationsReach(v, sink, path));
    }
  }
  return out;
}

/** Object-valued keys of a `where` (possibly relation filters: composing keeps those that are relations). */
function whereReach(init: ts.Expression, sink: ChainSink, depth: number, prefix: string[] = []): Reach[] {
  if (depth > 3) return [];
  const e = literalOf(init, sink);
  const out: Reach[] = [];
  const objects = isArrayLiteralExpression(e) ? e.elements.map(unwrap) : [e];
  for (const o of objects) {
    if (!isObjectLiteralExpression(o)) continue;
    for (const p of o.properties) {
      if (!isPropertyAssignment(p) || !(isIdentifier(p.name) || isStringLiteral(p.name))) continue;
      const v = unwrap(p.initializer);
      if (!isObjectLiteralExpression(v)) continue;
      const path = [...prefix, p.name.text];
      out.push({ path });
      out.push(...whereReach(v, sink, depth + 1, path));
    }
  }
  return out;
}

// ---- the end of a chain ----------------------------------------------------------------------

function finish(v: Value | undefined, sink: ChainSink): void {
  if (!v) return;
  if (v.k === 'builder') {
    finishBuilder(v.b, sink);
    v.b.tables = [];
  } else if (v.k === 'queryBuilder') finishQb(v.qb, sink);
}

/** What a variable initialised with this value holds. */
export function valueSym(v: Value): Sym | undefined {
  switch (v.k) {
    case 'knex':
      return { k: 'knex' };
    case 'prisma':
      return { k: 'prisma' };
    case 'manager':
      return { k: 'manager' };
    case 'repository':
      return { k: 'repository', entity: v.entity };
    case 'queryBuilder':
      return v.qb.root ? { k: 'queryBuilder', root: v.qb.root, aliases: v.qb.aliases } : undefined;
    case 'instance':
      return { k: 'typed', type: { ref: v.ref } };
    case 'model':
      return v.byName ? undefined : { k: 'typed', type: { ref: v.ref, static: true } };
    case 'string':
      return { k: 'string', value: v.value };
    case 'builder':
      return { k: 'subquery' };
    default:
      return undefined;
  }
}
