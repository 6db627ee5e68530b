import fs from 'node:fs';
import path from 'node:path';
import { analyze, type ProgressEvent } from '../../analyzer/analyze';
import { crosscheck, formatCrosscheck, toCrosscheckReport, type CrosscheckResult } from '../../analyzer/crosscheck';
import { AnalyzeInputError } from '../../analyzer/errors';
import { render } from '../../analyzer/reporters';
import { nonRuntimeLine } from '../../analyzer/reporters/explain';
import type { Report } from '../../analyzer/types';
import { CliError } from '../errors';
import { FORMATS, type AnalyzeFlags, type Format } from './analyze-options';

const EXT_FORMATS: Record<string, Format> = { '.json': 'json', '.md': 'md', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.mermaid': 'mermaid', '.txt': 'table', '.html': 'html', '.htm': 'html' };

export async function runAnalyze(dir: string, flags: AnalyzeFlags): Promise<void> {
  const format = pickFormat(flags);
  let top: number | undefined;
  if (flags.top !== undefined) {
    top = Number(flags.top);
    if (!Number.isInteger(top) || top < 1) throw new CliError(`analyze: --top must be a positive integer, got '${flags.top}'`, 2);
  }
  const progress = flags.quiet ? undefined : progressPrinter();
  let report: Report;
  try {
    report = await analyze(dir, { tsconfig: flags.tsconfig, exclude: flags.exclude, includeNonRuntime: flags.includeNonRuntime === true, onProgress: progress });
  } catch (err) {
    if (err instanceof AnalyzeInputError) throw new CliError(err.message, 2);
    throw err;
  }
  if (!flags.quiet) {
    // configuration warnings change what was analyzed: say them now, not only in the report
    for (const w of report.warnings) if (w.code === 'no-tsconfig' || w.code?.startsWith('tsconfig')) process.stderr.write(`analyze: warning: ${w.message}\n`);
    const s = report.summary;
    process.stderr.write(
      `analyze: ${s.modules} modules, ${s.edges} edges (${s.runtimeEdges} runtime, ${s.typeOnlyEdges} type-only), ${s.cycles} runtime cycles, ${s.routes} routes, ${s.tables} tables, ${s.warnings} warnings in ${s.durationMs} ms\n`,
    );
    const apart = nonRuntimeLine(report);
    if (apart) process.stderr.write(`analyze: ${apart}\n`);
  }

  // before the output, so the report carries the result
  let checked: CrosscheckResult | undefined;
  if (flags.crosscheck) {
    checked = await crosscheck(report, { tsconfig: flags.tsconfig });
    report.crosscheck = toCrosscheckReport(checked);
  }

  const output = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : ensureNewline(render(report, format, { top, color: !flags.out && process.stdout.isTTY === true }));
  if (flags.out) {
    const out = path.resolve(flags.out);
    try {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, output);
    } catch (err) {
      throw new CliError(`analyze: cannot write ${out}: ${(err as Error).message}`, 2);
    }
    process.stderr.write(`wrote ${flags.out}\n`);
  } else {
    process.stdout.write(output);
  }

  if (checked) {
    if (!flags.quiet || checked.unexplained.length) process.stderr.write(formatCrosscheck(checked));
    if (checked.unexplained.length) throw new CliError(`analyze: ${checked.unexplained.length} edge(s) on which strangler and madge disagree without an explanation`, 1);
  }
  if (flags.failOnCycles && report.cycles.length) {
    const first = report.cycles[0];
    throw new CliError(`analyze: ${report.cycles.length} runtime import cycle(s); the first: ${[...first, first[0]].join(' → ')}`, 1);
  }
}

function pickFormat(flags: AnalyzeFlags): Format {
  if (flags.format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(flags.format)) {
      throw new CliError(`analyze: unknown format '${flags.format}' (expected one of: ${FORMATS.join(', ')})`, 2);
    }
    if (flags.format === 'html' && !flags.out && process.stdout.isTTY) throw new CliError('analyze: --format html writes a page, not terminal text: pass --out graph.html (or redirect stdout)', 2);
    return flags.format as Format;
  }
  if (flags.out) return EXT_FORMATS[path.extname(flags.out).toLowerCase()] ?? 'json';
  return process.stdout.isTTY ? 'table' : 'json';
}

/** A counter updated in place on a terminal; a few plain lines otherwise. */
export function progressPrinter(): (e: ProgressEvent) => void {
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  let announced = false;
  return (e) => {
    if (e.phase === 'parse' && e.done !== undefined && e.total !== undefined) {
      if (tty) {
        const now = Date.now();
        if (now - lastDraw > 80 || e.done === e.total) {
          lastDraw = now;
          process.stderr.write(`\ranalyze: parsed ${e.done}/${e.total} files`);
        }
      } else if (!announced) {
        announced = true;
        process.stderr.write(`analyze: parsing ${e.total} files\n`);
      }
      return;
    }
    if (e.phase === 'graph') process.stderr.write(tty ? '\n' : 'analyze: parsed, building the graph\n');
  };
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}
