import ts from 'typescript';

/** A file is read for knex chains when it names knex or calls a conventional instance with a string. */
export const KNEX_HINT = /\bknex\b|\b(?:db|trx)\s*\(\s*['"`]/;

/** Names a knex instance conventionally goes by (besides variables assigned `knex(config)`). */
export const KNEX_INSTANCE_NAMES = ['knex', 'db', 'trx'];

const WRITES = new Set(['insert', 'update', 'del', 'delete', 'truncate', 'upsert', 'increment', 'decrement']);
const TABLE_METHODS = new Set(['from', 'into', 'table']);
const JOINS = new Set(['join', 'innerJoin', 'leftJoin', 'leftOuterJoin', 'rightJoin', 'rightOuterJoin', 'fullOuterJoin', 'crossJoin']);
const SCHEMA_METHODS = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'dropTable', 'dropTableIfExists', 'renameTable', 'table']);

export interface KnexAccess {
  name: string;
  access: 'read' | 'write';
  definition: boolean;
  /** The string literal naming the table (for its line). */
  at: ts.Node;
}

/**
 * The tables of one knex chain, read from its outermost call: `db('users').where(...).update(...)`
 * writes users; `knex.select('*').from('orders').leftJoin('users', ...)` reads orders and users;
 * `knex.schema.createTable('t', ...)` defines t. `calls` receives every call of the chain, so the
 * caller skips them when its walk reaches them.
 */
export function knexChain(outer: ts.CallExpression, isInstance: (e: ts.Expression) => boolean, calls: Set<ts.Node>): KnexAccess[] {
  const methods: { name: string; args: readonly ts.Expression[] }[] = [];
  let base: { table?: ts.Expression } | undefined;
  let e: ts.Expression = outer;
  let schema = false;
  for (let guard = 0; guard < 64; guard++) {
    if (ts.isCallExpression(e)) {
      calls.add(e);
      const callee = e.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        methods.push({ name: callee.name.text, args: e.arguments });
        e = callee.expression;
        continue;
      }
      if (isInstance(callee)) base = { table: e.arguments[0] };
      break;
    }
    if (ts.isPropertyAccessExpression(e)) {
      if (isInstance(e)) {
        base = {};
        break;
      }
      if (e.name.text === 'schema') schema = true;
      e = e.expression;
      continue;
    }
    if (isInstance(e)) base = {};
    break;
  }
  if (!base) return [];
  const out: KnexAccess[] = [];
  const add = (arg: ts.Expression | undefined, access: 'read' | 'write', definition = false): void => {
    if (arg && ts.isStringLiteralLike(arg)) {
      const name = tableName(arg.text);
      if (name) out.push({ name, access, definition, at: arg });
    }
  };
  if (schema) {
    for (const m of methods) if (SCHEMA_METHODS.has(m.name)) add(m.args[0], 'write', true);
    return out;
  }
  const write = methods.some((m) => WRITES.has(m.name));
  add(base.table, write ? 'write' : 'read');
  for (const m of methods) {
    if (TABLE_METHODS.has(m.name)) add(m.args[0], write ? 'write' : 'read');
    else if (JOINS.has(m.name)) add(m.args[0], 'read');
  }
  return out;
}

/** `users as u` → `users`, `public.users` → `users`; undefined for what is not a plain name. */
function tableName(text: string): string | undefined {
  const name = text.trim().split(/\s+as\s+|\s+/i)[0].replace(/^(?:public|main|dbo)\./, '');
  return /^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?$/.test(name) ? name : undefined;
}
