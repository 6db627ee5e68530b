import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Discovery } from '../discover';
import { relative } from '../discover';
import type { Resolver } from '../resolve';
import type { RouteFacts } from '../routes';
import type { ExportTable, RawImport, ScanOptions } from '../scan';
import { emptyTableFacts, type TableFacts } from '../tables/facts';
import { librariesKey, type DataLibraries } from '../tables/libraries';
import type { Warning } from '../types';
import { parseFile, parseTableFacts, type FileFacts } from './file';

/** An import whose target is known: a module id, or nothing (package, unresolved, ignored). */
export interface ResolvedImport extends RawImport {
  /** Module id of the target when it is one of ours. */
  target?: string;
}

export interface ParsedModule {
  id: string;
  file: string;
  loc: number;
  isJson: boolean;
  /** How it was scanned: its tsconfig project's options. */
  scanOptions: ScanOptions;
  imports: ResolvedImport[];
  exports: ExportTable;
  packages: Set<string>;
  routeFacts?: RouteFacts;
  tableFacts: TableFacts;
}

export interface ParsedProject {
  modules: Map<string, ParsedModule>;
  warnings: Warning[];
}

export interface ParseOptions {
  /** Worker threads besides the main one; default: one per extra core (max 3) on 4+ cores, none for small projects. */
  workers?: number;
  /**
   * Facts of files parsed before, by absolute path: a file found here is not read again, and every
   * file parsed now is added. Incremental analysis (analyzer/incremental.ts) deletes the files that changed.
   */
  cache?: Map<string, FileFacts>;
  /** The data libraries whose table access forms are read (default: all). */
  tables?: DataLibraries;
}

const KIND_WORDS: Record<string, string> = {
  static: 'import',
  'type-only': 'type import',
  dynamic: 'dynamic import()',
  're-export': 're-export',
  require: 'require()',
  pending: 're-export',
};

/**
 * Below this much source, a worker (it loads TypeScript again: ~70 MB more RSS, ~0.2 s more CPU)
 * costs more than it saves; rxjs (1.5 MB) stays on one thread, effect (23 MB) does not.
 */
const MIN_BYTES_FOR_WORKERS = 4 * 1024 * 1024;
const BATCH = 8;

/** A file to parse: absolute path, module id, index of its project's scan options. */
export type ParseJob = [string, string, number];

/**
 * Parses every file once and resolves its imports. Files reached by an import but not listed by
 * the tsconfig join in a second round, as they would join a TS Program.
 */
export async function parseProject(discovery: Discovery, resolver: Resolver, onFile?: (done: number, total: number) => void, options: ParseOptions = {}): Promise<ParsedProject> {
  const { root } = discovery;
  // each file is scanned with the options of its own tsconfig project (a solution has several)
  const scanOptions: ScanOptions[] = discovery.projects.map(({ compilerOptions: c }) => ({
    keepValueImports: c.verbatimModuleSyntax === true || c.preserveValueImports === true,
    isolatedModules: c.isolatedModules === true || c.verbatimModuleSyntax === true,
    emitDecoratorMetadata: c.emitDecoratorMetadata === true && c.experimentalDecorators === true,
  }));
  const job = (file: string, id: string): ParseJob => [file, id, discovery.projects.length > 1 ? discovery.projectOf(file) : 0];
  const modules = new Map<string, ParsedModule>();
  const warnings: Warning[] = [];
  const known = new Set(discovery.files);
  let total = discovery.files.length;
  let done = 0;
  const progress = (): void => onFile?.(++done, total);

  // module ids of the files imports resolve to: most are imported by many files
  const ids = new Map<string, string>();
  const idOf = (file: string): string => {
    let id = ids.get(file);
    if (id === undefined) ids.set(file, (id = relative(root, file)));
    return id;
  };
  let round: ParseJob[] = discovery.files.map((f) => job(f, relative(root, f)));
  let workers = options.workers ?? defaultWorkers(discovery.files);
  const cache = options.cache;
  const libs = options.tables;
  const libsKey = librariesKey(libs);
  while (round.length) {
    // facts cached under other data libraries read other table forms: such a file is parsed again
    const toParse = cache ? round.filter(([f]) => cache.get(f)?.tableLibraries !== libsKey) : round;
    for (let i = toParse.length; i < round.length; i++) progress();
    let facts = workers > 0 && toParse.length ? await parseInWorkers(toParse, scanOptions, libs, workers, progress) : toParse.map(([f, id, o]) => (progress(), parseFile(f, id, scanOptions[o], libs)));
    if (cache) {
      for (const f of facts) cache.set(f.file, f);
      facts = round.map(([f]) => cache.get(f)!);
    }
    const next: ParseJob[] = [];
    for (const f of facts) {
      const mod = resolveModule(f, resolver, idOf, warnings, scanOptions[discovery.projects.length > 1 ? discovery.projectOf(f.file) : 0]);
      modules.set(mod.id, mod);
      for (const imp of mod.imports) {
        if (imp.target === undefined) continue;
        const file = path.join(root, imp.target);
        if (!known.has(file)) {
          known.add(file);
          next.push(job(file, imp.target));
        }
      }
    }
    total += next.length;
    round = next;
    workers = 0; // the files found through imports are few
  }
  return { modules, warnings };
}

function resolveModule(f: FileFacts, resolver: Resolver, idOf: (file: string) => string, warnings: Warning[], scanOptions: ScanOptions): ParsedModule {
  const mod: ParsedModule = {
    id: f.id,
    file: f.file,
    loc: f.loc,
    isJson: f.isJson,
    scanOptions,
    imports: [],
    exports: f.exports,
    packages: new Set(),
    routeFacts: f.routeFacts,
    tableFacts: f.tableFacts ?? emptyTableFacts(),
  };
  if (f.warning) warnings.push(f.warning);
  for (const imp of f.imports) {
    if (imp.glob) {
      expandGlob(imp, f, mod, resolver, idOf, warnings);
      continue;
    }
    const r = resolver.resolve(imp.specifier, f.file, imp.mode, imp.referencePath);
    // a copy: cached facts are resolved again on the next incremental run, maybe to another target
    const resolved: ResolvedImport = { ...imp };
    if (r.kind === 'internal') resolved.target = idOf(r.file);
    else if (r.kind === 'package') mod.packages.add(r.name);
    else if (r.kind === 'unresolved') {
      warnings.push({ file: f.id, line: imp.line, message: `cannot resolve '${imp.specifier}' (${KIND_WORDS[imp.kind]})`, code: 'unresolved-import' });
    } else if (!r.quiet) {
      warnings.push({ file: f.id, line: imp.line, message: `'${imp.specifier}' ${r.reason}: not counted as a module`, code: 'outside-project' });
    }
    mod.imports.push(resolved);
  }
  return mod;
}

/** A glob import is an import of each file it loads; one that cannot be read or loads nothing is a warning. */
function expandGlob(imp: RawImport, f: FileFacts, mod: ParsedModule, resolver: Resolver, idOf: (file: string) => string, warnings: Warning[]): void {
  const call = imp.glob!.context || imp.glob!.unreadable === 'require.context' ? 'require.context' : 'import.meta.glob';
  if (imp.glob!.unreadable) {
    warnings.push({ file: f.id, line: imp.line, message: `${call}(${imp.specifier}) has an argument that is not a literal: the files it loads are not edges`, code: 'glob-import' });
    return;
  }
  const files = resolver.resolveGlob(imp.glob!, f.file);
  if (files.length === 0) warnings.push({ file: f.id, line: imp.line, message: `${call}(${imp.specifier}) matches no project file`, code: 'glob-import' });
  for (const file of files) mod.imports.push({ ...imp, target: idOf(file) });
}

function defaultWorkers(files: readonly string[]): number {
  const env = process.env.STRANGLER_PARSE_WORKERS;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  const cores = os.availableParallelism();
  // On 2 cores the second one is already busy with V8's GC and compiler threads: a worker made effect
  // (23 MB) slower (wall 3.5 s vs 3.2 s, CPU 6.3 s vs 4.7 s, RSS 462 MB vs 367 MB). A machine already
  // busy on every core gains no wall time from a worker either, only spends CPU on it.
  if (cores < 4 || os.loadavg()[0] >= cores) return 0;
  let bytes = 0;
  for (const f of files) {
    bytes += fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0;
    if (bytes >= MIN_BYTES_FOR_WORKERS) return Math.min(3, cores - 1);
  }
  return 0;
}

/**
 * The main thread and `count` workers pull batches from one queue. Workers only exist in the
 * compiled build (dist/); from TypeScript sources (tests) everything stays on the main thread.
 */
async function parseInWorkers(files: ParseJob[], scanOptions: ScanOptions[], libs: DataLibraries | undefined, count: number, progress: () => void): Promise<FileFacts[]> {
  const script = path.join(__dirname, 'worker.js');
  if (!fs.existsSync(script)) return files.map(([f, id, o]) => (progress(), parseFile(f, id, scanOptions[o], libs)));
  const results: FileFacts[] = [];
  let next = 0;
  const take = (): ParseJob[] | undefined => {
    if (next >= files.length) return undefined;
    const batch = files.slice(next, next + BATCH);
    next += BATCH;
    return batch;
  };
  const workers = Array.from({ length: count }, () => new Worker(script, { workerData: { scanOptions, libs } }));
  const finished = workers.map(
    (w) =>
      new Promise<void>((resolve, reject) => {
        let inFlight = 0;
        const feed = (): void => {
          const batch = take();
          if (batch) {
            inFlight++;
            w.postMessage(batch);
          } else if (inFlight === 0) {
            w.postMessage(null);
            resolve();
          }
        };
        w.on('message', (msg: 'ready' | FileFacts[]) => {
          if (msg === 'ready') {
            // two batches in flight: the worker never waits for the main thread to hand out work
            feed();
            feed();
            return;
          }
          inFlight--;
          for (const f of msg) {
            results.push(f);
            progress();
          }
          feed();
        });
        w.on('error', reject);
        w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`parse worker exited with code ${code}`))));
      }),
  );
  try {
    for (let batch = take(); batch; batch = take()) {
      for (const [f, id, o] of batch) {
        results.push(parseFile(f, id, scanOptions[o], libs));
        progress();
      }
      // let workers' answers in, so they get their next batch
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(finished);
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  // workers end on their own (null message); unref so a slow exit never holds the process
  for (const w of workers) w.unref();
  return results;
}

/** Reads every module's table facts again with more data libraries: when parsing found imports of one the prediction left out. */
export function recollectTables(modules: ParsedProject['modules'], libs: DataLibraries): void {
  for (const m of modules.values()) {
    const facts = parseTableFacts(m.file, libs);
    if (facts) m.tableFacts = facts;
  }
}
