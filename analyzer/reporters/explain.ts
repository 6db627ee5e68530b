/**
 * What the reporters have in common: the sentences that explain every printed number, term
 * column names, and small formatting helpers. Kept here so table and md say the same thing.
 */
import type { Candidate, Report, TableUsage } from '../types';
import { SCHEMA_CODE, TERM_ORDER, WEIGHTS } from '../rank/weights';

export const DEFAULT_TOP = 10;
export const MAX_WARNINGS = 20;

/** How many candidates to show: `top` when it is a positive integer, else the default. */
export const topCount = (top: number | undefined): number => (top !== undefined && Number.isInteger(top) && top > 0 ? top : DEFAULT_TOP);

const SHORT_NAMES: Record<string, string> = {
  blastRadius: 'blast',
  dataCoupling: 'data',
  cycleCut: 'cycle',
  takeAlong: 'take',
  size: 'size',
  routePrefix: 'prefix',
};

/** Term names in the weights table's order, then any other term the report carries. */
export function termColumns(candidates: Candidate[]): string[] {
  const names: string[] = [...TERM_ORDER];
  for (const c of candidates) for (const t of c.terms) if (!names.includes(t.name)) names.push(t.name);
  return names;
}

export const shortName = (term: string): string => SHORT_NAMES[term] ?? term;

export const fixed = (x: number, digits = 2): string => x.toFixed(digits);
export const percent = (x: number): string => `${Math.round(x * 1000) / 10} %`;

export const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(report: Report): string {
  const s = report.summary;
  return (
    `${count(s.modules, 'module')}, ${count(s.edges, 'import edge')} (${s.runtimeEdges} runtime, ${s.typeOnlyEdges} type-only` +
    `${s.viaEdges ? `; plus ${s.viaEdges} through barrels to the declaring modules` : ''}), ` +
    `${count(s.cycles, 'runtime cycle')}, ${count(s.routes, 'route')}, ${count(s.tables, 'table')}, ${count(s.warnings, 'warning')}`
  );
}

/** One line saying how the score columns add up. */
export function scoreLegend(columns: string[]): string {
  const parts = columns.map((name) => {
    const weight = (WEIGHTS as Record<string, number>)[name];
    return weight === undefined ? `${shortName(name)} = ${name}` : `${shortName(name)} = ${name} (weight ${weight})`;
  });
  return `score = sum of the term columns, each weight × a 0..1 measure; lower is safer to extract first. ${parts.join(', ')}. Formula: docs/ranking.md.`;
}

export function candidateHeadline(c: Candidate): string {
  const moves: string[] = [];
  if (c.routes.length) moves.push(`routes under ${c.pathPrefixes.length ? c.pathPrefixes.join(', ') : 'no single prefix'}`);
  if (c.graphql?.length) moves.push(`${count(c.graphql.length, 'GraphQL operation')} on ${[...new Set(c.graphql.map((o) => o.path))].join(', ')}`);
  return `${c.rank}. ${c.name}: ${c.kind}, ${count(c.modules.length, 'module')}, score ${fixed(c.score)}, ${moves.length ? moves.join('; ') : 'no routes to move (library)'}`;
}

/** "also ranked as router:src/users/routes.ts (2 modules, 0.24): the same routes and nearly the same modules" */
export function variantsLine(c: Candidate): string | null {
  if (!c.variants?.length) return null;
  const shown = c.variants.slice(0, 3).map((v) => `${v.id} (${count(v.moduleCount, 'module')}, ${fixed(v.score)})`);
  const more = c.variants.length > 3 ? ` and ${c.variants.length - 3} more` : '';
  return `also ranked as ${shown.join(', ')}${more}: the same routes and nearly the same modules, shown once`;
}

/** The modules left out as non-runtime code: which kinds, how many, whether they were counted. */
export function nonRuntimeLine(report: Report): string | null {
  const apart = report.nonRuntime;
  if (!apart || apart.modules.length === 0) return null;
  const kinds = new Map<string, number>();
  for (const m of apart.modules) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
  const parts = [...kinds].sort(([a], [b]) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b)).map(([k, n]) => `${n} ${KIND_WORDS[k]}`);
  const what = `${count(apart.modules.length, 'module')} ${apart.modules.length === 1 ? 'is' : 'are'} not runtime code (${parts.join(', ')})`;
  return apart.counted ? `${what}; counted like runtime modules (--include-non-runtime)` : `${what}: left out of the ranking and reach metrics (--include-non-runtime counts them)`;
}

/**
 * When the list a person sees opens with libraries: where the first candidate the facade can move
 * stands, since a library can only leave as a package or behind calls from the monolith.
 */
export function firstServiceLine(report: Report, shown: number): string | null {
  const top = report.candidates.slice(0, shown);
  if (top.length === 0 || top[0].label === 'service') return null;
  const first = report.candidates.find((c) => c.label === 'service');
  if (!first) return 'No candidate serves routes or GraphQL operations: none can be strangled through the facade, only moved as a library.';
  const libraries = report.candidates.filter((c) => c.label === 'library' && c.rank < first.rank).length;
  return `The first ${count(libraries, 'candidate')} ${libraries === 1 ? 'is a library' : 'are libraries'} (no routes: the facade cannot move them); the first service is #${first.rank} ${first.name} (score ${fixed(first.score)}).`;
}

const KIND_ORDER = ['test', 'script', 'config', 'browser'];
const KIND_WORDS: Record<string, string> = { test: 'test', script: 'script', config: 'tool config', browser: 'browser-side' };

/** Modules the ranking leaves out, so the tables section leaves them out too. */
function uncounted(report: Report): Set<string> {
  return new Set(report.nonRuntime && !report.nonRuntime.counted ? report.nonRuntime.modules.map((m) => m.module) : []);
}

export function decompositionLines(report: Report): string[] {
  const d = report.decomposition;
  return [
    `modularity ${fixed(d.modularity, 3)}: Newman Q of the services on the undirected runtime graph (-0.5..1; above 0.3 means clearly denser inside services than chance)`,
    `structural modularity ${fixed(d.structuralModularity, 3)}: SM (Jin et al.), mean cohesion of services minus mean coupling between pairs (higher is better)`,
    `ICP ${percent(d.icp)}: inter-partition call percentage, the share of runtime import edges that cross services (lower is better)`,
    `IFN ${d.ifn}: modules called from another service, the interfaces the services would expose (lower is better)`,
  ];
}

export function moreLine(shown: number, total: number, what: string): string | null {
  return total > shown ? `… and ${total - shown} more ${what}` : null;
}

export function typeOnlyCyclesLine(n: number): string {
  return `${count(n, 'more cycle')} ${n === 1 ? 'exists' : 'exist'} only through type-only imports; ${n === 1 ? 'it does' : 'they do'} not count at runtime.`;
}

/** Said under the tables when schema or seed code shows up as a reader or writer. */
export function schemaCodeNote(report: Report): string | null {
  const found = [...new Set(report.tables.flatMap((t) => [...t.writers, ...t.readers]).filter((id) => SCHEMA_CODE.test(id)))].sort();
  if (found.length === 0) return null;
  return `${count(found.length, 'module')} (${found.length > 2 ? `${found.slice(0, 2).join(', ')}, …` : found.join(', ')}) ${found.length === 1 ? 'is' : 'are'} schema or seed code: ranking ignores ${found.length === 1 ? 'its' : 'their'} table accesses.`;
}

/** Tables that more than one module uses (schema and seed code, and non-runtime code, aside): the ones that couple. */
export function sharedTables(report: Report): TableUsage[] {
  const apart = uncounted(report);
  const counts = (id: string): boolean => !SCHEMA_CODE.test(id) && !apart.has(id);
  return report.tables
    .map((t) => ({ ...t, writers: t.writers.filter(counts), readers: t.readers.filter(counts) }))
    .filter((t) => new Set([...t.writers, ...t.readers]).size > 1);
}

export function tablesHeading(report: Report): string {
  const shared = sharedTables(report).length;
  return `Shared database tables (${shared} of ${count(report.tables.length, 'table')} used by more than one module)`;
}
