import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { analyzeRoutes, collectRouteFacts, composeRoutes, type RouteAnalysis, type RouteFacts } from '../index';
import type { GraphqlOperation, Route } from '../../types';

export function parse(fileName: string, text: string): ts.SourceFile {
  const kind = fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
}

/**
 * Resolves relative specifiers among known module ids the way TypeScript does for this layout:
 * `./x` → `x.ts` or `x/index.ts`, `./x.js` → `x.ts`; packages resolve to nothing.
 */
export function relativeResolver(ids: Iterable<string>): (from: string, specifier: string) => string | undefined {
  const known = new Set(ids);
  return (from, specifier) => {
    if (!specifier.startsWith('.')) return undefined;
    const base = path.posix.join(path.posix.dirname(from), specifier);
    const stem = base.replace(/\.js$/, '');
    return [`${stem}.ts`, `${stem}.js`, `${base}/index.ts`, `${base}/index.js`].find((c) => known.has(c));
  };
}

/** Routes of an in-memory set of files, keyed by module id. */
export function routesOf(files: Record<string, string>): Route[] {
  const facts = new Map<string, RouteFacts>(Object.entries(files).map(([id, text]) => [id, collectRouteFacts(parse(id, text))]));
  return composeRoutes(facts, relativeResolver(facts.keys()));
}

/** Routes, GraphQL operations and warnings of an in-memory set of files. */
export function analysisOf(files: Record<string, string>): RouteAnalysis {
  const facts = new Map<string, RouteFacts>(Object.entries(files).map(([id, text]) => [id, collectRouteFacts(parse(id, text))]));
  return analyzeRoutes(facts, relativeResolver(facts.keys()));
}

/** `Type.field module:line path`, one string per operation. */
export function showOps(ops: GraphqlOperation[]): string[] {
  return ops.map((o) => `${o.type}.${o.field} ${o.module}:${o.line} ${o.path}`);
}

/** `METHOD /path module:line`, one string per route: compact to assert on. */
export function show(routes: Route[]): string[] {
  return routes.map((r) => `${r.method} ${r.path} ${r.module}:${r.line}`);
}

/** Every .ts/.js file under `dir`, as module ids relative to `root`. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, dir));
  return out.sort();
}

/** Routes of a fixture folder on disk, resolved with `relativeResolver`. */
export function routesOfDir(root: string, dir = 'src'): Route[] {
  const files: Record<string, string> = {};
  for (const id of sourceFiles(root, dir)) files[id] = fs.readFileSync(path.join(root, id), 'utf8');
  return routesOf(files);
}
