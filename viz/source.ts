/**
 * Where the server's report comes from: a report.json, or an analysis of a directory; with
 * --watch, each new report (or the problem that kept the last good one) goes to every open page.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { validateReport } from '../analyzer/schema';
import { SCHEMA_VERSION, type Report } from '../analyzer/types';
import { checkReport, ReportError } from './model/report-check';

export interface Update {
  report: Report;
  /** Module ids parsed again for this update (incremental analysis). */
  parsed?: string[];
  durationMs?: number;
}

export interface Problem {
  message: string;
  problems?: string[];
}

export class ReportSource extends EventEmitter<{ report: [Update, string]; problem: [Problem] }> {
  private last: { report: Report; json: string } | null = null;
  lastProblem: Problem | null = null;

  constructor(report?: Report) {
    super();
    if (report) this.set({ report });
  }

  get report(): Report | null {
    return this.last?.report ?? null;
  }

  /** The report as served by GET /api/report (serialized once per update). */
  get json(): string | null {
    return this.last?.json ?? null;
  }

  set(update: Update): void {
    this.last = { report: update.report, json: JSON.stringify(update.report) };
    this.lastProblem = null;
    // the event carries the serialized update so each page gets the same bytes without a re-serialization
    this.emit('report', update, JSON.stringify({ report: update.report, parsed: update.parsed, durationMs: update.durationMs }));
  }

  problem(p: Problem): void {
    this.lastProblem = p;
    this.emit('problem', p);
  }
}

/** Reads and checks a report file: not JSON, or not the schema, is a ReportError that says where. */
export function readReportFile(file: string): Report {
  const rel = path.relative(process.cwd(), file);
  const shown = rel && !rel.startsWith('..') ? rel : file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ReportError(shown, [(err as Error).message], 'unreadable');
  }
  return checkReport(text, shown, validateReport, SCHEMA_VERSION);
}
