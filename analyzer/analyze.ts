import fs from 'node:fs';
import path from 'node:path';
import { discover, relative, type DiscoverOptions, type Discovery } from './discover';
import { buildGraph, type ModuleGraph } from './graph';
import { measure } from './metrics';
import { classifyModules, type RoleInput } from './metrics/roles';
import { parseProject, recollectTables, type ParsedProject, type ParseOptions } from './parse';
import { createSource } from './parse/file';
import { rankCandidates } from './rank';
import { Resolver } from './resolve';
import { analyzeRoutes, collectRouteFacts, type RouteAnalysis, type RouteFacts } from './routes';
import { composeTables, loadPrismaSchema, type ComposedAccess } from './tables';
import { declaredLibraries, missedLibraries } from './tables/libraries';
import { SCHEMA_VERSION, type GraphqlOperation, type Warning, type ModuleReport, type ModuleTableAccess, type RankInput, type Report, type Route, type TableUsage } from './types';

export type AnalyzePhase = 'discover' | 'parse' | 'graph' | 'measure' | 'rank' | 'done';

export interface ProgressEvent {
  phase: AnalyzePhase;
  /** Files parsed so far, during `parse`. */
  done?: number;
  total?: number;
}

export interface AnalyzeOptions extends DiscoverOptions {
  /** Count test files, scripts, tool configs and browser-side code in the ranking and reach metrics like runtime modules. */
  includeNonRuntime?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Parse worker threads besides the main one (default: one per extra core, max 3, on 4+ cores for 4 MB+ of source; 0: none). */
  workers?: number;
  /** Per-file facts kept between runs (see ParseOptions.cache): only files missing from it are parsed. */
  cache?: ParseOptions['cache'];
}

/**
 * The whole analysis, as one pipeline: discover → parse/resolve → build graph → measure → rank →
 * assemble. Throws AnalyzeInputError on bad input; every problem inside a file is a warning.
 */
export async function analyze(dir: string, options: AnalyzeOptions = {}): Promise<Report> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => undefined);

  progress({ phase: 'discover' });
  const discovery = discover(dir, options);
  const resolver = new Resolver(
    discovery.root,
    discovery.projects.map((p) => p.compilerOptions),
    discovery.isProjectFile,
    discovery.projectOf,
  );

  // table access forms are read for the data libraries the project declares; if the files import one it does not, they are read again
  const libraries = declaredLibraries(discovery.root);
  const parsed = await parseProject(discovery, resolver, (done, total) => progress({ phase: 'parse', done, total }), { workers: options.workers, cache: options.cache, tables: libraries });
  const missed = missedLibraries(libraries, parsed.modules.values());
  if (missed) recollectTables(parsed.modules, missed);

  progress({ phase: 'graph' });
  const graph = buildGraph(parsed.modules, { keepForwardedImports: (id) => parsed.modules.get(id)!.scanOptions.isolatedModules });

  progress({ phase: 'measure' });
  const nonRuntime = classifyModules(roleInput(discovery, parsed, graph));
  const counted = options.includeNonRuntime === true;
  const metrics = measure(graph, { uncounted: counted ? undefined : new Set(nonRuntime.map((m) => m.module)) });
  const routeAnalysis = collectRoutes(parsed.modules, (fromId, specifier) => {
    const r = resolver.resolve(specifier, path.join(discovery.root, fromId), 'import');
    return r.kind === 'internal' ? path.relative(discovery.root, r.file).split(path.sep).join('/') : undefined;
  });
  const { routes, graphql } = routeAnalysis;

  const composed = composeTables(parsed.modules, { prisma: [...parsed.modules.values()].some((m) => m.tableFacts.prisma.length > 0) ? loadPrismaSchema(discovery.root) : undefined });

  const routesOf = new Map<string, Route[]>();
  for (const r of routes) routesOf.set(r.module, [...(routesOf.get(r.module) ?? []), r]);
  const graphqlOf = new Map<string, GraphqlOperation[]>();
  for (const op of graphql) graphqlOf.set(op.module, [...(graphqlOf.get(op.module) ?? []), op]);
  const modules: ModuleReport[] = graph.ids.map((id) => {
    const m = parsed.modules.get(id)!;
    const t = composed.modules.get(id);
    const report: ModuleReport = {
      id,
      loc: m.loc,
      ...metrics.modules.get(id)!,
      routes: routesOf.get(id) ?? [],
      ...(graphqlOf.has(id) ? { graphql: graphqlOf.get(id) } : {}),
      tables: dedupeTables(t?.accesses ?? []),
      definesTables: [...new Set((t?.accesses ?? []).filter((a) => a.definition).map((a) => a.name))].sort(),
      packages: [...m.packages].sort(),
    };
    if (t?.gaps.length) report.tableGaps = t.gaps;
    return report;
  });
  const tables = tableUsages(modules);
  const warnings = [...discovery.warnings, ...parsed.warnings, ...routeAnalysis.warnings, ...unreadLibraryWarnings(composed)].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const fileEdges = graph.edges.filter((e) => e.via === undefined);

  const input: RankInput = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'strangler', version: toolVersion() },
    generatedAt: new Date().toISOString(),
    root: discovery.root,
    tsconfig: discovery.tsconfigPath,
    summary: {
      modules: modules.length,
      edges: fileEdges.length,
      runtimeEdges: fileEdges.filter((e) => e.kind !== 'type-only').length,
      typeOnlyEdges: fileEdges.filter((e) => e.kind === 'type-only').length,
      viaEdges: graph.edges.length - fileEdges.length,
      cycles: metrics.cycles.length,
      typeOnlyCycles: metrics.typeOnlyCycles.length,
      routes: routes.length,
      graphqlOperations: graphql.length,
      tables: tables.length,
      warnings: warnings.length,
      durationMs: 0,
    },
    modules,
    edges: graph.edges,
    cycles: metrics.cycles,
    typeOnlyCycles: metrics.typeOnlyCycles,
    routes,
    graphql,
    tables,
    nonRuntime: { counted, modules: nonRuntime },
    warnings,
  };

  progress({ phase: 'rank' });
  const { candidates, decomposition } = rankCandidates(input);
  const report: Report = { ...input, candidates, decomposition };
  report.summary.durationMs = Math.round(performance.now() - started);
  progress({ phase: 'done' });
  return report;
}

function roleInput(discovery: Discovery, parsed: ParsedProject, graph: ModuleGraph): RoleInput {
  const scriptUses = new Map([...discovery.scriptUses].map(([file, use]) => [relative(discovery.root, file), use]));
  return {
    ids: graph.ids,
    runtimeEdges: graph.edges.filter((e) => e.via === undefined && e.kind !== 'type-only'),
    packages: (id) => [...parsed.modules.get(id)!.packages],
    specifiers: (id) => parsed.modules.get(id)!.imports.map((i) => i.specifier),
    scriptUse: (id) => scriptUses.get(id),
  };
}

/** Routes and GraphQL operations; a file read shallowly at parse time is read again when the analysis needs its bodies. */
function collectRoutes(modules: ParsedProject['modules'], resolveImport: (fromId: string, specifier: string) => string | undefined): RouteAnalysis {
  const facts = new Map<string, RouteFacts>();
  for (const [id, m] of modules) if (m.routeFacts) facts.set(id, m.routeFacts);
  const readAgain = (id: string): RouteFacts | undefined => {
    const file = modules.get(id)?.file;
    if (!file) return undefined;
    try {
      return collectRouteFacts(createSource(file, fs.readFileSync(file, 'utf8')));
    } catch {
      return undefined;
    }
  };
  try {
    return analyzeRoutes(facts, resolveImport, readAgain);
  } catch (err) {
    // a defect in the route analysis costs the routes, not the rest of the report
    const first = [...facts.keys()][0] ?? '';
    return { routes: [], graphql: [], demanded: [], warnings: [{ file: first, line: 0, message: `route analysis failed: ${(err as Error).message}`, code: 'routes-failed' }] };
  }
}

/** One warning per data library the project imports and the analyzer does not read (each module also has a gap). */
function unreadLibraryWarnings(composed: ReturnType<typeof composeTables>): Warning[] {
  const out: Warning[] = [];
  for (const [pkg, { library, modules }] of [...composed.unread].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const named = modules.slice(0, 5).map((m) => m.module).join(', ');
    const more = modules.length > 5 ? `, and ${modules.length - 5} more` : '';
    out.push({
      file: modules[0].module,
      line: modules[0].line,
      code: 'tables-unread-library',
      message: `${library} (${pkg}) is imported (${modules.length} file${modules.length === 1 ? '' : 's'}: ${named}${more}) but its table accesses are not read: those modules never say they share no table`,
    });
  }
  return out;
}

/** Schema statements (CREATE/ALTER/DROP, ORM model definitions) are not data access: they go to definesTables. */
function dedupeTables(accesses: readonly ComposedAccess[]): ModuleTableAccess[] {
  const seen = new Map<string, ModuleTableAccess>();
  for (const a of accesses) if (!a.definition) seen.set(`${a.name}\0${a.access}`, { name: a.name, access: a.access });
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.access < b.access ? -1 : a.access > b.access ? 1 : 0));
}

function tableUsages(modules: readonly ModuleReport[]): TableUsage[] {
  const byName = new Map<string, Required<TableUsage>>();
  for (const m of modules) {
    for (const t of m.tables) usage(t.name)[t.access === 'read' ? 'readers' : 'writers'].push(m.id);
    for (const name of m.definesTables ?? []) usage(name).definedBy.push(m.id);
  }
  function usage(name: string): Required<TableUsage> {
    let u = byName.get(name);
    if (!u) byName.set(name, (u = { name, readers: [], writers: [], definedBy: [] }));
    return u;
  }
  return [...byName.values()]
    .map((u) => ({ name: u.name, readers: [...u.readers].sort(), writers: [...u.writers].sort(), definedBy: [...u.definedBy].sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

let cachedVersion: string | undefined;
function toolVersion(): string {
  if (cachedVersion) return cachedVersion;
  // dist/analyzer or analyzer/: the repository's package.json is a level or two up
  for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) {
    const p = path.join(d, 'package.json');
    if (fs.existsSync(p)) {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'strangler' && pkg.version) return (cachedVersion = pkg.version);
    }
  }
  return (cachedVersion = '0.0.0');
}
