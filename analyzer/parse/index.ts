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
import type { Warning } from '../types';
import { parseFile, parseTableFacts, type FileFacts } from './file';
import type { DataLibraries } from '../tables/libraries';

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

/**
 * Parses every file once and resolves its imports. Files reached by an import but not listed by
 * the tsconfig join in a second round, as they would join a TS Program.
 */
export async function parseProject(discovery: Discovery, resolver: Resolver, onFile?: (done: number, total: number) => void, options: ParseOptions = {}): Promise<ParsedProject> {
  const { root, compilerOptions } = discovery;
  const scanOptions: ScanOptions = {
    keepValueImports: compilerOptions.verbatimModuleSyntax === true || compilerOptions.preserveValueImports === true,
    isolatedModules: compilerOptions.isolatedModules === true || compilerOptions.verbatimModuleSyntax === true,
    emitDecoratorMetadata: compilerOptions.emitDecoratorMetadata === true && compilerOptions.experimentalDecorators === true,
  };
  const modules = new Map<string, ParsedModule>();
  const warnings: Warning[] = [];
  const known = new Set(discovery.files);
  let total = discovery.files.length;
  let done = 0;
  const progress = (): void => onFile?.(++done, total);

  let round: [string, string][] = discovery.files.map((f) => [f, relative(root, f)]);
  let workers = options.workers ?? defaultWorkers(discovery.files);
  while (round.length) {
    const libs = options.tables;
    const facts = workers > 0 ? await parseInWorkers(round, scanOptions, libs, workers, progress) : round.map(([f, id]) => (progress(), parseFile(f, id, scanOptions, libs)));
    const next: [string, string][] = [];
    for (const f of facts) {
      const mod = resolveModule(f, resolver, root, warnings);
      modules.set(mod.id, mod);
      for (const imp of mod.imports) {
        if (imp.target === undefined) continue;
        const file = path.join(root, imp.target);
        if (!known.has(file)) {
          known.add(file);
          next.push([file, imp.target]);
        }
      }
    }
    total += next.length;
    round = next;
    workers = 0; // the files found through imports are few
  }
  return { modules, warnings };
}

function resolveModule(f: FileFacts, resolver: Resolver, root: string, warnings: Warning[]): ParsedModule {
  const mod: ParsedModule = { id: f.id, file: f.file, loc: f.loc, isJson: f.isJson, imports: [], exports: f.exports, packages: new Set(), routeFacts: f.routeFacts, tableFacts: f.tableFacts ?? emptyTableFacts() };
  if (f.warning) warnings.push(f.warning);
  for (const imp of f.imports) {
    const r = resolver.resolve(imp.specifier, f.file, imp.mode, imp.referencePath);
    const resolved: ResolvedImport = imp;
    if (r.kind === 'internal') resolved.target = relative(root, r.file);
    else if (r.kind === 'package') mod.packages.add(r.name);
    else if (r.kind === 'unresolved') {
      warnings.push({ file: f.id, line: imp.line, message: `cannot resolve '${imp.specifier}' (${KIND_WORDS[imp.kind]})`, code: 'unresolved-import' });
    } else if (!r.reason.startsWith('a declaration')) {
      warnings.push({ file: f.id, line: imp.line, message: `'${imp.specifier}' ${r.reason}: not counted as a module`, code: 'outside-project' });
    }
    mod.imports.push(resolved);
  }
  return mod;
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
async function parseInWorkers(files: [string, string][], scanOptions: ScanOptions, libs: DataLibraries | undefined, count: number, progress: () => void): Promise<FileFacts[]> {
  const script = path.join(__dirname, 'worker.js');
  if (!fs.existsSync(script)) return files.map(([f, id]) => (progress(), parseFile(f, id, scanOptions, libs)));
  const results: FileFacts[] = [];
  let next = 0;
  const take = (): [string, string][] | undefined => {
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
      for (const [f, id] of batch) {
        results.push(parseFile(f, id, scanOptions, libs));
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
