/**
 * Scores one analyzer report against one corpus's ground truth. Pure: no files, no processes.
 *
 * - A route is exact when the report has the same method and the same full path, after normalising both
 *   the way a router compares them: one leading slash, no doubled or trailing slashes, static segments
 *   compared case-insensitively, parameters equal whatever their name or syntax (`:id`, `:userId`,
 *   `{id}`, `:id(\\d+)`), wildcards equal whatever their name (`*`, `*path`, `{*splat}`).
 * - A table access is found when the report's entry for the same module lists the same table with the same
 *   access. Table names compare the way the database resolves them: quotes dropped, case folded, the default
 *   schema (`public.`, `main.`, `dbo.`) dropped, and a schema-qualified name equal to its bare name when
 *   only one side names the schema. Schema definitions (`definesTables`) are not accesses.
 * - A "shares no table" reason is false when a candidate's dataCoupling reason says so while the truth has
 *   one of its modules touching a table that a module outside it also touches (read or write, as the
 *   ranking counts it).
 */
import type { Report } from '../../analyzer/types';
import type { TruthFile, TruthOperation, TruthRoute, TruthTable } from './truth-file';

export function normalizeMethod(method: string): string {
  return method.trim().toUpperCase();
}

/** One path segment, normalised: parameters become `:`, wildcards `*`, static text lower case. */
function normalizeSegment(seg: string): string {
  const s = seg.trim();
  if (/^\{?\*[^/]*\}?$/.test(s) || /^\(\.\*\)$/.test(s)) return '*'; // *, *path, {*splat}, (.*)
  if (/^:[^/]+$/.test(s) || /^\{[^*][^/]*\}$/.test(s)) return ':' + (s.endsWith('?') ? '?' : ''); // :id, :id(\d+), {id}, :id?
  return s.toLowerCase();
}

export function normalizePath(p: string): string {
  let s = p.trim();
  // Express 5 / path-to-regexp 8 optional groups `{/*wildcard}` and `{/:id}` keep their meaning as a segment.
  s = s.replace(/\{\/(\*[^}]*|:[^}]*)\}/g, '/$1');
  const segs = s.split('/').filter((x) => x.length > 0).map(normalizeSegment);
  return '/' + segs.join('/');
}

export function routeKey(method: string, p: string): string {
  return `${normalizeMethod(method)} ${normalizePath(p)}`;
}

const DEFAULT_SCHEMAS = new Set(['public', 'main', 'dbo']);

/** [schema or '', bare name], both unquoted and case-folded. */
export function normalizeTable(name: string): [string, string] {
  const parts = name
    .trim()
    .split('.')
    .map((x) => x.trim().replace(/^["`[]|["`\]]$/g, '').toLowerCase());
  const bare = parts.pop() ?? '';
  const schema = parts.pop() ?? '';
  return [DEFAULT_SCHEMAS.has(schema) ? '' : schema, bare];
}

export function sameTable(a: string, b: string): boolean {
  const [sa, na] = normalizeTable(a);
  const [sb, nb] = normalizeTable(b);
  return na === nb && (sa === sb || sa === '' || sb === '');
}

export function normalizeModule(m: string): string {
  return m.replace(/\\/g, '/').replace(/^\.\//, '');
}

/** A GraphQL operation as the report gives it, whatever the field names it settles on. */
export interface ReportOperation {
  type: string;
  field: string;
  module: string;
}

/**
 * The report's GraphQL operations: `report.graphql` (an array, or `{ operations: [...] }`) or
 * `report.operations`; each with `type` (or `operation` / `kind` / `parentType`), `field` (or `name`) and `module`.
 * Returns null when the report has none of these (the analyzer does not report operations yet).
 */
export function reportOperations(report: unknown): ReportOperation[] | null {
  const r = report as Record<string, unknown>;
  const g = r.graphql as unknown;
  const list = Array.isArray(g) ? g : g && typeof g === 'object' && Array.isArray((g as Record<string, unknown>).operations) ? (g as { operations: unknown[] }).operations : Array.isArray(r.operations) ? (r.operations as unknown[]) : null;
  if (!list) return null;
  const str = (o: Record<string, unknown>, keys: string[]): string => {
    for (const k of keys) if (typeof o[k] === 'string') return o[k] as string;
    return '';
  };
  return list
    .filter((o): o is Record<string, unknown> => !!o && typeof o === 'object')
    .map((o) => ({ type: str(o, ['type', 'operation', 'kind', 'parentType']), field: str(o, ['field', 'name']), module: normalizeModule(str(o, ['module', 'file'])) }));
}

export interface RouteMiss {
  route: TruthRoute;
  /** A route the report has that looks like this one: the same path under another method, or the same method with segments lost or gained (a prefix, a version). */
  reportedAs?: string;
}

export interface TableMiss {
  entry: TruthTable;
  /** What the report says this module touches, for context ("reads Users" when the truth says write, or nothing). */
  reportHas: string;
}

export interface FalseNoTable {
  candidate: string;
  module: string;
  table: string;
  outside: string;
}

export interface CorpusScore {
  routes: { listed: number; exact: number; infraListed: number; infraExact: number; misses: RouteMiss[] };
  tables: { listed: number; found: number; misses: TableMiss[] };
  graphql: { listed: number; found: number | null; misses: TruthOperation[] };
  falseNoTable: { candidatesSayingNone: number; falseCount: number; cases: FalseNoTable[] };
}

const NO_TABLE = /^Shares no database table with code outside it/;

/** Whether `short`'s segments appear in order in `long`, ending on the same segment: a path that lost (or gained) a prefix or a version segment. */
function dropsSegments(long: string[], short: string[]): boolean {
  if (short.length === 0 || short.length >= long.length || short[short.length - 1] !== long[long.length - 1]) return false;
  let i = 0;
  for (const seg of long) if (i < short.length && seg === short[i]) i++;
  return i === short.length;
}

function nearRoute(truth: TruthRoute, reported: { method: string; path: string }[]): string | undefined {
  const want = normalizePath(truth.path);
  const method = normalizeMethod(truth.method);
  const segs = (p: string): string[] => p.split('/').filter(Boolean);
  const samePath = reported.find((r) => normalizePath(r.path) === want);
  if (samePath) return `${normalizeMethod(samePath.method)} ${samePath.path}`;
  const w = segs(want);
  const similar = reported.find((r) => {
    if (normalizeMethod(r.method) !== method) return false;
    const h = segs(normalizePath(r.path));
    return dropsSegments(w, h) || dropsSegments(h, w);
  });
  return similar ? `${normalizeMethod(similar.method)} ${similar.path}` : undefined;
}

export function scoreCorpus(truth: TruthFile, report: Pick<Report, 'routes' | 'modules' | 'candidates'> & Record<string, unknown>): CorpusScore {
  // Routes
  const reported = report.routes ?? [];
  const keys = new Set(reported.map((r) => routeKey(r.method, r.path)));
  const routeMisses: RouteMiss[] = [];
  let exact = 0;
  let infraExact = 0;
  for (const r of truth.routes) {
    if (keys.has(routeKey(r.method, r.path))) {
      exact++;
      if (r.infra) infraExact++;
    } else {
      routeMisses.push({ route: r, reportedAs: nearRoute(r, reported) });
    }
  }

  // Tables
  const byModule = new Map<string, { name: string; access: string }[]>();
  for (const m of report.modules ?? []) byModule.set(normalizeModule(m.id), m.tables ?? []);
  const tableMisses: TableMiss[] = [];
  let found = 0;
  for (const t of truth.tables) {
    const has = byModule.get(normalizeModule(t.module));
    if (has?.some((x) => x.access === t.access && sameTable(x.name, t.table))) {
      found++;
      continue;
    }
    const about = has?.filter((x) => sameTable(x.name, t.table)) ?? [];
    const reportHas = has === undefined ? 'module not in the report' : about.length ? about.map((x) => `${x.access} ${x.name}`).join(', ') : has.length ? `${has.length} other table access(es)` : 'no table access';
    tableMisses.push({ entry: t, reportHas });
  }

  // GraphQL operations
  const ops = reportOperations(report);
  const wantOps = truth.graphql ?? [];
  const opMisses = wantOps.filter((o) => !ops?.some((x) => x.type === o.type && x.field === o.field && x.module === normalizeModule(o.module)));

  // False "shares no table": truth accesses of modules inside a candidate against those outside it.
  const cases: FalseNoTable[] = [];
  let sayingNone = 0;
  for (const c of report.candidates ?? []) {
    const term = c.terms.find((t) => t.name === 'dataCoupling');
    if (!term || !NO_TABLE.test(term.reason)) continue;
    sayingNone++;
    const inside = new Set(c.modules.map(normalizeModule));
    let hit: FalseNoTable | undefined;
    for (const t of truth.tables) {
      if (!inside.has(normalizeModule(t.module))) continue;
      const other = truth.tables.find((u) => !inside.has(normalizeModule(u.module)) && sameTable(u.table, t.table));
      if (other) {
        hit = { candidate: c.name || c.id, module: t.module, table: t.table, outside: other.module };
        break;
      }
    }
    if (hit) cases.push(hit);
  }

  return {
    routes: { listed: truth.routes.length, exact, infraListed: truth.routes.filter((r) => r.infra).length, infraExact, misses: routeMisses },
    tables: { listed: truth.tables.length, found, misses: tableMisses },
    graphql: { listed: wantOps.length, found: ops === null ? null : wantOps.length - opMisses.length, misses: opMisses },
    falseNoTable: { candidatesSayingNone: sayingNone, falseCount: cases.length, cases },
  };
}

export function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`;
}
