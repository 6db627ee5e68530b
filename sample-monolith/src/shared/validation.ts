import { ValidationError, type FieldProblem } from './errors';

/** A field rule. Hand-rolled on purpose: this app predates the team's zod adoption. */
export type Rule =
  | { type: 'string'; required?: boolean; min?: number; max?: number; pattern?: RegExp; oneOf?: readonly string[] }
  | { type: 'email'; required?: boolean }
  | { type: 'int'; required?: boolean; min?: number; max?: number }
  | { type: 'boolean'; required?: boolean }
  | { type: 'object'; required?: boolean; fields: Schema };

export type Schema = Record<string, Rule>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function check(value: unknown, rule: Rule, field: string, problems: FieldProblem[]): void {
  if (value === undefined || value === null) {
    if (rule.required !== false) problems.push({ field, problem: 'is required' });
    return;
  }
  switch (rule.type) {
    case 'string': {
      if (typeof value !== 'string') return void problems.push({ field, problem: 'must be a string' });
      if (rule.min !== undefined && value.trim().length < rule.min) problems.push({ field, problem: `must be at least ${rule.min} characters` });
      if (rule.max !== undefined && value.length > rule.max) problems.push({ field, problem: `must be at most ${rule.max} characters` });
      if (rule.pattern && !rule.pattern.test(value)) problems.push({ field, problem: `must match ${rule.pattern}` });
      if (rule.oneOf && !rule.oneOf.includes(value)) problems.push({ field, problem: `must be one of ${rule.oneOf.join(', ')}` });
      return;
    }
    case 'email':
      if (typeof value !== 'string' || !EMAIL.test(value)) problems.push({ field, problem: 'must be an email address' });
      return;
    case 'int': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return void problems.push({ field, problem: 'must be an integer' });
      if (rule.min !== undefined && value < rule.min) problems.push({ field, problem: `must be >= ${rule.min}` });
      if (rule.max !== undefined && value > rule.max) problems.push({ field, problem: `must be <= ${rule.max}` });
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') problems.push({ field, problem: 'must be true or false' });
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) return void problems.push({ field, problem: 'must be an object' });
      for (const [key, inner] of Object.entries(rule.fields)) check((value as Record<string, unknown>)[key], inner, `${field}.${key}`, problems);
      return;
  }
}

/** Checks `input` against `schema`; throws a 400 listing every bad field, else returns it typed. */
export function validate<T>(input: unknown, schema: Schema, what = 'request body'): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError(`The ${what} must be a JSON object`);
  }
  const problems: FieldProblem[] = [];
  for (const [field, rule] of Object.entries(schema)) check((input as Record<string, unknown>)[field], rule, field, problems);
  if (problems.length > 0) {
    throw new ValidationError(`Invalid ${what}: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, problems);
  }
  return input as T;
}

/** Parses a positive integer path parameter such as `:id`. */
export function intParam(raw: string | string[] | undefined, name: string): number {
  const value = Array.isArray(raw) ? raw.join('/') : raw;
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n <= 0) throw new ValidationError(`Path parameter ${name} must be a positive integer, got "${value ?? ''}"`, [{ field: name, problem: 'must be a positive integer' }]);
  return n;
}

/** Parses an optional integer from the query string. */
export function intQuery(value: unknown, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min || n > max) {
    throw new ValidationError(`Query parameter ${name} must be an integer between ${min} and ${max}, got "${String(value)}"`, [{ field: name, problem: `must be an integer between ${min} and ${max}` }]);
  }
  return n;
}

export function stringQuery(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
