import path from 'node:path';
import { discover } from '../discover';
import type { CrosscheckReport, Edge, Report } from '../types';

/**
 * madge as a second opinion. Every module pair on which madge and strangler disagree must be
 * explained by a rule naming a known difference between the tools (type-only imports, aliases,
 * barrels, json, require, ...); anything else is `unexplained` and is a bug in one of them.
 */

export type CrosscheckRule =
  | 'type-only'
  | 'barrel-via-edge'
  | 'json-module'
  | 'require'
  | 'dynamic-import'
  | 'glob-import'
  | 'import-equals'
  | 'triple-slash-reference'
  | 'path-alias'
  | 'package-imports'
  | 'workspace-package'
  | 'javascript-file'
  | 'parse-error'
  | 'verbatim-module-syntax'
  | 'not-a-project-module';

export interface Disagreement {
  from: string;
  to: string;
  /** Which tool has the edge. */
  side: 'strangler-only' | 'madge-only';
  rule?: CrosscheckRule;
  detail: string;
}

export interface CrosscheckResult {
  /** Module pairs both tools report as runtime dependencies. */
  agreed: number;
  explained: Disagreement[];
  unexplained: Disagreement[];
}

export interface CrosscheckOptions {
  tsconfig?: string;
}

/** Runs madge on the report's root with type imports skipped and compares module pairs. */
export async function crosscheck(report: Report, options: CrosscheckOptions = {}): Promise<CrosscheckResult> {
  // loaded lazily: madge and its detectives are only needed here
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const madge = require('madge') as (paths: string | string[], config: object) => Promise<{ obj(): Record<string, string[]> }>;
  const tsConfig = options.tsconfig ? path.resolve(options.tsconfig) : report.tsconfig ? path.join(report.root, report.tsconfig) : undefined;
  const hasJs = report.modules.some((m) => /\.(c|m)?jsx?$/.test(m.id));
  // madge reads exactly our modules (not the whole directory: tests, scripts the tsconfig leaves out)
  const files = report.modules.filter((m) => !m.id.endsWith('.json')).map((m) => path.join(report.root, m.id));
  const result = await madge(files, {
    baseDir: report.root,
    fileExtensions: ['ts', 'tsx', 'mts', 'cts', ...(hasJs ? ['js', 'jsx', 'mjs', 'cjs'] : [])],
    tsConfig,
    excludeRegExp: [/(^|\/)node_modules\//],
    detectiveOptions: { ts: { skipTypeImports: true, mixedImports: true }, tsx: { skipTypeImports: true, mixedImports: true }, es6: { skipTypeImports: true, mixedImports: true } },
  });
  const { compilerOptions } = discover(report.root, { tsconfig: tsConfig });
  return compareWithMadge(report, result.obj(), { pathAliases: Object.keys(compilerOptions.paths ?? {}), verbatimModuleSyntax: compilerOptions.verbatimModuleSyntax === true });
}

export interface CompareContext {
  /** tsconfig `paths` keys (`@app/*`). */
  pathAliases?: readonly string[];
  verbatimModuleSyntax?: boolean;
}

/** The comparison proper, on madge's `obj()` output (module → its dependencies, paths relative to the root). */
export function compareWithMadge(report: Report, madgeGraph: Record<string, string[]>, context: CompareContext = {}): CrosscheckResult {
  const unparsed = new Set(report.warnings.filter((w) => w.code === 'parse-error').map((w) => w.file));
  const aliases = (context.pathAliases ?? []).map((k) => new RegExp(`^${k.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  const norm = (p: string): string => p.split(path.sep).join('/').replace(/^\.\//, '');
  const modules = new Set(report.modules.map((m) => m.id));
  const pairKey = (from: string, to: string): string => `${from}\0${to}`;
  const byPair = new Map<string, Edge[]>();
  for (const e of report.edges) {
    if (e.from === e.to) continue;
    const k = pairKey(e.from, e.to);
    byPair.set(k, [...(byPair.get(k) ?? []), e]);
  }
  const madgePairs = new Set<string>();
  for (const [from, deps] of Object.entries(madgeGraph)) for (const to of deps) if (norm(from) !== norm(to)) madgePairs.add(pairKey(norm(from), norm(to)));

  const out: CrosscheckResult = { agreed: 0, explained: [], unexplained: [] };
  const add = (d: Disagreement): void => void (d.rule ? out.explained : out.unexplained).push(d);

  for (const [k, edges] of byPair) {
    const [from, to] = k.split('\0');
    const fileEdges = edges.filter((e) => e.via === undefined);
    const runtime = fileEdges.filter((e) => e.kind !== 'type-only');
    if (madgePairs.has(k)) {
      if (runtime.length) out.agreed++;
      else if (fileEdges.length) {
        add({ from, to, side: 'madge-only', rule: 'type-only', detail: `${describe(fileEdges[0])}: erased by TypeScript (only used as a type), madge keeps it` });
      } else out.agreed++; // a via-edge madge also sees as a direct import: agreement on the pair
      continue;
    }
    if (!fileEdges.length) {
      add({ from, to, side: 'strangler-only', rule: 'barrel-via-edge', detail: `names ${(edges[0].names ?? []).join(', ')} imported through barrel ${edges[0].via} are declared here` });
      continue;
    }
    if (!runtime.length) {
      add({ from, to, side: 'strangler-only', rule: 'type-only', detail: `${describe(fileEdges[0])}: madge skips type imports` });
      continue;
    }
    if (unparsed.has(from)) {
      add({ from, to, side: 'strangler-only', rule: 'parse-error', detail: `${describe(runtime[0])}: ${from} does not parse; strangler reads the recovered syntax tree, madge gives up on the file` });
    } else if (context.verbatimModuleSyntax && runtime.every((e) => e.kind === 'static')) {
      add({ from, to, side: 'strangler-only', rule: 'verbatim-module-syntax', detail: `${describe(runtime[0])}: verbatimModuleSyntax keeps a type-only specifier list as \`import {} from\`, madge drops it` });
    } else add({ from, to, side: 'strangler-only', ...explainMissing(runtime, modules, (spec) => aliases.some((re) => re.test(spec))) });
  }
  for (const k of madgePairs) {
    if (byPair.has(k)) continue;
    const [from, to] = k.split('\0');
    if (!modules.has(from) || !modules.has(to)) {
      add({ from, to, side: 'madge-only', rule: 'not-a-project-module', detail: `${!modules.has(from) ? from : to} is not one of the project's modules (tsconfig/exclude/declaration file)` });
    } else add({ from, to, side: 'madge-only', detail: 'madge sees an import strangler does not' });
  }
  return out;
}

function explainMissing(edges: Edge[], modules: Set<string>, isAlias: (specifier: string) => boolean): { rule?: CrosscheckRule; detail: string } {
  const e = edges[0];
  const d = describe(e);
  if (/\.json$/.test(e.to)) return { rule: 'json-module', detail: `${d}: JSON modules are outside madge's file extensions` };
  if (/\.(c|m)?jsx?$/.test(e.to) || /\.(c|m)?jsx?$/.test(e.from)) return { rule: 'javascript-file', detail: `${d}: an allowJs file` };
  if (/[*?{}!]/.test(e.specifier)) return { rule: 'glob-import', detail: `${d}: a file import.meta.glob loads; madge does not expand globs` };
  if (e.specifier.startsWith('#')) return { rule: 'package-imports', detail: `${d}: package.json "imports" are resolved by TypeScript (node16/bundler), not by madge` };
  if (edges.every((x) => x.kind === 'require')) {
    return { rule: e.specifier.startsWith('.') ? 'require' : 'import-equals', detail: `${d}: CommonJS require in a TypeScript file` };
  }
  if (edges.every((x) => x.kind === 'dynamic')) return { rule: 'dynamic-import', detail: `${d}: madge's TypeScript detective does not follow import()` };
  // a require.context that loads the file both bundled and on demand
  if (edges.every((x) => x.kind === 'dynamic' || x.kind === 'require')) return { rule: 'require', detail: `${d}: loaded by require() and import(), which madge does not follow in TypeScript` };
  if (!e.specifier.startsWith('.') && !e.specifier.startsWith('/')) {
    const alias = isAlias(e.specifier);
    return { rule: alias ? 'path-alias' : 'workspace-package', detail: `${d}: ${alias ? 'a tsconfig paths alias' : 'a workspace package resolved to its source'} madge does not follow` };
  }
  if (!modules.has(e.to)) return { rule: 'not-a-project-module', detail: d };
  return { detail: `${d}: madge does not see this import` };
}

function describe(e: Edge): string {
  return `${e.from}:${e.line} ${e.kind} '${e.specifier}'`;
}

/** The crosscheck as the report carries it (`report.crosscheck`): every disagreement, and a count per rule. */
export function toCrosscheckReport(r: CrosscheckResult): CrosscheckReport {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('madge/package.json') as { version: string };
  const explainedByRule: Record<string, number> = {};
  for (const d of r.explained) explainedByRule[d.rule!] = (explainedByRule[d.rule!] ?? 0) + 1;
  return { tool: { name: 'madge', version }, agreed: r.agreed, explainedByRule, explained: r.explained, unexplained: r.unexplained };
}

/** What a person reads: the totals, the explained differences counted by rule (each listed in the report), every unexplained one. */
export function formatCrosscheck(r: CrosscheckResult): string {
  const lines = [`crosscheck: ${r.agreed} module pairs agreed with madge, ${r.explained.length} differences explained, ${r.unexplained.length} unexplained`];
  const byRule = Object.entries(toCrosscheckReport(r).explainedByRule).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (byRule.length) lines.push(`  explained: ${byRule.map(([rule, n]) => `${n} ${rule}`).join(', ')} (each in the report's crosscheck field)`);
  for (const d of r.unexplained) lines.push(`  UNEXPLAINED ${d.side}: ${d.from} → ${d.to}: ${d.detail}`);
  return `${lines.join('\n')}\n`;
}
