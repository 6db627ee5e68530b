/**
 * The ground truth of one corpus, `bench/truth/<name>.truth.json`, written by reading the app's source.
 * Every entry carries `file:line` evidence; paths are relative to the corpus's analyzed folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const evidence = z.string().min(1);
const modulePath = z.string().min(1).refine((p) => !path.isAbsolute(p), 'a path relative to the analyzed folder');

export const TruthRouteSchema = z.strictObject({
  method: z.string().regex(/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ALL)$/, 'an upper-case HTTP method or ALL'),
  /** The full path a client requests, express syntax (`/api/v1/users/:id`). */
  path: z.string().startsWith('/'),
  /** The file that registers the handler. */
  module: modulePath,
  line: z.number().int().positive(),
  evidence,
  /** Health, readiness, metrics, catch-alls, `/`: never a reason to call a candidate a service. */
  infra: z.boolean().optional(),
});

export const TruthTableSchema = z.strictObject({
  /** The module that makes the call. */
  module: modulePath,
  /** The table as the database sees it (after naming strategies, `@@map`, camel-case plugins). */
  table: z.string().min(1),
  access: z.enum(['read', 'write']),
  line: z.number().int().positive(),
  evidence,
  /** Where the model or query names this table, and why it is this name. */
  mapping: evidence,
});

export const TruthOperationSchema = z.strictObject({
  /** Query, Mutation, Subscription, or the object type of a field resolver. */
  type: z.string().min(1),
  field: z.string().min(1),
  module: modulePath,
  line: z.number().int().positive(),
  evidence,
  /** The HTTP path the schema is served on, where the app says. */
  endpoint: z.string().startsWith('/').optional(),
});

export const TruthFileSchema = z.strictObject({
  corpus: z.string().min(1),
  notes: z.string(),
  routes: z.array(TruthRouteSchema),
  tables: z.array(TruthTableSchema),
  graphql: z.array(TruthOperationSchema).optional(),
});

export type TruthRoute = z.infer<typeof TruthRouteSchema>;
export type TruthTable = z.infer<typeof TruthTableSchema>;
export type TruthOperation = z.infer<typeof TruthOperationSchema>;
export type TruthFile = z.infer<typeof TruthFileSchema>;

export class TruthFileError extends Error {}

/** Reads and checks one truth file; a malformed one is a TruthFileError naming the file and the entry. */
export function readTruthFile(file: string): TruthFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TruthFileError(`${file}: ${(e as Error).message}`);
  }
  const parsed = TruthFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TruthFileError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Names of truth modules that are not files under `dir`: the truth no longer fits the laid-out corpus. */
export function missingModules(truth: TruthFile, dir: string): string[] {
  const all = new Set([...truth.routes, ...truth.tables, ...(truth.graphql ?? [])].map((e) => e.module));
  return [...all].filter((m) => !fs.existsSync(path.join(dir, m))).sort();
}
