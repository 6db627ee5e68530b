/**
 * Turns zod issues on the routes config into lines a user can act on:
 * `routes.yaml:12: routes[2].weight: expected a number from 0 to 100, got 150`.
 * Bounds and allowed keys come from the schema itself (as JSON Schema), so messages never drift from it.
 */
import path from 'node:path';
import { z } from 'zod';
import { isMap, isPair, isScalar, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import { FacadeConfigSchema } from '../config/schema';

type Key = PropertyKey;
type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  format?: string;
  pattern?: string;
};

let jsonSchema: JsonSchema | undefined;
function schemaRoot(): JsonSchema {
  jsonSchema ??= z.toJSONSchema(FacadeConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return jsonSchema;
}

/** The sub-schema at a config path; unions resolve to the first branch that has the next step. */
function schemaAt(pathKeys: readonly Key[]): JsonSchema | undefined {
  let s: JsonSchema | undefined = schemaRoot();
  for (const key of pathKeys) {
    if (!s) return undefined;
    s = step(s, key);
  }
  return s;
}
function step(s: JsonSchema, key: Key): JsonSchema | undefined {
  if (s.anyOf) {
    for (const branch of s.anyOf) {
      const next = step(branch, key);
      if (next) return next;
    }
    return undefined;
  }
  if (typeof key === 'number') return s.items;
  if (s.properties && String(key) in s.properties) return s.properties[String(key)];
  return typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
}

export function formatPath(pathKeys: readonly Key[]): string {
  let out = '';
  for (const key of pathKeys) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(top level)';
}

function valueAt(data: unknown, pathKeys: readonly Key[]): unknown {
  let v = data;
  for (const key of pathKeys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<Key, unknown>)[key];
  }
  return v;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const SAFE_INT = Number.MAX_SAFE_INTEGER;
function describeNumber(s: JsonSchema | undefined): string {
  const kind = s?.type === 'integer' ? 'an integer' : 'a number';
  if (!s) return kind;
  const max = s.maximum !== undefined && s.maximum < SAFE_INT ? s.maximum : undefined;
  if (s.minimum !== undefined && max !== undefined) return `${kind} from ${s.minimum} to ${max}`;
  if (s.exclusiveMinimum === 0) return s.type === 'integer' ? 'a positive integer' : 'a positive number';
  if (s.minimum !== undefined) return `${kind} >= ${s.minimum}`;
  if (max !== undefined) return `${kind} <= ${max}`;
  return kind;
}

const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

type Issue = z.core.$ZodIssue;

/** One readable message (without location) per issue; unions are narrowed to the branch whose type matched. */
function describe(issue: Issue, data: unknown): Array<{ path: Key[]; message: string }> {
  const at = issue.path as Key[];
  const got = valueAt(data, at);
  switch (issue.code) {
    case 'invalid_type':
      if (got === undefined) return [{ path: at, message: `missing; expected ${issue.expected === 'number' ? describeNumber(schemaAt(at)) : article(issue.expected)}` }];
      return [{ path: at, message: `expected ${issue.expected === 'number' ? describeNumber(schemaAt(at)) : article(issue.expected)}, got ${show(got)}` }];
    case 'too_big':
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return [{ path: at, message: `expected ${describeNumber(schemaAt(at))}, got ${show(got)}` }];
      if (issue.origin === 'array') return [{ path: at, message: `expected at least ${String(issue.code === 'too_small' ? issue.minimum : '')} item(s), got ${Array.isArray(got) ? got.length : show(got)}` }];
      return [{ path: at, message: `${issue.message}, got ${show(got)}` }];
    case 'invalid_format':
      if (issue.format === 'url') return [{ path: at, message: `expected an http(s) URL, got ${show(got)}` }];
      if (issue.format === 'starts_with') return [{ path: at, message: `expected a string starting with "${String((issue as { prefix?: string }).prefix)}", got ${show(got)}` }];
      return [{ path: at, message: `${issue.message}, got ${show(got)}` }];
    case 'invalid_value':
      return [{ path: at, message: `expected one of ${issue.values.map((v) => String(v)).join(', ')}, got ${show(got)}` }];
    case 'unrecognized_keys': {
      const allowed = Object.keys(schemaAt(at)?.properties ?? {});
      return issue.keys.map((k) => ({ path: [...at, k], message: `unknown key${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}` }));
    }
    case 'invalid_union': {
      // A branch whose top-level type matched says more than "Invalid input".
      const matched = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (matched.length === 1) return matched[0].flatMap((i) => describe({ ...i, path: [...at, ...i.path] } as Issue, data));
      const forms = (schemaAt(at)?.anyOf ?? []).map((b) => (b.type === 'object' ? `an object with ${Object.keys(b.properties ?? {}).join('/')}` : (b.format === 'uri' ? 'a URL' : String(b.type))));
      return [{ path: at, message: `expected ${forms.length ? forms.join(' or ') : 'another form'}, got ${show(got)}` }];
    }
    default:
      return [{ path: at, message: issue.message }];
  }
}

/** Line number (1-based) of the node at `pathKeys`, or of its nearest existing ancestor. */
function lineOf(doc: Document | undefined, lc: LineCounter | undefined, pathKeys: readonly Key[]): number | undefined {
  if (!doc || !lc) return undefined;
  for (let n = pathKeys.length; n >= 0; n--) {
    const parentKeys = pathKeys.slice(0, n);
    // unknown keys: point at the key itself, which lives in the parent map
    if (n === pathKeys.length && n > 0) {
      const parent = parentKeys.length > 1 ? doc.getIn(parentKeys.slice(0, -1), true) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(pathKeys[n - 1]));
        const keyNode = pair?.key as YamlNode | undefined;
        if (keyNode?.range) return lc.linePos(keyNode.range[0]).line;
      }
    }
    const node = (parentKeys.length ? doc.getIn(parentKeys as Key[] as unknown[], true) : doc.contents) as YamlNode | null | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

export function formatIssues(file: string, issues: readonly Issue[], data: unknown, doc?: Document, lc?: LineCounter): string[] {
  const name = path.basename(file);
  return issues.flatMap((issue) =>
    describe(issue, data).map(({ path: p, message }) => {
      const line = lineOf(doc, lc, p);
      return `${name}${line ? `:${line}` : ''}: ${formatPath(p)}: ${message}`;
    }),
  );
}
