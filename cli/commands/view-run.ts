import fs from 'node:fs';
import path from 'node:path';
import { AnalyzeInputError } from '../../analyzer/errors';
import { IncrementalAnalysis } from '../../analyzer/incremental';
import type { Report } from '../../analyzer/types';
import { diffReports } from '../../viz/model/diff';
import { ReportError } from '../../viz/model/report-check';
import { openBrowser } from '../../viz/open-browser';
import { ListenError, startViewServer } from '../../viz/server';
import { readReportFile, ReportSource, type Update } from '../../viz/source';
import { watchDirectory, watchReportFile, type Watching } from '../../viz/watch';
import { CliError } from '../errors';
import { progressPrinter } from './analyze-run';
import type { ViewFlags } from './view';

export async function runView(target: string | undefined, flags: ViewFlags): Promise<void> {
  const resolved = path.resolve(target ?? (fs.existsSync('report.json') ? 'report.json' : '.'));
  const stat = fs.statSync(resolved, { throwIfNoEntry: false });
  if (!stat) throw new CliError(`view: ${target ?? resolved}: no such file or directory (give a report.json or a directory to analyze)`, 2);

  const source = new ReportSource();
  let analysis: IncrementalAnalysis | undefined;
  if (stat.isDirectory()) {
    analysis = new IncrementalAnalysis(resolved, { tsconfig: flags.tsconfig, exclude: flags.exclude, onProgress: flags.quiet ? undefined : progressPrinter() });
    try {
      const { report } = await analysis.run();
      source.set({ report, durationMs: report.summary.durationMs });
      if (!flags.quiet) process.stderr.write(`view: analyzed ${report.summary.modules} modules, ${report.summary.edges} edges in ${report.summary.durationMs} ms\n`);
    } catch (err) {
      if (err instanceof AnalyzeInputError) throw new CliError(`view: ${err.message}`, 2);
      throw err;
    }
  } else {
    try {
      source.set({ report: readReportFile(resolved) });
    } catch (err) {
      if (err instanceof ReportError) throw new CliError(`view: ${err.message}`, 2);
      throw err;
    }
  }

  let server;
  try {
    server = await startViewServer({ source, host: flags.host, port: flags.port, watch: flags.watch === true });
  } catch (err) {
    if (err instanceof ListenError) throw new CliError(`view: ${err.message}`, 2);
    throw err;
  }

  let watching: Watching | undefined;
  if (flags.watch) {
    let last = source.report!;
    const log = {
      update: (u: Update, changed: string[]) => {
        process.stderr.write(`view: ${changed.join(', ') || 'files'} changed: ${describe(last, u)}\n`);
        last = u.report;
      },
      problem: (message: string) => process.stderr.write(`view: ${message} (the page keeps the last good report)\n`),
    };
    watching = analysis ? watchDirectory(resolved, analysis, source, log) : watchReportFile(resolved, source, log);
    await watching.ready;
  }

  const where = flags.watch ? ` (watching ${path.relative(process.cwd(), resolved) || '.'})` : '';
  process.stderr.write(`strangler view: ${server.url}${where}; Ctrl-C to stop\n`);
  if (flags.open) openBrowser(server.url, (message) => process.stderr.write(`view: ${message}\n`));

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await watching?.close();
  await server.close();
}

/** One line on what an update changed: `re-parsed 1 file in 41 ms: +1 edge, new cycle`. */
function describe(before: Report, u: Update): string {
  const d = diffReports(before, u.report);
  const parts: string[] = [];
  if (d.edgesAdded.length) parts.push(`+${d.edgesAdded.length} edge${d.edgesAdded.length === 1 ? '' : 's'}`);
  if (d.edgesRemoved.length) parts.push(`-${d.edgesRemoved.length} edge${d.edgesRemoved.length === 1 ? '' : 's'}`);
  if (d.modulesAdded.length) parts.push(`+${d.modulesAdded.length} module${d.modulesAdded.length === 1 ? '' : 's'}`);
  if (d.modulesRemoved.length) parts.push(`-${d.modulesRemoved.length} module${d.modulesRemoved.length === 1 ? '' : 's'}`);
  if (d.cyclesAdded.length) parts.push(`${d.cyclesAdded.length} new cycle${d.cyclesAdded.length === 1 ? '' : 's'}`);
  if (d.cyclesRemoved.length) parts.push(`${d.cyclesRemoved.length} cycle${d.cyclesRemoved.length === 1 ? '' : 's'} gone`);
  if (d.scores.length) parts.push(`${d.scores.length} candidate score${d.scores.length === 1 ? '' : 's'} moved`);
  const how = u.parsed ? `re-parsed ${u.parsed.length} file${u.parsed.length === 1 ? '' : 's'} in ${u.durationMs} ms` : 'report read again';
  return `${how}: ${parts.length ? parts.join(', ') : 'no change in the graph'}`;
}
