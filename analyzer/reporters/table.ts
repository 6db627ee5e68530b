/** The terminal report: summary, ranking table, reasons, cycles, tables, decomposition, warnings. */
import Table from 'cli-table3';
import picocolors from 'picocolors';
import type { Report } from '../types';
import {
  MAX_WARNINGS,
  candidateHeadline,
  decompositionLines,
  firstServiceLine,
  fixed,
  moreLine,
  nonRuntimeLine,
  schemaCodeNote,
  sharedTables,
  tablesHeading,
  scoreLegend,
  shortName,
  summaryLine,
  termColumns,
  topCount,
  typeOnlyCyclesLine,
  variantsLine,
} from './explain';

export function renderTable(report: Report, options: { top?: number; color?: boolean } = {}): string {
  const c = picocolors.createColors(options.color === true);
  const style = options.color ? { head: ['cyan'], border: ['gray'] } : { head: [], border: [] };
  const top = report.candidates.slice(0, topCount(options.top));
  const columns = termColumns(top);
  const out: string[] = [];

  out.push(c.bold(`strangler analysis of ${report.root}`), summaryLine(report));
  const apart = nonRuntimeLine(report);
  if (apart) out.push(c.dim(`${apart}; the JSON report's nonRuntime field says which and why`));
  out.push('');

  out.push(c.bold(`Extraction candidates: top ${top.length} of ${report.candidates.length}, safest first`));
  if (top.length === 0) out.push('No candidates: nothing can move out short of the whole codebase.');
  else {
    const table = new Table({ head: ['#', 'candidate', 'kind', 'label', 'score', ...columns.map(shortName)], style });
    for (const cand of top) {
      const byName = new Map(cand.terms.map((t) => [t.name, t]));
      table.push([
        cand.rank,
        cand.name,
        cand.kind,
        cand.label === 'service' ? c.green(cand.label) : c.yellow(cand.label),
        c.bold(fixed(cand.score)),
        ...columns.map((name) => {
          const t = byName.get(name);
          return t ? fixed(t.contribution) : '-';
        }),
      ]);
    }
    out.push(table.toString(), c.dim(scoreLegend(columns)));
    const firstService = firstServiceLine(report, top.length);
    if (firstService) out.push(firstService);
    out.push('');
    out.push(c.bold('Why'));
    for (const cand of top) {
      out.push(candidateHeadline(cand));
      for (const t of cand.terms) out.push(`   ${t.name.padEnd(13)} +${fixed(t.contribution)}  ${c.dim(t.reason)}`);
      const variants = variantsLine(cand);
      if (variants) out.push(c.dim(`   ${variants}`));
    }
  }
  out.push('');

  out.push(c.bold(`Runtime cycles (${report.cycles.length})`));
  if (report.cycles.length === 0) out.push('none: every module can move without cutting an import cycle');
  report.cycles.forEach((cycle, i) => out.push(c.red(`#${i + 1} (${cycle.length} modules): ${cycle.join(' ⇄ ')}`)));
  if (report.typeOnlyCycles.length > 0) out.push(c.dim(typeOnlyCyclesLine(report.typeOnlyCycles.length)));
  out.push('');

  out.push(c.bold(tablesHeading(report)));
  const shared = sharedTables(report);
  if (shared.length === 0) out.push(report.tables.length === 0 ? 'no tables found' : 'none: every table is used by one module');
  else {
    const tables = new Table({ head: ['table', 'writers', 'readers'], style, wordWrap: true });
    for (const t of shared) tables.push([t.name, t.writers.join('\n') || '-', t.readers.join('\n') || '-']);
    out.push(tables.toString());
    const note = schemaCodeNote(report);
    if (note) out.push(c.dim(note));
  }
  out.push('');

  const d = report.decomposition;
  out.push(c.bold(`Suggested decomposition: ${d.services.length} services`));
  for (const s of d.services) out.push(`${s.id} ${s.name} (${s.modules.length} modules)`);
  out.push(...decompositionLines(report).map((l) => c.dim(l)), '');

  out.push(c.bold(`Warnings (${report.warnings.length})`));
  if (report.warnings.length === 0) out.push('none');
  for (const w of report.warnings.slice(0, MAX_WARNINGS)) out.push(c.yellow(`${w.file}:${w.line} ${w.message}${w.code ? ` [${w.code}]` : ''}`));
  const more = moreLine(MAX_WARNINGS, report.warnings.length, 'warnings (all are in the JSON report)');
  if (more) out.push(more);
  return out.join('\n') + '\n';
}
