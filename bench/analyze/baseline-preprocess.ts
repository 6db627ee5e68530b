/**
 * The floor: the least work that still yields a resolved import graph. One pass over the files with
 * TypeScript's `ts.preProcessFile` (a scanner, no AST) and `ts.resolveModuleName` with a shared
 * module resolution cache (plus one regex for the one import form the scanner misses, see below).
 * No AST, metrics, routes or SQL: an analyzer cannot get its edges much cheaper.
 *
 *   node dist/bench/analyze/baseline-preprocess.js <dir> [--tsconfig <file>]
 *
 * Prints {"files":N,"imports":N,"edges":N,"unresolved":N} on stdout; edges are distinct (from, to)
 * pairs of local files, the same unit the harness counts for every tool.
 */
import fs from 'node:fs';
import path from 'node:path';
// `typescript` itself rather than ts-morph's bundled copy: the floor should not pay for loading ts-morph.
import ts from 'typescript';

const SOURCE = /\.(ts|tsx|mts|cts)$/;
/**
 * ts.preProcessFile (TypeScript 5.9) does not report ES2020 namespace re-exports, `export * as ns from "x"`:
 * effect's barrels are made of them. One regex, run only on files that contain the shape, adds them back.
 */
const NAMESPACE_REEXPORT = /export\s*\*\s*as\s+[\w$]+\s+from\s*['"]([^'"\n]+)['"]/g;

function listSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (SOURCE.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

function compilerOptions(tsconfig: string | undefined, dir: string): ts.CompilerOptions {
  if (!tsconfig) return { moduleResolution: ts.ModuleResolutionKind.Node10, allowJs: true };
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (read.error) throw new Error(`cannot read ${tsconfig}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  return ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(path.resolve(dir, tsconfig))).options;
}

function main(argv: string[]): void {
  const dir = path.resolve(argv[0] ?? '.');
  const at = argv.indexOf('--tsconfig');
  const tsconfig = at >= 0 ? path.resolve(argv[at + 1]) : undefined;
  const options = compilerOptions(tsconfig, dir);
  const host: ts.ModuleResolutionHost = ts.sys;
  const canonical = (f: string): string => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase());
  const cache = ts.createModuleResolutionCache(dir, canonical, options);
  const nodeNext =
    options.moduleResolution === ts.ModuleResolutionKind.Node16 || options.moduleResolution === ts.ModuleResolutionKind.NodeNext;

  const files = listSources(dir);
  const pairs = new Set<string>();
  let imports = 0;
  let unresolved = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((ref) => ref.fileName);
    if (text.includes('* as')) for (const m of text.matchAll(NAMESPACE_REEXPORT)) specifiers.push(m[1]);
    const mode = nodeNext ? ts.getImpliedNodeFormatForFile(file as ts.Path, cache.getPackageJsonInfoCache(), host, options) : undefined;
    for (const specifier of specifiers) {
      imports++;
      const resolved = ts.resolveModuleName(specifier, file, options, host, cache, undefined, mode).resolvedModule;
      if (!resolved) {
        unresolved++;
        continue;
      }
      if (resolved.isExternalLibraryImport || resolved.resolvedFileName.includes('/node_modules/')) continue;
      pairs.add(`${file}\0${resolved.resolvedFileName}`);
    }
  }
  process.stdout.write(JSON.stringify({ files: files.length, imports, edges: pairs.size, unresolved }) + '\n');
}

main(process.argv.slice(2));
