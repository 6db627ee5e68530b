import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { AnalyzeInputError } from '../errors';
import type { Warning } from '../types';
import { makeExcluder } from './glob';

export interface DiscoverOptions {
  /** tsconfig path (absolute or relative to the cwd); default `<dir>/tsconfig.json`. */
  tsconfig?: string;
  /** More globs to leave out, relative to the analyzed directory. */
  exclude?: readonly string[];
}

export interface Discovery {
  /** Real path of the analyzed directory. */
  root: string;
  tsconfigPath: string | null;
  compilerOptions: ts.CompilerOptions;
  /** Real absolute paths of the project's source files, sorted. */
  files: string[];
  /** Whether a file reached by an import (and not listed by the tsconfig) still belongs to the project. */
  isProjectFile(absPath: string): boolean;
  warnings: Warning[];
}

const TS_EXT = /\.(ts|tsx|mts|cts)$/;
const JS_EXT = /\.(js|jsx|mjs|cjs)$/;
const DTS = /\.d\.(ts|mts|cts)$|\.d\.[^/]*\.ts$/;

/** TS 6 reports deprecated options as errors but still honours them: the analysis goes on with a warning. */
const DEPRECATION_CODES = new Set([5101, 5102, 5107, 5108, 5110]);

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
  const warnings: Warning[] = [];
  const userExcluded = makeExcluder(options.exclude ?? []);

  const tsconfigGiven = options.tsconfig !== undefined;
  const tsconfigPath = path.resolve(options.tsconfig ?? path.join(abs, 'tsconfig.json'));
  if (!fs.existsSync(tsconfigPath)) {
    if (tsconfigGiven) throw new AnalyzeInputError(`analyze: tsconfig not found: ${tsconfigPath}`);
    return discoverWithoutTsconfig(root, userExcluded, warnings);
  }

  const read = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (read.error) throw new AnalyzeInputError(`analyze: invalid tsconfig ${tsconfigPath}: ${flatten(read.error)}`);
  if (typeof read.config !== 'object' || read.config === null || Array.isArray(read.config)) {
    throw new AnalyzeInputError(`analyze: invalid tsconfig ${tsconfigPath}: not a JSON object`);
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfigPath), undefined, tsconfigPath);
  const tsconfigRel = relative(root, fs.realpathSync(tsconfigPath));
  for (const d of parsed.errors) {
    if (d.code === 18003) continue; // "no inputs were found": reported below as bad input
    if (d.code === 5083 || d.code === 6053) {
      // an `extends` target that cannot be read
      throw new AnalyzeInputError(`analyze: invalid tsconfig ${tsconfigPath}: ${flatten(d.messageText)}`);
    }
    warnings.push({ file: tsconfigRel, line: 1, message: flatten(d.messageText), code: DEPRECATION_CODES.has(d.code) ? 'tsconfig-deprecated' : 'tsconfig' });
  }
  const compilerOptions = parsed.options;
  const outDir = compilerOptions.outDir ? realOrSelf(compilerOptions.outDir) : undefined;
  const declarationDir = compilerOptions.declarationDir ? realOrSelf(compilerOptions.declarationDir) : undefined;
  const allowJs = compilerOptions.allowJs === true;

  const isProjectFile = (file: string): boolean => {
    if (!(TS_EXT.test(file) || (allowJs && JS_EXT.test(file)) || file.endsWith('.json'))) return false;
    if (DTS.test(file)) return false;
    if (!isInside(root, file)) return false;
    const rel = relative(root, file);
    if (rel.split('/').includes('node_modules')) return false;
    if (outDir && isInside(outDir, file)) return false;
    if (declarationDir && isInside(declarationDir, file)) return false;
    return !userExcluded(rel);
  };

  const files = new Set<string>();
  for (const f of parsed.fileNames) {
    const real = realOrSelf(f);
    if (!real.endsWith('.json') && isProjectFile(real)) files.add(real);
  }
  if (files.size === 0) {
    throw new AnalyzeInputError(`analyze: no source files found in ${root} (tsconfig ${tsconfigPath} lists none)`);
  }
  return { root, tsconfigPath: tsconfigRel, compilerOptions, files: [...files].sort(), isProjectFile, warnings };
}

function discoverWithoutTsconfig(root: string, userExcluded: (rel: string) => boolean, warnings: Warning[]): Discovery {
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
  warnings.push({ file: '.', line: 0, message: `no tsconfig.json in ${root}: analyzing every ${ts_.length ? '.ts/.tsx/.mts/.cts' : '.js/.jsx/.mjs/.cjs'} file under it with default compiler options`, code: 'no-tsconfig' });
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
  return { root, tsconfigPath: null, compilerOptions, files: files.sort(), isProjectFile, warnings };
}

export function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function flatten(m: string | ts.DiagnosticMessageChain | ts.Diagnostic): string {
  if (typeof m === 'object' && 'messageText' in m) return flatten(m.messageText);
  return ts.flattenDiagnosticMessageText(m, ' ');
}
