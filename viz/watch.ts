/**
 * `strangler view --watch`: file changes become new reports. A directory is analyzed incrementally
 * (only the changed files are parsed again); a report.json is read again. A bad state (a tsconfig
 * that no longer parses, a report that is not JSON) is a problem sent to the page while the last
 * good report stays.
 */
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import { AnalyzeInputError } from '../analyzer/errors';
import type { IncrementalAnalysis } from '../analyzer/incremental';
import { ReportError } from './model/report-check';
import { readReportFile, type ReportSource, type Update } from './source';

export interface Watching {
  /** Resolves once the tree has been read: changes from then on are seen. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Directories never worth watching: dependencies, VCS, build output, caches. */
const IGNORED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'coverage', '.next', '.turbo', '.cache']);
const SOURCE = /\.(?:[cm]?[jt]sx?|json)$/;
/** Editors write a file in bursts (truncate, write, rename): one analysis per burst. */
const SETTLE_MS = 15;

function ignored(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel.split(path.sep).some((part) => IGNORED_DIRS.has(part) || (part.startsWith('.') && part !== '.' && part !== '..'));
}

export function watchDirectory(
  root: string,
  analysis: IncrementalAnalysis,
  source: ReportSource,
  log: { update(u: Update, changed: string[]): void; problem(message: string): void },
): Watching {
  const watcher = chokidar.watch(root, { ignoreInitial: true, ignored: (f) => ignored(f, root) });
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  const run = async (): Promise<void> => {
    const changed = [...pending];
    pending.clear();
    try {
      const { report, parsed } = await analysis.run(changed);
      const update = { report, parsed, durationMs: report.summary.durationMs };
      source.set(update);
      log.update(update, changed.map((f) => path.relative(root, f)));
    } catch (err) {
      const message = err instanceof AnalyzeInputError ? err.message : `analysis failed: ${(err as Error).message}`;
      source.problem({ message });
      log.problem(message);
    }
  };
  const kick = (): void => {
    if (running) return;
    running = run().finally(() => {
      running = null;
      // changes that came in during the run get a run of their own
      if (pending.size) kick();
    });
  };
  const onEvent = (file: string): void => {
    if (!SOURCE.test(file)) return;
    pending.add(path.resolve(file));
    clearTimeout(timer);
    timer = setTimeout(kick, SETTLE_MS);
  };
  watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent);
  watcher.on('error', (err) => log.problem(`watching ${root}: ${(err as Error).message}`));
  return { ready: readyOf(watcher), close: () => closeWatcher(watcher, timer) };
}

export function watchReportFile(file: string, source: ReportSource, log: { update(u: Update, changed: string[]): void; problem(message: string): void }): Watching {
  const absolute = path.resolve(file);
  // the directory, not the file: an editor or `analyze --out` may replace the file with a rename
  const watcher = chokidar.watch(path.dirname(absolute), { ignoreInitial: true, depth: 0 });
  let timer: NodeJS.Timeout | undefined;
  const reload = (): void => {
    try {
      const report = readReportFile(absolute);
      source.set({ report });
      log.update({ report }, [path.basename(absolute)]);
    } catch (err) {
      const e = err instanceof ReportError ? err : new ReportError(file, [(err as Error).message], 'unreadable');
      source.problem({ message: `${e.source} is ${e.kind === 'not-json' ? 'not JSON' : e.kind === 'schema' ? 'not a strangler report' : 'unreadable'}`, problems: e.problems });
      log.problem(e.message);
    }
  };
  const onEvent = (f: string): void => {
    if (path.resolve(f) !== absolute) return;
    clearTimeout(timer);
    timer = setTimeout(reload, 50);
  };
  watcher.on('add', onEvent).on('change', onEvent);
  return { ready: readyOf(watcher), close: () => closeWatcher(watcher, timer) };
}

function readyOf(watcher: FSWatcher): Promise<void> {
  return new Promise((resolve) => watcher.once('ready', () => resolve()));
}

async function closeWatcher(watcher: FSWatcher, timer: NodeJS.Timeout | undefined): Promise<void> {
  clearTimeout(timer);
  await watcher.close();
}
