import type { ModuleReport, Route } from '../../../analyzer/types';
import { TRUTH_CORPORA } from '../corpora';
import { scoreCorpus } from '../match';
import { type CorpusResult, summaryMarkdown, summaryRows } from '../run';
import type { TruthFile } from '../truth-file';

// The summary's totals: apps the analyzer's authors could see add up to "overall", held-out apps to "held out",
// never one into the other. Scores come from the real scorer on small hand-made truths and reports.

const route = (method: string, path: string): Route => ({ method, path, module: 'src/a.ts', line: 1 });
const tr = (method: string, path: string) => ({ method, path, module: 'src/a.ts', line: 3, evidence: 'src/a.ts:3 x' });
const tt = (table: string) => ({ module: 'src/a.ts', table, access: 'read' as const, line: 7, evidence: 'src/a.ts:7 x', mapping: 'm.ts:1 y' });
const mod = (tables: string[]): ModuleReport => ({
  id: 'src/a.ts',
  loc: 1,
  ca: 0,
  ce: 0,
  caTypeOnly: 0,
  ceTypeOnly: 0,
  instability: 0,
  blastRadius: 0,
  transitiveDependencies: 0,
  cycle: null,
  routes: [],
  tables: tables.map((name) => ({ name, access: 'read' as const })),
  packages: [],
});

/** An app whose truth lists `listed` routes and `listed` tables, of which the report has the first `found`. */
function app(name: string, heldOut: boolean, listed: number, found: number, ms: number): CorpusResult {
  const paths = Array.from({ length: listed }, (_, i) => `/r${i}`);
  const tables = Array.from({ length: listed }, (_, i) => `t${i}`);
  const truth: TruthFile = { corpus: name, notes: '', routes: paths.map((p) => tr('GET', p)), tables: tables.map(tt) };
  const report = { routes: paths.slice(0, found).map((p) => route('GET', p)), modules: [mod(tables.slice(0, found))], candidates: [] };
  return { name, heldOut, modules: 10, analysisMs: ms, score: scoreCorpus(truth, report) };
}

const rowNamed = (rows: (string | number)[][], name: string) => rows.find((r) => r[0] === name);

describe('summary totals', () => {
  const seenA = app('a', false, 4, 4, 100);
  const seenB = app('b', false, 6, 5, 200);
  const heldC = app('c', true, 10, 2, 300);
  const heldD = app('d', true, 5, 5, 400);

  it('totals visible apps as "overall" and held-out apps as "held out", apart', () => {
    const rows = summaryRows([heldC, seenA, heldD, seenB]);
    // routes listed, exact, recall; tables listed, found, recall
    expect(rowNamed(rows, 'overall')?.slice(2, 8)).toEqual([10, 9, '90.0 %', 10, 9, '90.0 %']);
    expect(rowNamed(rows, 'held out')?.slice(2, 8)).toEqual([15, 7, '46.7 %', 15, 7, '46.7 %']);
    expect(rowNamed(rows, 'overall')?.[10]).toBe('300 ms');
    expect(rowNamed(rows, 'held out')?.[10]).toBe('700 ms');
  });

  it('lists visible apps first, held-out apps marked after them, then the two totals', () => {
    expect(summaryRows([heldC, seenA, heldD, seenB]).map((r) => r[0])).toEqual(['a', 'b', 'c (held out)', 'd (held out)', 'overall', 'held out']);
  });

  it('prints only the totals a selection has (--corpus of held-out apps alone)', () => {
    expect(summaryRows([heldC, heldD]).map((r) => r[0])).toEqual(['c (held out)', 'd (held out)', 'held out']);
    expect(summaryRows([seenA, seenB]).map((r) => r[0])).toEqual(['a', 'b', 'overall']);
    expect(summaryRows([heldC]).map((r) => r[0])).toEqual(['c (held out)']);
  });

  it('keeps a failed held-out app out of the totals and says why in its row', () => {
    const failed: CorpusResult = { name: 'e', heldOut: true, modules: null, analysisMs: 50, error: 'strangler analyze exited 1' };
    const rows = summaryRows([seenA, heldC, failed]);
    expect(rowNamed(rows, 'e (held out)')?.[2]).toBe('failed: strangler analyze exited 1');
    expect(rowNamed(rows, 'held out')?.slice(2, 5)).toEqual([10, 2, '20.0 %']);
  });

  it('writes both totals into the markdown table', () => {
    const md = summaryMarkdown([seenA, heldC]).split('\n');
    expect(md.find((l) => l.startsWith('| overall |'))).toContain('| 4 | 4 | 100.0 % |');
    expect(md.find((l) => l.startsWith('| held out |'))).toContain('| 10 | 2 | 20.0 % |');
  });
});

describe('held-out corpora', () => {
  it('are marked in corpora.ts, and the nine the analyzer was improved on are not', () => {
    expect(TRUTH_CORPORA.filter((c) => c.heldOut).map((c) => c.name)).toEqual(['hedgedoc', 'papra', 'tianji']);
    expect(TRUTH_CORPORA.filter((c) => !c.heldOut)).toHaveLength(9);
  });
});
