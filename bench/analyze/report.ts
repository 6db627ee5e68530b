/** Turns a corpus's results into the table, the verdict and the edge-count sanity notes a reader sees. */
import Table from 'cli-table3';
import type { CorpusResult, ToolResult } from './harness';

/** The target for a full strangler analysis, relative to dependency-cruiser on the same corpus. */
export const TARGET = { time: 0.55, memory: 1.0 };

/** Edge counts within this fraction of dependency-cruiser's are "the same graph". */
const EDGE_TOLERANCE = 0.05;

const ms = (v: number | null): string => (v === null ? '-' : Math.round(v).toLocaleString('en-US'));
const mb = (v: number | null): string => (v === null ? '-' : v.toFixed(0));
const ratio = (v: number | null): string => (v === null ? '-' : `${v.toFixed(2)}×`);

/** Why a tool's edge count may legitimately differ from dependency-cruiser's. */
const EDGE_CAUSES: Record<string, string> = {
  madge: "madge's TypeScript detective skips require() calls in .ts files (its mixedImports option is off by default and the CLI has no flag for it), and madge keeps only imports that resolve to a file with the --extensions it was given",
  floor: "the floor takes whatever TypeScript's scanner (ts.preProcessFile) reports, plus `export * as ns from` (which the scanner misses), and resolves with TypeScript's own resolver; it has no notion of packages.json `exports` self-references beyond what the tsconfig says",
  strangler: 'strangler counts edges from its report.json (barrel `via` edges left out); differences usually mean different file discovery (tsconfig include vs the src/ folder) or resolution of aliases',
};

export function edgeNotes(result: CorpusResult): string[] {
  const dc = result.tools.find((t) => t.tool === 'depcruise');
  if (!dc || dc.edges === null || dc.edges === 0) return [];
  const notes: string[] = [];
  for (const t of result.tools) {
    if (t.tool === 'depcruise' || t.edges === null) continue;
    const off = (t.edges - dc.edges) / dc.edges;
    if (Math.abs(off) > EDGE_TOLERANCE) {
      notes.push(
        `edges: ${t.tool} found ${t.edges} vs dependency-cruiser ${dc.edges} (${off > 0 ? '+' : ''}${(off * 100).toFixed(0)}%): ${EDGE_CAUSES[t.tool] ?? ''}`,
      );
    }
  }
  return notes;
}

export function verdict(result: CorpusResult): string {
  const s = result.tools.find((t) => t.tool === 'strangler');
  if (!s) return 'verdict: strangler not run';
  if (s.status !== 'ok') return `verdict: n/a: strangler failed (${s.message})`;
  if (s.timeRatio === null || s.memRatio === null) return 'verdict: n/a: dependency-cruiser has no numbers to compare with';
  // three decimals: a ratio printed as 0.55× must not read as a pass when it is 0.553
  const r3 = (v: number): string => `${v.toFixed(3)}×`;
  const timeOk = s.timeRatio <= TARGET.time;
  const memOk = s.memRatio <= TARGET.memory;
  return (
    `verdict: ${timeOk && memOk ? 'PASS' : 'FAIL'}: strangler full analysis ${r3(s.timeRatio)} dependency-cruiser's time (target ≤ ${TARGET.time}×) ${timeOk ? 'ok' : 'MISSED'}, ` +
    `${r3(s.memRatio)} its peak RSS (target ≤ ${TARGET.memory.toFixed(2)}×) ${memOk ? 'ok' : 'MISSED'}` +
    (s.cpuRatio === null ? '' : `; CPU time ${r3(s.cpuRatio)}`)
  );
}

function floorLine(result: CorpusResult): string | null {
  const s = result.tools.find((t) => t.tool === 'strangler');
  const f = result.tools.find((t) => t.tool === 'floor');
  if (!s?.medianMs || !f?.medianMs) return null;
  return `floor: strangler takes ${(s.medianMs / f.medianMs).toFixed(2)}× the time of a bare preProcessFile + resolveModuleName scan (${ms(f.medianMs)} ms)`;
}

function row(t: ToolResult): string[] {
  if (t.status !== 'ok') return [t.label, 'FAILED', '', '', '', '', '', '', ''];
  return [
    t.label,
    ms(t.medianMs),
    ms(t.minMs),
    ms(t.medianCpuMs),
    mb(t.rssMb),
    t.edges === null ? '-' : String(t.edges),
    ratio(t.timeRatio),
    ratio(t.cpuRatio),
    ratio(t.memRatio),
  ];
}

export function formatCorpus(result: CorpusResult): string {
  const table = new Table({
    head: ['tool', 'median ms', 'min ms', 'cpu ms', 'peak RSS MB', 'edges', 'time ×dc', 'cpu ×dc', 'RSS ×dc'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
    // no rule between rows: four rows read better dense
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const t of result.tools) table.push(row(t));
  const lines = [
    `== ${result.corpus}: ${result.files.toLocaleString('en-US')} files, ${result.lines.toLocaleString('en-US')} lines, ${result.rounds} rounds (order alternating) ==`,
    ...result.notes.map((n) => `   ${n}`),
    table.toString(),
  ];
  for (const t of result.tools) if (t.status !== 'ok') lines.push(`${t.tool}: ${t.message}`);
  for (const t of result.tools) if (t.timedOnce) lines.push(`${t.tool}: ${t.timedOnce}`);
  lines.push(...result.checks, ...edgeNotes(result));
  const f = floorLine(result);
  if (f) lines.push(f);
  lines.push(verdict(result));
  return lines.join('\n');
}

/** One markdown table for all corpora, the shape bench/README.md keeps its "last results" in. */
export function formatMarkdown(results: CorpusResult[]): string {
  const lines = [
    '| corpus | tool | median ms | min ms | cpu ms | peak RSS MB | edges | time ×dc | cpu ×dc | RSS ×dc |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    for (const t of r.tools) {
      const cells =
        t.status === 'ok'
          ? [ms(t.medianMs), ms(t.minMs), ms(t.medianCpuMs), mb(t.rssMb), t.edges === null ? '-' : String(t.edges), ratio(t.timeRatio), ratio(t.cpuRatio), ratio(t.memRatio)]
          : [`failed: ${t.message ?? ''}`, '', '', '', '', '', '', ''];
      lines.push(`| ${r.corpus} (${r.files} files, ${r.rounds} rounds) | ${t.label}${t.timedOnce ? ' (timed once)' : ''} | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
