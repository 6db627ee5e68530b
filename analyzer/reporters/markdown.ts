/** The report as Markdown: the table format's content, ready to paste in a pull request. */
import type { Report } from '../types';
import { MAX_WARNINGS, count, decompositionLines, firstServiceLine, fixed, moreLine, nonRuntimeLine, schemaCodeNote, variantsLine, scoreLegend, sharedTables, tablesHeading, shortName, summaryLine, termColumns, topCount, typeOnlyCyclesLine } from './explain';

/** Text safe inside a table cell. */
const cell = (s: string | number): string => String(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
const code = (s: string): string => `\`${s.replace(/`/g, 'ˋ')}\``;

function table(head: string[], rows: (string | number)[][]): string[] {
  return [`| ${head.map(cell).join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

export function renderMarkdown(report: Report, options: { top?: number } = {}): string {
  const top = report.candidates.slice(0, topCount(options.top));
  const columns = termColumns(top);
  const out: string[] = [];
  out.push(`# strangler analysis of ${code(report.root)}`, '', summaryLine(report), '');
  const apart = nonRuntimeLine(report);
  if (apart) out.push(`${apart}; the JSON report's \`nonRuntime\` field says which and why.`, '');

  out.push(`## Extraction candidates (top ${top.length} of ${report.candidates.length}, safest first)`, '');
  if (top.length === 0) out.push('No candidates: nothing can move out short of the whole codebase.', '');
  else {
    out.push(
      ...table(
        ['#', 'candidate', 'kind', 'label', 'score', ...columns.map(shortName)],
        top.map((c) => {
          const byName = new Map(c.terms.map((t) => [t.name, t]));
          return [c.rank, c.name, c.kind, c.label, fixed(c.score), ...columns.map((n) => (byName.has(n) ? fixed(byName.get(n)!.contribution) : '-'))];
        }),
      ),
      '',
      `> ${scoreLegend(columns)}`,
      '',
    );
    const firstService = firstServiceLine(report, top.length);
    if (firstService) out.push(firstService, '');
    for (const c of top) {
      out.push(`### ${c.rank}. ${c.name} (score ${fixed(c.score)})`, '');
      const prefixes = c.pathPrefixes.length ? c.pathPrefixes.map(code).join(', ') : 'none';
      out.push(`${c.kind} candidate, ${c.label}, ${count(c.modules.length, 'module')}; path prefixes: ${prefixes}.`, '');
      for (const t of c.terms) out.push(`- **${t.name}** +${fixed(t.contribution)} (value ${t.value}, weight ${t.weight}): ${t.reason}`);
      const variants = variantsLine(c);
      if (variants) out.push('', `${variants.charAt(0).toUpperCase()}${variants.slice(1)}.`);
      out.push('');
    }
  }

  out.push(`## Runtime cycles (${report.cycles.length})`, '');
  if (report.cycles.length === 0) out.push('None: every module can move without cutting an import cycle.');
  report.cycles.forEach((cycle, i) => out.push(`${i + 1}. ${cycle.map(code).join(' ⇄ ')}`));
  if (report.typeOnlyCycles.length > 0) out.push('', typeOnlyCyclesLine(report.typeOnlyCycles.length));
  out.push('');

  out.push(`## ${tablesHeading(report)}`, '');
  const shared = sharedTables(report);
  if (shared.length === 0) out.push(report.tables.length === 0 ? 'No tables found.' : 'None: every table is used by one module.');
  else {
    out.push(...table(['table', 'writers', 'readers'], shared.map((t) => [t.name, t.writers.join(', ') || '-', t.readers.join(', ') || '-'])));
    const note = schemaCodeNote(report);
    if (note) out.push('', note);
  }
  out.push('');

  const d = report.decomposition;
  out.push(`## Suggested decomposition (${d.services.length} services)`, '');
  out.push(...table(['service', 'name', 'modules'], d.services.map((s) => [s.id, s.name, s.modules.length])), '');
  out.push(...decompositionLines(report).map((l) => `- ${l}`), '');

  out.push(`## Warnings (${report.warnings.length})`, '');
  if (report.warnings.length === 0) out.push('None.');
  for (const w of report.warnings.slice(0, MAX_WARNINGS)) out.push(`- ${code(`${w.file}:${w.line}`)} ${w.message}${w.code ? ` (${w.code})` : ''}`);
  const more = moreLine(MAX_WARNINGS, report.warnings.length, 'warnings (all are in the JSON report)');
  if (more) out.push(`- ${more}`);
  return out.join('\n') + '\n';
}
