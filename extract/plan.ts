/**
 * What extracting a candidate means, decided before a file is written: which modules move and which
 * are copied, what every import across the boundary becomes, which tables the service owns and
 * which it shares, what the monolith must change, and how the service mounts its routers.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { Node, SyntaxKind } from 'ts-morph';
import type { Candidate, Edge, ModuleTableAccess, Report, Route, TableUsage } from '../analyzer/types';
import { ownedSchema, type OwnedSchema } from './data';
import { readMonolithPackages, servicePackages, type ServicePackages } from './packages';
import { planComposition, setupAround, type CompositionPlan, type SetupCall } from './source/composition';
import { MonolithSource } from './source/routers';

export type ModuleRole = 'moved' | 'root' | 'copied' | 'types';

export interface ServiceModule {
  id: string;
  role: ModuleRole;
  /** Tables this module itself reads or writes (from the report). */
  tables: ModuleTableAccess[];
  /** Module-level mutable state (top-level `let`, a `new Map()`, timers): each process has its own copy now. */
  state: string[];
}

export interface BoundaryImport {
  from: string;
  line: number;
  specifier: string;
  to: string;
  names: string[];
  kind: Edge['kind'];
  decision: 'types' | 'pure' | 'shared-database' | 'state';
  /** Tables reached through the imported module's copied code, and by which modules. */
  reaches: { table: string; access: 'read' | 'write'; module: string }[];
  /** Monolith routes (GET) of the imported module's folder: where the monolith already serves that data. */
  servedOn: Route[];
  note: string;
}

export interface MonolithChange {
  module: string;
  line: number;
  what: string;
}

export interface SharedTable {
  name: string;
  /** Service modules touching it, and how. */
  service: { module: string; access: 'read' | 'write' }[];
  monolithReaders: string[];
  monolithWriters: string[];
}

export interface ExtractPlan {
  name: string;
  candidate: Candidate;
  report: Report;
  modules: ServiceModule[];
  boundary: BoundaryImport[];
  monolithChanges: MonolithChange[];
  owned: TableUsage[];
  shared: SharedTable[];
  schema: OwnedSchema;
  composition: CompositionPlan;
  /** Whether the service runs the monolith's own root, and why (the stated rule of chooseApp). */
  app: AppChoice;
  database: { sqlite: boolean; libraries: string[] };
  packages: ServicePackages;
  /** npm packages that are native addons (they need a prebuilt binary or a compiler in the image). */
  nativePackages: string[];
  moduleType: 'commonjs' | 'module';
  compilerOptions: Record<string, unknown>;
  /** Environment variables the service's code reads. */
  env: string[];
  /** Response fields that differ between two runs of the same request (timestamps): ignored by the shadow comparison. */
  volatileFields: string[];
  warnings: string[];
  source: MonolithSource;
}

export function serviceNameOf(c: Candidate): string {
  const first = c.name.split(/[\s,+]/)[0];
  // `src/routes/pricing/index.ts` is the pricing router: a module named index is named after its folder
  const named = /^index\.[cm]?[jt]sx?$/.test(path.posix.basename(first)) && path.posix.dirname(first) !== '.' ? path.posix.dirname(first) : first;
  const base = path.posix.basename(named).replace(/\.(router|routes|controller)?\.?[cm]?[jt]sx?$/, '').replace(/\.(router|routes|controller)$/, '');
  return base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'service';
}

export function planExtraction(report: Report, candidate: Candidate, opts: { name?: string } = {}): ExtractPlan {
  const name = opts.name ?? serviceNameOf(candidate);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`extract: service name "${name}" must be lower-case letters, digits and "-" (it names a container, a Kubernetes object and a facade route)`);
  const source = new MonolithSource(report);
  refuseUnsupported(report, candidate, source);
  const planned = planComposition(source, candidate);
  const moved = new Set(candidate.modules);
  const modIndex = new Map(report.modules.map((m) => [m.id, m]));
  const fileEdges = report.edges.filter((e) => e.via === undefined);
  const closureOf = (comp: CompositionPlan, runtimeOnly: boolean): Set<string> => {
    const droppedLines = new Set<number>(comp.droppedImportLines);
    if (comp.root) for (const d of comp.dropped) droppedLines.add(d.line);
    const start = [...moved, ...(comp.root ? [comp.root] : [])];
    const seen = new Set(start);
    const queue = [...start];
    for (const to of comp.root ? comp.addedImports : []) if (!seen.has(to)) (seen.add(to), queue.push(to));
    while (queue.length) {
      const id = queue.shift()!;
      for (const e of edgesFrom.get(id) ?? []) {
        if (id === comp.root && droppedLines.has(e.line)) continue;
        if (runtimeOnly && e.kind === 'type-only') continue;
        if (!modIndex.has(e.to) || seen.has(e.to)) continue;
        seen.add(e.to);
        queue.push(e.to);
      }
    }
    return seen;
  };
  const edgesFrom = new Map<string, Edge[]>();
  for (const e of fileEdges) edgesFrom.set(e.from, [...(edgesFrom.get(e.from) ?? []), e]);
  const own = ownApp(planned);
  const app = chooseApp(planned, closureOf(own, true).size, planned.root ? closureOf(planned, true).size : 0);
  if (app.mode === 'own') app.notApplied = planned.mounts.flatMap((m) => setupAround(source, m.router));
  const composition = app.mode === 'root' ? planned : own;
  const closure = (runtimeOnly: boolean) => closureOf(composition, runtimeOnly);
  const all = closure(false);
  const runtime = closure(true);

  const modules: ServiceModule[] = [...all].sort().map((id) => ({
    id,
    role: moved.has(id) ? 'moved' : id === composition.root ? 'root' : runtime.has(id) ? 'copied' : 'types',
    tables: modIndex.get(id)?.tables ?? [],
    state: moved.has(id) || !runtime.has(id) ? [] : processState(source, id),
  }));

  // tables: owned when only the candidate's own modules read and write them
  const owned = report.tables.filter((t) => t.writers.length > 0 && t.writers.every((w) => moved.has(w)) && t.readers.every((r) => moved.has(r)));
  const ownedNames = new Set(owned.map((t) => t.name));
  const sharedMap = new Map<string, SharedTable>();
  for (const m of modules) {
    if (!runtime.has(m.id)) continue;
    for (const t of m.tables) {
      if (ownedNames.has(t.name)) continue;
      const usage = report.tables.find((u) => u.name === t.name);
      const entry = sharedMap.get(t.name) ?? {
        name: t.name,
        service: [],
        monolithReaders: (usage?.readers ?? []).filter((r) => !moved.has(r)),
        monolithWriters: (usage?.writers ?? []).filter((w) => !moved.has(w)),
      };
      entry.service.push({ module: m.id, access: t.access });
      sharedMap.set(t.name, entry);
    }
  }
  const shared = [...sharedMap.values()].sort((a, b) => (a.name < b.name ? -1 : 1));

  const boundary = boundaryImports(report, fileEdges, moved, runtime, ownedNames, modIndex, source);
  const monolithChanges = monolithChangesOf(report, fileEdges, moved, composition, owned);

  const pk = readMonolithPackages(report.root);
  const runtimePkgs = new Set<string>();
  const devPkgs = new Set<string>();
  for (const m of modules) for (const p of modIndex.get(m.id)?.packages ?? []) if (!p.startsWith('node:') && !isBuiltin(p)) (runtime.has(m.id) ? runtimePkgs : devPkgs).add(p);
  runtimePkgs.add('express');
  // the generated entry keeps its own SQLite file (its migrations, copy-data's progress) even with no owned table,
  // when the monolith's data is SQLite's; another database is the monolith's to wire (see MIGRATION.md)
  const database = databaseOf(report, modules.filter((m) => runtime.has(m.id)).map((m) => m.id));
  if (database.sqlite) runtimePkgs.add('better-sqlite3');
  const packages = servicePackages(pk, `${name}-service`, [...runtimePkgs], [...devPkgs].filter((p) => !runtimePkgs.has(p)));
  const schema = ownedSchema(report, owned, (id) => source.file(id).getFullText());

  const warnings = [...composition.warnings];
  if (!database.sqlite && database.libraries.length) warnings.push(`the monolith's data goes through ${database.libraries.join(', ')}: the service gets that code, not a connection; wire it (see MIGRATION.md, Data)`);
  const lockName = pk.lockfile ? path.basename(pk.lockfile) : 'no lockfile';
  if (packages.ranges.length)
    warnings.push(`not pinned by the monolith's lockfile (${lockName}): ${packages.ranges.map((r) => `${r.name} ${r.range}`).join(', ')}, the ranges of ${[...new Set(packages.ranges.map((r) => path.relative(report.root, r.file) || 'package.json'))].join(', ')}; npm install picks versions in them, so run the service's tests before trusting them`);
  if (packages.missing.length) warnings.push(`no version of ${packages.missing.join(', ')} in the monolith's lockfile (${lockName}) or any package.json up to the workspace root: add them to the service's package.json`);
  if (schema.notFound.length) warnings.push(`no CREATE TABLE for ${schema.notFound.join(', ')} in the modules the report lists as defining them: write their migration by hand`);

  const tsOptions = source.project.getCompilerOptions();
  return {
    name,
    candidate,
    report,
    modules,
    boundary,
    monolithChanges,
    owned,
    shared,
    schema,
    composition,
    app,
    database,
    packages,
    nativePackages: Object.keys(packages.dependencies).filter((p) => (pk.lock?.packages[`node_modules/${p}`] as { hasInstallScript?: boolean } | undefined)?.hasInstallScript),
    moduleType: pk.manifest.type === 'module' ? 'module' : 'commonjs',
    compilerOptions: tsOptions as Record<string, unknown>,
    env: envReads(source, modules.filter((m) => runtime.has(m.id)).map((m) => m.id)),
    volatileFields: volatileFields(source, [...all]),
    warnings,
    source,
  };
}

export interface AppChoice {
  mode: 'root' | 'own';
  reason: string;
  /** What the service does not get from the monolith's app when it runs its own (mode 'own'). */
  notApplied: SetupCall[];
}

/** At most this many modules, or as many as the candidate's own closure when that is larger, may the root add. */
export const ROOT_SLACK = 10;

/**
 * The rule: the service runs the monolith's own composition root (pruned to its routers) when the
 * root exports something extract can call (an app, or a function returning one) and, pruned, it
 * brings in no more modules than max(ROOT_SLACK, the candidate's own closure): then the service
 * answers with the monolith's middleware, settings and error handlers. Otherwise (the root is a
 * class or script that initialises everything, or reaches far more than the candidate needs) the
 * service mounts its routers on its own express app, and what the monolith applies around that
 * mount and the service does not get is listed for a person.
 */
export function chooseApp(comp: CompositionPlan, ownReach: number, rootReach: number): AppChoice {
  if (!comp.root) return { mode: 'own', reason: 'no module of the monolith mounts these routers on an app', notApplied: [] };
  if (!comp.factory) return { mode: 'own', reason: `${comp.root} exports no app or function returning one that the service could call (a class, or a script that starts the server)`, notApplied: [] };
  const added = rootReach - ownReach;
  const limit = Math.max(ROOT_SLACK, ownReach);
  if (added > limit) return { mode: 'own', reason: `${comp.root}, pruned, brings in ${added} modules more than the candidate's own ${ownReach} (the limit is ${limit})`, notApplied: [] };
  return { mode: 'root', reason: `${comp.root} (${comp.factory.name}) adds ${added} modules to the candidate's ${ownReach} (at most ${limit})`, notApplied: [] };
}

/** The plan with the routers mounted on the service's own app: no root copied. */
function ownApp(comp: CompositionPlan): CompositionPlan {
  return { ...comp, root: null, factory: null, text: null, dropped: [], droppedImportLines: [], addedImports: [] };
}

/** The monolith's database, from what its code imports: SQLite through better-sqlite3 is the one extract wires. */
const DATA_LIBRARIES = ['typeorm', 'knex', '@prisma/client', 'prisma', 'sequelize', 'mongoose', 'mongodb', 'pg', 'mysql2', 'mysql', 'drizzle-orm', 'kysely', '@mikro-orm/core', 'sqlite3', 'redis', 'ioredis'];
export function databaseOf(report: Report, serviceModules: string[]): { sqlite: boolean; libraries: string[] } {
  const inMonolith = new Set(report.modules.flatMap((m) => m.packages ?? []));
  const ids = new Set(serviceModules);
  const inService = new Set(report.modules.filter((m) => ids.has(m.id)).flatMap((m) => m.packages ?? []));
  return { sqlite: inMonolith.has('better-sqlite3'), libraries: DATA_LIBRARIES.filter((l) => inService.has(l)) };
}

export class UnsupportedError extends Error {}

const FRAMEWORKS: [RegExp, string][] = [
  [/^@nestjs\//, 'NestJS'],
  [/^(koa|@koa\/router|koa-router)$/, 'Koa'],
  [/^fastify$/, 'Fastify'],
  [/^hono$/, 'Hono'],
  [/^@hapi\/hapi$/, 'hapi'],
];

/** A candidate extract cannot write a server entry for: refused before anything is planned, with the reason. */
function refuseUnsupported(report: Report, c: Candidate, source: MonolithSource): void {
  const supported = 'extract writes server entries for Express apps (express.Router() or an express() app, mounted with .use())';
  for (const id of c.modules) {
    const pkgs = report.modules.find((m) => m.id === id)?.packages ?? [];
    const fw = FRAMEWORKS.find(([re]) => pkgs.some((p) => re.test(p)));
    if (fw) throw new UnsupportedError(`extract: ${c.name} is a ${fw[1]} candidate (${id} imports ${pkgs.find((p) => fw[0].test(p))}); ${supported}; nothing was written`);
  }
  const inCand = new Set(c.modules);
  const mounted = source.routers.filter((r) => inCand.has(r.module) && r.routes.length > 0);
  const unmounted = c.routes.filter((rt) => !mounted.some((r) => r.routes.some((x) => x.module === rt.module && x.line === rt.line)));
  if (unmounted.length) {
    const rt = unmounted[0];
    const line = source.file(rt.module).getFullText().split('\n')[rt.line - 1]?.trim().slice(0, 80) ?? '';
    throw new UnsupportedError(
      `extract: ${unmounted.length} of ${c.name}'s ${c.routes.length} routes are not registered on an Express router or app extract can mount (${rt.module}:${rt.line} \`${line}\`: a wrapper or base class registers it); ${supported}; nothing was written`,
    );
  }
}

const BUILTINS = new Set(builtinModules);
function isBuiltin(p: string): boolean {
  return BUILTINS.has(p);
}

function boundaryImports(
  report: Report,
  edges: Edge[],
  moved: Set<string>,
  runtime: Set<string>,
  owned: Set<string>,
  modIndex: Map<string, Report['modules'][number]>,
  source: MonolithSource,
): BoundaryImport[] {
  const out: BoundaryImport[] = [];
  for (const e of edges) {
    if (!moved.has(e.from) || moved.has(e.to) || !modIndex.has(e.to)) continue;
    // what the imported module's copied code reaches at runtime
    const reaches: BoundaryImport['reaches'] = [];
    const seen = new Set<string>();
    const queue = e.kind === 'type-only' ? [] : [e.to];
    while (queue.length) {
      const id = queue.shift()!;
      if (seen.has(id) || moved.has(id)) continue;
      seen.add(id);
      for (const t of modIndex.get(id)?.tables ?? []) if (!owned.has(t.name)) reaches.push({ table: t.name, access: t.access, module: id });
      for (const next of edges) if (next.from === id && next.kind !== 'type-only' && runtime.has(next.to)) queue.push(next.to);
    }
    const state = e.kind === 'type-only' ? [] : [...seen].flatMap((id) => processState(source, id).map((s) => `${id}: ${s}`));
    const folder = path.posix.dirname(e.to);
    const servedOn = reaches.length ? report.routes.filter((r) => r.method === 'GET' && path.posix.dirname(r.module) === folder && !moved.has(r.module)) : [];
    const decision: BoundaryImport['decision'] = e.kind === 'type-only' ? 'types' : reaches.length ? 'shared-database' : state.length ? 'state' : 'pure';
    const tables = [...new Set(reaches.map((r) => `${r.table} (${r.access})`))].join(', ');
    const note =
      decision === 'types'
        ? 'types only, erased at runtime: copied'
        : decision === 'pure'
          ? 'pure code (no tables, no process state): copied and marked as a copy'
          : decision === 'state'
            ? `copied; holds process state (${state.join('; ')}): each process keeps its own now`
            : `copied; reaches ${tables} in tables the service does not own: they are read in the monolith's database (MONOLITH_DATABASE_PATH), shared-database debt` +
              (servedOn.length ? `; the monolith serves this data on ${servedOn.map((r) => `GET ${r.path}`).join(', ')}: a typed HTTP client to it pays this debt` : '');
    out.push({ from: e.from, line: e.line, specifier: e.specifier, to: e.to, names: e.names ?? [], kind: e.kind, decision, reaches, servedOn, note });
  }
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.line - b.line));
}

function monolithChangesOf(report: Report, edges: Edge[], moved: Set<string>, comp: CompositionPlan, owned: TableUsage[]): MonolithChange[] {
  const out: MonolithChange[] = [];
  for (const m of comp.mounts) {
    for (const mount of m.router.mounts.filter((x) => !moved.has(x.module))) {
      out.push({ module: mount.module, line: mount.line, what: `mounts ${m.router.name} at ${m.prefix}: remove the mount (and the import) once the facade sends 100 % of ${m.prefix} to the service` });
    }
  }
  for (const e of edges) {
    if (moved.has(e.from) || !moved.has(e.to)) continue;
    if (out.some((o) => o.module === e.from && o.line === e.line)) continue;
    const touches = (report.modules.find((m) => m.id === e.to)?.tables ?? []).filter((t) => owned.some((o) => o.name === t.name));
    const what =
      e.kind === 'type-only'
        ? `imports types (${(e.names ?? []).join(', ') || e.specifier}) from ${e.to}, which moves: keep a copy of the types or publish them from the service`
        : touches.length
          ? `calls ${(e.names ?? []).join(', ') || e.specifier} in ${e.to}, which moves and ${touches.map((t) => `${t.access === 'write' ? 'writes' : 'reads'} ${t.name}`).join(', ')}: the service owns that data now, call the service's API instead`
          : `imports ${(e.names ?? []).join(', ') || e.specifier} from ${e.to}, which moves to the service: remove the import once its routes are strangled`;
    out.push({ module: e.from, line: e.line, what });
  }
  return out.sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : a.line - b.line));
}

/** Module-level state a copy would fork: top-level `let`/`var`, collections created at load, timers started at load. */
function processState(source: MonolithSource, id: string): string[] {
  const sf = source.file(id);
  const out: string[] = [];
  for (const stmt of sf.getVariableStatements()) {
    const kind = stmt.getDeclarationKind();
    for (const d of stmt.getDeclarations()) {
      const init = d.getInitializer();
      if (kind !== 'const') out.push(`${kind} ${d.getName()} (line ${d.getStartLineNumber()})`);
      else if (init && Node.isNewExpression(init) && /^(Map|Set|WeakMap|WeakSet|Array|EventEmitter)$/.test(init.getExpression().getText()))
        out.push(`${d.getName()} = new ${init.getExpression().getText()}() (line ${d.getStartLineNumber()})`);
    }
  }
  for (const stmt of sf.getStatements()) {
    if (Node.isExpressionStatement(stmt) && /^(setInterval|setTimeout)\s*\(/.test(stmt.getExpression().getText())) out.push(`a timer started at load (line ${stmt.getStartLineNumber()})`);
  }
  return out;
}

/** `process.env.X`, `env.X`, `env['X']` in the service's runtime code. */
function envReads(source: MonolithSource, ids: string[]): string[] {
  const names = new Set<string>();
  for (const id of ids) {
    const sf = source.file(id);
    for (const pa of sf.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
      const obj = pa.getExpression().getText();
      if (obj === 'process.env' || obj === 'env') names.add(pa.getName());
    }
    for (const ea of sf.getDescendantsOfKind(SyntaxKind.ElementAccessExpression)) {
      const obj = ea.getExpression().getText();
      const arg = ea.getArgumentExpression();
      if ((obj === 'process.env' || obj === 'env') && arg && Node.isStringLiteral(arg)) names.add(arg.getLiteralValue());
    }
    // intFrom(env, 'PORT', …): a helper reading the environment by name
    for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const args = call.getArguments();
      if (args.length >= 2 && /^(process\.)?env$/.test(args[0].getText()) && Node.isStringLiteral(args[1])) names.add(args[1].getLiteralValue());
    }
  }
  return [...names].filter((n) => /^[A-Z][A-Z0-9_]*$/.test(n)).sort();
}

/** Names of properties that hold times (`createdAt`, `updated_at`, `timestamp`) in the service's types. */
function volatileFields(source: MonolithSource, ids: string[]): string[] {
  const names = new Set<string>();
  for (const id of ids) {
    const sf = source.file(id);
    for (const p of sf.getDescendantsOfKind(SyntaxKind.PropertySignature)) {
      const n = p.getName();
      if (/^(created|updated|deleted|modified|sent|added|refunded|expires|last[A-Z]\w*)(At|_at)$|^(timestamp|generatedAt)$/.test(n)) names.add(n);
    }
  }
  return [...names].sort();
}
