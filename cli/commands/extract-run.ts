import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../analyzer/analyze';
import { AnalyzeInputError } from '../../analyzer/errors';
import type { Report } from '../../analyzer/types';
import { CandidateError } from '../../extract/candidate';
import { RoutesConfigError } from '../../extract/facade-routes';
import { describe, extract, ExtractError } from '../../extract/index';
import { UnsupportedError } from '../../extract/plan';
import { serviceNameOf } from '../../extract/plan';
import { resolveCandidate } from '../../extract/candidate';
import { CliError } from '../errors';
import type { ExtractFlags } from './extract';

export async function runExtract(candidateArg: string, dir: string | undefined, flags: ExtractFlags): Promise<void> {
  const report = await loadReport(dir, flags.report);
  let out = flags.out;
  try {
    if (!out) out = path.join('services', flags.name ?? serviceNameOf(resolveCandidate(report, candidateArg)));
    const result = extract({
      candidate: candidateArg,
      report,
      out,
      name: flags.name,
      routes: flags.routes,
      serviceUrl: flags.serviceUrl,
      legacyUrl: flags.legacyUrl,
      dryRun: flags.dryRun,
      force: flags.force,
    });
    if (flags.json) {
      const p = result.plan;
      process.stdout.write(
        `${JSON.stringify(
          {
            name: p.name,
            candidate: p.candidate.id,
            out: result.tree.outDir,
            dryRun: Boolean(flags.dryRun),
            modules: p.modules.map((m) => ({ id: m.id, role: m.role })),
            routes: p.candidate.routes,
            boundary: p.boundary.map(({ from, line, to, names, kind, decision, note }) => ({ from, line, to, names, kind, decision, note })),
            rewrites: result.generated.rewrites,
            tables: { owned: p.owned.map((t) => t.name), shared: p.shared },
            monolithChanges: p.monolithChanges,
            app: { mode: p.app.mode, root: p.composition.root, reason: p.app.reason, notApplied: p.app.notApplied },
            packages: { lockfile: p.packages.lockfile, dependencies: p.packages.dependencies, devDependencies: p.packages.devDependencies, ranges: p.packages.ranges, workspace: p.packages.workspace, missing: p.packages.missing },
            database: p.database,
            facadeRoutes: result.generated.routes,
            serviceUrl: result.serviceUrl,
            files: result.tree.changes().map((c) => ({ path: c.path, type: c.type })),
            warnings: p.warnings,
          },
          null,
          2,
        )}\n`,
      );
    } else process.stdout.write(describe(result));
    if (!flags.dryRun) process.stderr.write(`extract: wrote ${out}${result.routesFile ? ` and ${path.relative(process.cwd(), result.routesFile)}` : ''}; next: strangler extract build ${out}\n`);
    else process.stderr.write('extract: dry run, nothing written\n');
  } catch (err) {
    if (err instanceof CandidateError || err instanceof ExtractError || err instanceof RoutesConfigError || err instanceof UnsupportedError) throw new CliError(err.message, 2);
    if (err instanceof Error && /exists \(use --force/.test(err.message)) throw new CliError(`extract: ${err.message}`, 2);
    throw err;
  }
}

async function loadReport(dir: string | undefined, reportFile: string | undefined): Promise<Report> {
  if (reportFile) {
    let text: string;
    try {
      text = fs.readFileSync(reportFile, 'utf8');
    } catch (err) {
      throw new CliError(`extract: cannot read the report ${reportFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
    }
    let report: Report;
    try {
      report = JSON.parse(text) as Report;
    } catch (err) {
      throw new CliError(`extract: ${reportFile} is not JSON: ${(err as Error).message}`, 2);
    }
    if (!report || !Array.isArray(report.candidates) || !Array.isArray(report.modules) || typeof report.root !== 'string')
      throw new CliError(`extract: ${reportFile} is not a strangler report (no candidates/modules/root); write one with strangler analyze <dir> --out report.json`, 2);
    if (!report.schemaVersion?.startsWith('1.')) throw new CliError(`extract: ${reportFile} has schemaVersion ${report.schemaVersion}; this strangler reads 1.x`, 2);
    if (!fs.existsSync(report.root)) throw new CliError(`extract: the report's monolith ${report.root} is not on this machine (analyze it here again)`, 2);
    return report;
  }
  if (!dir) throw new CliError('extract: give --report report.json or the monolith\'s directory', 2);
  process.stderr.write(`extract: analyzing ${dir}\n`);
  try {
    return await analyze(dir);
  } catch (err) {
    if (err instanceof AnalyzeInputError) throw new CliError(err.message, 2);
    throw err;
  }
}
