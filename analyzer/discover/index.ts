import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { AnalyzeInputError } from '../errors';
import type { Warning } from '../types';
import { makeExcluder } from './glob';
import { packageScriptUses, type ScriptUse } from './package-scripts';
import { filesAbove, readProjects, realOrSelf, type ConfigProblem } from './tsconfig';

export interface DiscoverOptions {
  /** tsconfig path (absolute or relative to the cwd); default `<dir>/tsconfig.json`, else the nearest one above that lists files under `<dir>`. */
  tsconfig?: string;
  /** More globs to leave out, relative to the analyzed directory. */
  exclude?: readonly string[];
}

/** One tsconfig project the files come from (a solution's references are several). */
export interface Project {
  /** Real absolute path of its tsconfig. */
  tsconfig: string;
  compilerOptions: ts.CompilerOptions;
}

export interface Discovery {
  /** Real path of the analyzed directory. */
  root: string;
  /** The tsconfig given or found, relative to root (`../tsconfig.json` when found above), or null. */
  tsconfigPath: string | null;
  /** The options of the project that lists the most files (the only one, without references). */
  compilerOptions: ts.CompilerOptions;
  /** Every project read: the tsconfig's own and, depth first, those it references. At least one. */
  projects: Project[];
  /** Index into `projects` of the project a file belongs to (the first that lists it, else the nearest by folder). */
  projectOf(absPath: string): number;
  /** Real absolute paths of the project's source files, sorted. */
  files: string[];
  /** Whether a file reached by an import (and not listed by the tsconfig) still belongs to the project. */
  isProjectFile(absPath: string): boolean;
  /** Project files that package.json scripts, `main` or `bin` run, by real absolute path. */
  scriptUses: Map<string, ScriptUse>;
  warnings: Warning[];
}

const TS_EXT = /\.(ts|tsx|mts|cts)$/;
const JS_EXT = /\.(js|jsx|mjs|cjs)$/;
const DTS = /\.d\.(ts|mts|cts)$|\.d\.[^/]*\.ts$/;

export function discover(dir: string, options: DiscoverOptions = {}): Discovery {
  const abs = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new AnalyzeInputError(`analyze: directory not found: ${abs}`);
  }
  if (!stat.isDirectory()) throw new AnalyzeInputError(`analyze: not a directory: ${abs}`);
  const root = fs.realpathSync(abs);
  const userExcluded = makeExcluder(options.exclude ?? []);

  const given = options.tsconfig !== undefined ? path.resolve(options.tsconfig) : undefined;
  if (given !== undefined && !fs.existsSync(given)) throw new AnalyzeInputError(`analyze: tsconfig not found: ${given}`);
  const own = given ?? path.join(abs, 'tsconfig.json');
  if (fs.existsSync(own)) {
    const found = fromTsconfig(root, own, userExcluded);
    if (!found) throw new AnalyzeInputError(`analyze: no source files found in ${root} (tsconfig ${own} lists none)`);
    return found;
  }
  // `analyze src` in a project whose tsconfig sits one level up: use the nearest one that lists files here
  const passed: string[] = [];
  for (const above of filesAbove(abs, 'tsconfig.json')) {
    const found = fromTsconfig(root, above, userExcluded);
    if (found) {
      found.warnings.unshift({
        file: '.',
        line: 0,
        message: `no tsconfig.json in ${root}: using ${found.tsconfigPath}, the nearest one above that lists files under it`,
        code: 'tsconfig-above',
      });
      return found;
    }
    passed.push(relative(root, above));
  }
  return discoverWithoutTsconfig(root, userExcluded, passed);
}

/** The projects of one tsconfig, restricted to files under root; undefined when it lists none there. */
function fromTsconfig(root: string, tsconfigPath: string, userExcluded: (rel: string) => boolean): Discovery | undefined {
  const problems: ConfigProblem[] = [];
  const tsProjects = readProjects(tsconfigPath, problems);
  const warnings: Warning[] = problems.map((p) => ({ file: relative(root, p.file), line: p.line, message: p.message, code: p.code }));
  const allowJs = tsProjects.some((p) => p.options.allowJs === true);
  const buildDirs = tsProjects.flatMap((p) => [p.options.outDir, p.options.declarationDir].filter((d): d is string => d !== undefined).map(realOrSelf));

  const isProjectFile = (file: string): boolean => {
    if (!(TS_EXT.test(file) || (allowJs && JS_EXT.test(file)) || file.endsWith('.json'))) return false;
    if (DTS.test(file)) return false;
    if (!isInside(root, file)) return false;
    const rel = relative(root, file);
    if (rel.split('/').includes('node_modules')) return false;
    if (buildDirs.some((d) => isInside(d, file))) return false;
    return !userExcluded(rel);
  };

  const owner = new Map<string, number>();
  const counts = tsProjects.map(() => 0);
  tsProjects.forEach((p, i) => {
    for (const f of p.fileNames) {
      const real = realOrSelf(f);
      if (owner.has(real) || real.endsWith('.json') || !isProjectFile(real)) continue;
      owner.set(real, i);
      counts[i]++;
    }
  });
  if (owner.size === 0) return undefined;
  const projects: Project[] = tsProjects.map((p) => ({ tsconfig: p.tsconfig, compilerOptions: p.options }));
  const primary = counts.indexOf(Math.max(...counts));
  // deepest tsconfig folders first: an unlisted file belongs to the nearest project around it
  const byDepth = projects.map((p, i) => ({ dir: path.dirname(p.tsconfig), i })).sort((a, b) => b.dir.length - a.dir.length);
  const projectOf = (file: string): number => owner.get(file) ?? byDepth.find((p) => isInside(p.dir, file))?.i ?? primary;
  const files = [...owner.keys()].sort();
  return {
    root,
    tsconfigPath: relative(root, realOrSelf(tsconfigPath)),
    compilerOptions: projects[primary].compilerOptions,
    projects,
    projectOf,
    files,
    isProjectFile,
    scriptUses: packageScriptUses(root, files, isProjectFile),
    warnings,
  };
}

function discoverWithoutTsconfig(root: string, userExcluded: (rel: string) => boolean, passed: string[]): Discovery {
  const warnings: Warning[] = [];
  const ts_: string[] = [];
  const js: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      const rel = relative(root, full);
      if (userExcluded(rel)) continue;
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && !DTS.test(e.name)) {
        if (TS_EXT.test(e.name)) ts_.push(full);
        else if (JS_EXT.test(e.name)) js.push(full);
      }
    }
  };
  walk(root);
  // a plain JavaScript project has no .ts files: analyze its .js ones
  const files = ts_.length ? ts_ : js;
  if (files.length === 0) throw new AnalyzeInputError(`analyze: no tsconfig.json and no .ts/.tsx/.js source files in ${root}`);
  const above = passed.length ? ` (${passed.join(', ')} above ${passed.length === 1 ? 'lists' : 'list'} no file under it)` : '';
  warnings.push({
    file: '.',
    line: 0,
    message: `no tsconfig.json in ${root}: analyzing every ${ts_.length ? '.ts/.tsx/.mts/.cts' : '.js/.jsx/.mjs/.cjs'} file under it with default compiler options${above}`,
    code: 'no-tsconfig',
  });
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: true,
    resolveJsonModule: true,
    esModuleInterop: true,
  };
  const isProjectFile = (file: string): boolean =>
    isInside(root, file) && !relative(root, file).split('/').includes('node_modules') && !DTS.test(file) && (TS_EXT.test(file) || JS_EXT.test(file) || file.endsWith('.json')) && !userExcluded(relative(root, file));
  files.sort();
  return {
    root,
    tsconfigPath: null,
    compilerOptions,
    projects: [{ tsconfig: '', compilerOptions }],
    projectOf: () => 0,
    files,
    isProjectFile,
    scriptUses: packageScriptUses(root, files, isProjectFile),
    warnings,
  };
}

export function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
