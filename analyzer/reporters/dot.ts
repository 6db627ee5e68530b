/**
 * Graphviz DOT: modules clustered by folder; runtime edges solid, type-only dashed, dynamic
 * dotted, runtime cycle edges red; the rank-1 candidate's modules filled green.
 */
import type { Report } from '../types';
import { baseName, graphView } from './graph-view';

/** A DOT double-quoted ID. */
export const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;

const STYLE = { runtime: 'solid', 'type-only': 'dashed', dynamic: 'dotted' } as const;

export function renderDot(report: Report): string {
  const view = graphView(report);
  const out: string[] = [
    'digraph strangler {',
    '  rankdir=LR;',
    '  compound=true;',
    '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica", fontsize=10];',
    '  edge [arrowsize=0.6];',
    `  label=${quote('runtime imports solid, type-only dashed, dynamic dotted, runtime cycles red; green = rank-1 extraction candidate')};`,
    '  labelloc=t;',
  ];
  view.folders.forEach(([folder, ids], i) => {
    out.push(`  subgraph cluster_${i} {`, `    label=${quote(folder === '.' ? '(root)' : folder)};`, '    style=rounded; color=gray60;');
    for (const id of ids) out.push(`    ${quote(id)} [label=${quote(baseName(id))}${view.best.has(id) ? ', fillcolor=palegreen' : ''}];`);
    out.push('  }');
  });
  for (const e of view.edges) {
    const attrs = [`style=${STYLE[e.style]}`];
    if (e.inCycle) attrs.push('color=red', 'penwidth=1.5');
    out.push(`  ${quote(e.from)} -> ${quote(e.to)} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
