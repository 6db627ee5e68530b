/**
 * Mermaid flowchart: subgraphs per folder; runtime edges solid, type-only dashed (a dotted link
 * restyled with longer dashes), dynamic dotted with a `dynamic` label, runtime cycle edges red via
 * linkStyle; the rank-1 candidate's modules in the `best` class.
 */
import type { Report } from '../types';
import { baseName, graphView } from './graph-view';

/** Text safe inside a Mermaid `["..."]` label. */
const label = (s: string): string => `"${s.replace(/"/g, '#quot;').replace(/[\r\n]+/g, ' ')}"`;

export function renderMermaid(report: Report): string {
  const view = graphView(report);
  const nodeId = new Map<string, string>();
  const out: string[] = ['flowchart LR'];
  let n = 0;
  view.folders.forEach(([folder, ids], i) => {
    out.push(`  subgraph f${i} [${label(folder === '.' ? '(root)' : folder)}]`);
    for (const id of ids) {
      const key = `n${n++}`;
      nodeId.set(id, key);
      out.push(`    ${key}[${label(baseName(id))}]`);
    }
    out.push('  end');
  });
  const red: number[] = [];
  const dashed: number[] = [];
  view.edges.forEach((e, i) => {
    const arrow = e.style === 'runtime' ? '-->' : e.style === 'type-only' ? '-.->' : '-. dynamic .->';
    out.push(`  ${nodeId.get(e.from)} ${arrow} ${nodeId.get(e.to)}`);
    if (e.inCycle) red.push(i);
    if (e.style === 'type-only') dashed.push(i);
  });
  if (red.length > 0) out.push(`  linkStyle ${red.join(',')} stroke:#d00,stroke-width:2px`);
  // Longer dashes tell type-only imports from the dotted dynamic ones.
  if (dashed.length > 0) out.push(`  linkStyle ${dashed.join(',')} stroke-dasharray:6 4`);
  const best = [...view.best].filter((id) => nodeId.has(id)).map((id) => nodeId.get(id)!);
  if (best.length > 0) out.push('  classDef best fill:#c8f7c5,stroke:#2a7a2a', `  class ${best.join(',')} best`);
  return out.join('\n') + '\n';
}
