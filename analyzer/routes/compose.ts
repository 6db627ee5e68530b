import type { GraphqlOperation, Route, Warning } from '../types';
import type { RouteFacts } from './facts';
import { READ_FRAMEWORKS, UNREAD_FRAMEWORKS } from './frameworks';
import { collectGraphql } from './graphql';
import { Interpreter, type LoadDeep, type ResolveImport } from './interpret';
import { composeNest } from './nest';
import { joinPaths } from './paths';
import { trpcRoutes } from './trpc';
import type { RouterObj, TrpcHandler } from './values';

export type { LoadDeep, ResolveImport };

export interface RouteAnalysis {
  routes: Route[];
  graphql: GraphqlOperation[];
  warnings: Warning[];
  /** Modules read shallowly first and read again because something in them was needed. */
  demanded: string[];
}

/** How many files a warning names before "and N more". */
const NAMED_FILES = 5;

/**
 * Runs every file's facts (see interpret.ts) and reads the routes off the router graph it built:
 * each router nobody mounts is a root (its routes keep their local paths), mounts add their prefixes;
 * Nest controllers and GraphQL resolvers are joined after.
 */
export function analyzeRoutes(facts: ReadonlyMap<string, RouteFacts>, resolveImport: ResolveImport, load?: LoadDeep, options: { budget?: number } = {}): RouteAnalysis {
  const it = new Interpreter(facts, resolveImport, load, options.budget);
  it.runAll();
  const mods = [...facts.keys()];
  const out = new Map<string, Route>();
  const found = new Set<string>();
  const emit = (fw: string) => (method: string, path: string, module: string, line: number, via?: Route['via']): void => {
    found.add(fw);
    out.set(`${method} ${path} ${module} ${line}`, via ? { method, path, module, line, via } : { method, path, module, line });
  };
  const trpcWarnings: Warning[] = [];
  const served = new Map<TrpcHandler, ReturnType<typeof trpcRoutes>>();
  const serve = (h: TrpcHandler, at: string, on?: RouterObj): void => {
    // the app serving them found its routes: they are tRPC's
    if (on) found.add(on.fw);
    let routes = served.get(h);
    if (!routes) served.set(h, (routes = trpcRoutes(it, h, trpcWarnings)));
    const add = emit(h.openapi ? 'trpc-openapi' : 'trpc');
    for (const t of routes) add(t.method, joinPaths(at, t.path), t.module, t.line, h.openapi ? 'trpc-openapi' : 'trpc');
  };

  const live = (run: number): boolean => !it.dropped(run);
  const mounted = new Set<number>();
  for (const r of it.routers) if (live(r.run)) for (const m of r.mounts) if (live(m.run)) mounted.add(m.child.id);
  const endpoints = new Set<string>();
  const visited = new Set<number>();
  const walk = (r: RouterObj, base: string, stack: Set<number>): void => {
    if (stack.has(r.id)) return;
    visited.add(r.id);
    stack.add(r.id);
    const here = joinPaths(base, r.prefix);
    const add = emit(r.fw);
    for (const route of r.routes) if (live(route.run)) for (const p of route.paths) add(route.method, joinPaths(here, p), route.mod, route.line);
    for (const g of r.graphql) if (live(g.run)) for (const p of g.prefixes) endpoints.add(joinPaths(here, p));
    for (const t of r.trpc) if (live(t.run)) for (const p of t.prefixes) serve(t.handler, joinPaths(here, p), r);
    for (const m of r.mounts) if (live(m.run)) for (const p of m.prefixes) walk(m.child, joinPaths(here, p), stack);
    stack.delete(r.id);
  };
  for (const r of it.routers) if (live(r.run) && !mounted.has(r.id)) walk(r, '', new Set());
  // routers only mounted inside a mount cycle have no root: shown with their local paths
  for (const r of it.routers) if (live(r.run) && !visited.has(r.id)) walk(r, '', new Set());

  // a fetch adapter answers on its `endpoint` wherever it runs (a Next route handler, a worker); any other handler no router mounts is served where the analysis cannot see
  for (const h of it.trpcHandlers) {
    if (!live(h.run) || served.has(h)) continue;
    if (h.endpoint) for (const p of h.endpoint) serve(h, p);
    else trpcWarnings.push({ file: h.site.mod, line: h.site.line, code: 'routes-unmounted-trpc', message: `a tRPC ${h.openapi ? 'OpenAPI ' : ''}handler made here is not mounted on any router the analysis follows: its procedures' routes are missing from the report` });
  }
  composeNest(it, mods, emit('nest'));
  const graphql = collectGraphql(it, mods, [...endpoints].sort()).sort(compareOperations);
  const warnings = [...frameworkWarnings(it, mods, found, graphql.length > 0), ...dedupe(trpcWarnings)];
  if (it.budgetExceeded) {
    warnings.push({ file: mods[0] ?? '', line: 0, message: `route analysis stopped at its limit of ${it.budget.toLocaleString('en-US')} steps: routes found after it are missing`, code: 'routes-limit' });
  }
  return { routes: [...out.values()].sort(compareRoutes), graphql, warnings, demanded: [...it.demanded].sort() };
}

/** The routes alone (see `analyzeRoutes`). */
export function composeRoutes(facts: ReadonlyMap<string, RouteFacts>, resolveImport: ResolveImport, load?: LoadDeep): Route[] {
  return analyzeRoutes(facts, resolveImport, load).routes;
}

/** Sorted by path, then method, module, line: reads like a route table. */
export function compareRoutes(a: Route, b: Route): number {
  return cmp(a.path, b.path) || cmp(a.method, b.method) || cmp(a.module, b.module) || a.line - b.line;
}

function compareOperations(a: GraphqlOperation, b: GraphqlOperation): number {
  return cmp(a.type, b.type) || cmp(a.field, b.field) || cmp(a.module, b.module) || a.line - b.line;
}

/** One warning per place and message (a router served at two mounts is read twice). */
function dedupe(warnings: Warning[]): Warning[] {
  const seen = new Map<string, Warning>();
  for (const w of warnings) seen.set(`${w.file}:${w.line} ${w.message}`, w);
  return [...seen.values()].sort((a, b) => cmp(a.file, b.file) || a.line - b.line);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A framework imported but not read, or read but with no route found, is named with the files
 * importing it: routes the report lacks are never silent.
 */
function frameworkWarnings(it: Interpreter, mods: readonly string[], found: ReadonlySet<string>, hasGraphql: boolean): Warning[] {
  const importers = new Map<string, { mod: string; line: number }[]>();
  for (const mod of mods) {
    for (const [pkg, imp] of Object.entries(it.factsOf(mod)?.frameworks ?? {})) {
      if (imp.types) continue;
      const list = importers.get(pkg) ?? [];
      list.push({ mod, line: imp.line });
      importers.set(pkg, list);
    }
  }
  const warnings: Warning[] = [];
  const files = (list: { mod: string }[]): string => {
    const named = list.slice(0, NAMED_FILES).map((x) => x.mod);
    const more = list.length > NAMED_FILES ? `, and ${list.length - NAMED_FILES} more` : '';
    return `${list.length} file${list.length === 1 ? '' : 's'}: ${named.join(', ')}${more}`;
  };
  for (const [pkg, list] of [...importers].sort((a, b) => cmp(a[0], b[0]))) {
    const first = list[0];
    if (UNREAD_FRAMEWORKS.has(pkg)) {
      warnings.push({ file: first.mod, line: first.line, code: 'routes-unread-framework', message: `${pkg} is imported (${files(list)}) but its routes are not read: they are missing from the report` });
      continue;
    }
    const fw = Object.hasOwn(READ_FRAMEWORKS, pkg) ? READ_FRAMEWORKS[pkg] : undefined;
    // the package that makes the app stands for its framework (a koa app imports koa; koa-mount alone says little)
    const isMain = pkg === 'express' || pkg === 'koa' || pkg === 'fastify' || pkg === 'hono' || pkg === '@nestjs/core' || fw === 'trpc' || fw === 'trpc-openapi';
    if (!fw || !isMain || found.has(fw) || (fw === 'nest' && hasGraphql)) continue;
    // procedures served only as OpenAPI routes are all found there
    if (fw === 'trpc' && found.has('trpc-openapi')) continue;
    // a Nest app imports the express or fastify it runs on
    if ((fw === 'express' || fw === 'fastify') && found.has('nest')) continue;
    warnings.push({
      file: first.mod,
      line: first.line,
      code: 'routes-not-found',
      message: `${pkg} is imported (${files(list)}) but none of its routes was found: routes registered through code the analyzer cannot follow are missing from the report`,
    });
  }
  return warnings;
}
