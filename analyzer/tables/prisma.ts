import ts from 'typescript';
import type { Access, PrismaShape } from './facts';
import { unwrap } from './scope';
// the typescript bundle exports through getters: read the hot ones once
const { isArrayLiteralExpression, isIdentifier, isObjectLiteralExpression, isPropertyAssignment, isSpreadElement, isStringLiteral } = ts;
const SK = ts.SyntaxKind;

/**
 * The relation-field candidates of a Prisma call's argument: what `include` / `select` load, what
 * relation filters in `where` read (`members: { some: … }`), what nested writes in `data` change
 * (`posts: { create: … }`). Field names are only candidates: schema.prisma decides, when composing,
 * which are relations and to which model.
 */
export function prismaShape(arg: ts.Expression, op: string, literal: Literal = unwrap): PrismaShape | undefined {
  const shape: PrismaShape = {};
  argsShape(arg, shape, op === 'upsert', 0, literal);
  return Object.keys(shape).length ? shape : undefined;
}

const NESTED_WRITES = new Set(['create', 'createMany', 'connectOrCreate', 'upsert', 'update', 'updateMany', 'delete', 'deleteMany', 'set', 'disconnect']);
const RELATION_FILTERS = new Set(['some', 'every', 'none', 'is', 'isNot']);
const LOGICAL = new Set(['AND', 'OR', 'NOT']);
const MAX_DEPTH = 6;

/** An expression, or the object / array literal a constant holding it was initialised with (`select: userSelect`). */
export type Literal = (e: ts.Expression) => ts.Expression;

function props(e: ts.Expression, literal: Literal, depth = 0): [string, ts.Expression][] {
  const o = literal(e);
  if (!isObjectLiteralExpression(o) || depth > 4) return [];
  const out: [string, ts.Expression][] = [];
  for (const p of o.properties) {
    if (isPropertyAssignment(p) && (isIdentifier(p.name) || isStringLiteral(p.name))) out.push([p.name.text, p.initializer]);
    else if (ts.isSpreadAssignment(p)) out.push(...props(p.expression, literal, depth + 1));
  }
  return out;
}

function add(shape: PrismaShape, field: string, access: Access): PrismaShape {
  const had = shape[field];
  if (had) {
    if (access === 'write') had.access = 'write';
  } else shape[field] = { access };
  return (shape[field].sub ??= {});
}

/** The arguments of a call or of a nested read: `include`, `select`, `where`, `orderBy`, `data` (and upsert's `create` / `update`). */
function argsShape(arg: ts.Expression, shape: PrismaShape, upsert: boolean, depth: number, literal: Literal): void {
  if (depth > MAX_DEPTH) return;
  for (const [key, value] of props(arg, literal)) {
    if (key === 'include' || key === 'select') selectShape(value, shape, depth, literal);
    else if (key === 'where') whereShape(value, shape, depth, literal);
    else if (key === 'orderBy') {
      for (const o of elements(value, literal)) for (const [f, v] of props(o, literal)) if (isObjectLiteralExpression(unwrap(v))) add(shape, f, 'read');
    } else if (key === 'data' || (upsert && (key === 'create' || key === 'update'))) for (const d of elements(value, literal)) dataShape(d, shape, depth, literal);
  }
}

function selectShape(value: ts.Expression, shape: PrismaShape, depth: number, literal: Literal): void {
  for (const [field, v] of props(value, literal)) {
    if (field === '_count') {
      // `_count: { select: { posts: true } }` counts related rows
      for (const [k, sel] of props(v, literal)) if (k === 'select') selectShape(sel, shape, depth + 1, literal);
      continue;
    }
    const x = literal(v);
    if (x.kind === SK.FalseKeyword) continue;
    const sub = add(shape, field, 'read');
    if (isObjectLiteralExpression(x)) argsShape(x, sub, false, depth + 1, literal);
  }
}

function whereShape(value: ts.Expression, shape: PrismaShape, depth: number, literal: Literal): void {
  if (depth > MAX_DEPTH) return;
  for (const [field, v] of props(value, literal)) {
    if (LOGICAL.has(field)) {
      for (const o of elements(v, literal)) whereShape(o, shape, depth + 1, literal);
      continue;
    }
    if (!isObjectLiteralExpression(unwrap(v))) continue;
    const sub = add(shape, field, 'read');
    const inner = props(v, literal);
    // `members: { some: { … } }` filters on the related model; a to-one filter may be written directly
    if (inner.some(([k]) => RELATION_FILTERS.has(k))) {
      for (const [k, f] of inner) if (RELATION_FILTERS.has(k)) whereShape(f, sub, depth + 1, literal);
    } else whereShape(v, sub, depth + 1, literal);
  }
}

function dataShape(value: ts.Expression, shape: PrismaShape, depth: number, literal: Literal): void {
  if (depth > MAX_DEPTH) return;
  for (const [field, v] of props(value, literal)) {
    const ops = props(v, literal);
    if (!ops.some(([k]) => NESTED_WRITES.has(k) || k === 'connect')) continue;
    const writes = ops.some(([k]) => NESTED_WRITES.has(k));
    const sub = add(shape, field, writes ? 'write' : 'read');
    for (const [op, arg] of ops) {
      if (op === 'create' || op === 'update' || op === 'upsert' || op === 'updateMany') {
        for (const d of elements(arg, literal)) {
          const inner = props(d, literal);
          const data = inner.find(([k]) => k === 'data')?.[1];
          if (op === 'upsert') argsShape(d, sub, true, depth + 1, literal);
          else if (data && op !== 'create') dataShape(data, sub, depth + 1, literal);
          else dataShape(d, sub, depth + 1, literal);
        }
      } else if (op === 'createMany') {
        for (const [k, d] of props(arg, literal)) if (k === 'data') for (const x of elements(d, literal)) dataShape(x, sub, depth + 1, literal);
      } else if (op === 'connectOrCreate') {
        for (const d of elements(arg, literal)) for (const [k, c] of props(d, literal)) if (k === 'create') dataShape(c, sub, depth + 1, literal);
      }
    }
  }
}

function elements(e: ts.Expression, literal: Literal): ts.Expression[] {
  const x = literal(e);
  return isArrayLiteralExpression(x) ? x.elements.filter((el) => !isSpreadElement(el)) : [x];
}
