/**
 * Incremental analysis for `strangler view --watch`: the per-file facts (parse, imports, routes,
 * tables) are kept between runs, and a change re-parses only the files that changed. Discovery,
 * resolution, graph, metrics and ranking are rebuilt from the kept facts each time, so a new or
 * deleted file, or an edited tsconfig, is seen exactly as a fresh `analyze` would see it.
 */
import path from 'node:path';
import { analyze, type AnalyzeOptions } from './analyze';
import type { FileFacts } from './parse/file';
import type { Report } from './types';

export interface IncrementalResult {
  report: Report;
  /** Files (module ids) parsed by this run: the changed ones and any new ones. */
  parsed: string[];
}

export class IncrementalAnalysis {
  private readonly cache = new Map<string, FileFacts>();
  private root: string;

  constructor(
    dir: string,
    private readonly options: Omit<AnalyzeOptions, 'cache'> = {},
  ) {
    this.root = path.resolve(dir);
  }

  /** The first run parses every file; later runs only what `changed` names (absolute or relative to the directory). */
  async run(changed: Iterable<string> = []): Promise<IncrementalResult> {
    for (const file of changed) this.cache.delete(path.resolve(this.root, file));
    const before = new Set(this.cache.keys());
    const report = await analyze(this.root, { ...this.options, cache: this.cache });
    this.root = report.root;
    const parsed: string[] = [];
    for (const [file, facts] of this.cache) if (!before.has(file)) parsed.push(facts.id);
    // files that left the project (deleted, excluded) are not kept
    const ids = new Set(report.modules.map((m) => m.id));
    for (const [file, facts] of this.cache) if (!ids.has(facts.id)) this.cache.delete(file);
    return { report, parsed: parsed.sort() };
  }
}
