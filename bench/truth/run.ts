/**
 * `npm run bench:truth [-- --corpus a,b] [--json] [--markdown]`: runs the built `strangler analyze` on each truth corpus
 * (laid out from the mirrors first when needed), scores the report against `<name>.truth.json`, and prints a
 * table per app with an "overall" row for the corpora the analyzer's authors could see and a "held out" row for
 * those added after (corpora.ts `heldOut`), and under them what the analyzer missed. Progress goes to stderr.
 * Exit: 0 scored; 1 the analyzer failed on a corpus; 2 bad input (unknown corpus, a mirror to fetch, a
 * malformed truth file).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Table from 'cli-table3';
import type { Report } from '../../analyzer/types';
import { REPO_ROOT, RESULTS_DIR } from '../lib/repo';
import type { TruthCorpus } from './corpora';
import { DEFAULT_TRUTH_DIR, LayoutError, layOut, selectCorpora } from './layout';
import { type CorpusScore, pct, scoreCorpus } from './match';
import { missingModules, readTruthFile, TruthFileError, type TruthFile } from './truth-file';

export const TRUTH_SOURCE_DIR = path.join(REPO_ROOT, 'bench', 'truth');

export interface CorpusResult {
  name: string;
  /** A corpus added after the analyzer work (corpora.ts `heldOut`): totalled apart. */
  heldOut: boolean;
  modules: number | null;
  analysisMs: number | null;
  error?: string;
  score?: CorpusScore;
}

const log = (s: string): void => {
  process.stderr.write(`truth: ${s}\n`);
};

function truthPath(name: string): string {
  return path.join(TRUTH_SOURCE_DIR, `${name}.truth.json`);
}

/** Runs `node bin/strangler.js analyze` the way a user would, returns the report and the wall time. */
function analyze(c: TruthCorpus, root: string): { report?: Report; ms: number; error?: string } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-truth-')), 'report.json');
  const args = [path.join(REPO_ROOT, 'bin', 'strangler.js'), 'analyze', path.join(root, c.dir), '--tsconfig', path.join(root, c.tsconfig), '--format', 'json', '--out', out, '--quiet', ...c.exclude.flatMap((g) => ['--exclude', g])];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  try {
    if (r.status !== 0) return { ms, error: `strangler analyze exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}` };
    return { ms, report: JSON.parse(fs.readFileSync(out, 'utf8')) as Report };
  } catch (e) {
    return { ms, error: `no readable report: ${(e as Error).message}` };
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

function num(n: number): string {
  return n.toLocaleString('en-US');
}

const HEAD = ['app', 'modules', 'routes listed', 'exact', 'route recall', 'table accesses', 'found', 'table recall', 'false "shares no table"', 'GraphQL ops found', 'analysis'];

interface Totals {
  rl: number;
  re: number;
  tl: number;
  tf: number;
  fnt: number;
  gl: number;
  gf: number;
  gUnknown: boolean;
  ms: number;
}

function totalsRow(label: string, results: CorpusResult[]): (string | number)[] {
  const t: Totals = { rl: 0, re: 0, tl: 0, tf: 0, fnt: 0, gl: 0, gf: 0, gUnknown: false, ms: 0 };
  for (const r of results) {
    const s = r.score;
    if (!s) continue;
    t.rl += s.routes.listed;
    t.re += s.routes.exact;
    t.tl += s.tables.listed;
    t.tf += s.tables.found;
    t.fnt += s.falseNoTable.falseCount;
    t.gl += s.graphql.listed;
    if (s.graphql.found === null) t.gUnknown = t.gUnknown || s.graphql.listed > 0;
    else t.gf += s.graphql.found;
    t.ms += r.analysisMs ?? 0;
  }
  return [
    label,
    '',
    t.rl,
    t.re,
    pct(t.re, t.rl),
    t.tl,
    t.tf,
    pct(t.tf, t.tl),
    String(t.fnt),
    t.gl === 0 ? '–' : t.gUnknown ? `not reported (${t.gl} listed)` : `${t.gf} of ${t.gl}`,
    `${num(Math.round(t.ms))} ms`,
  ];
}

/**
 * One row per app, then the totals: "overall" over the corpora the analyzer's authors could see and "held out"
 * over those added afterwards (`heldOut` in corpora.ts), each only when it has apps, and only when more than one
 * app was scored. A failed app's row carries its error in the third cell.
 */
export function summaryRows(results: CorpusResult[]): (string | number)[][] {
  const rows: (string | number)[][] = [];
  const ordered = [...results.filter((r) => !r.heldOut), ...results.filter((r) => r.heldOut)];
  for (const r of ordered) {
    const name = r.heldOut ? `${r.name} (held out)` : r.name;
    if (!r.score) {
      rows.push([name, r.modules ?? '–', `failed: ${r.error}`]);
      continue;
    }
    const s = r.score;
    rows.push([
      name,
      r.modules === null ? '–' : num(r.modules),
      s.routes.listed,
      s.routes.exact,
      pct(s.routes.exact, s.routes.listed),
      s.tables.listed,
      s.tables.found,
      pct(s.tables.found, s.tables.listed),
      `${s.falseNoTable.falseCount} of ${s.falseNoTable.candidatesSayingNone}`,
      s.graphql.listed === 0 ? '–' : s.graphql.found === null ? `not reported (${s.graphql.listed} listed)` : `${s.graphql.found} of ${s.graphql.listed}`,
      r.analysisMs === null ? '–' : `${num(Math.round(r.analysisMs))} ms`,
    ]);
  }
  if (results.length > 1) {
    const seen = results.filter((r) => !r.heldOut);
    const held = results.filter((r) => r.heldOut);
    if (seen.length) rows.push(totalsRow('overall', seen));
    if (held.length) rows.push(totalsRow('held out', held));
  }
  return rows;
}

function summaryTable(results: CorpusResult[]): string {
  const t = new Table({ head: HEAD, style: { head: [], border: [] } });
  for (const row of summaryRows(results)) t.push(row.length === HEAD.length ? row : [row[0], row[1], { colSpan: HEAD.length - 2, content: String(row[2]) }]);
  return t.toString();
}

export function summaryMarkdown(results: CorpusResult[]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  const rows = summaryRows(results).map((r) => (r.length === HEAD.length ? r : [...r, ...Array(HEAD.length - r.length).fill('')]));
  return [line(HEAD), `| ${HEAD.map((_, i) => (i < 1 ? '---' : '---:')).join(' | ')} |`, ...rows.map(line)].join('\n');
}

function missesText(r: CorpusResult): string {
  const s = r.score;
  if (!s) return '';
  const lines: string[] = [];
  if (s.routes.misses.length) {
    lines.push(`  routes missed (${s.routes.misses.length} of ${s.routes.listed}):`);
    for (const m of s.routes.misses) lines.push(`    ${m.route.method} ${m.route.path}   ${m.route.module}:${m.route.line}${m.route.infra ? ' [infra]' : ''}${m.reportedAs ? `   reported as ${m.reportedAs}` : ''}`);
  }
  if (s.tables.misses.length) {
    lines.push(`  table accesses missed (${s.tables.misses.length} of ${s.tables.listed}):`);
    for (const m of s.tables.misses) lines.push(`    ${m.entry.module}:${m.entry.line} ${m.entry.access} ${m.entry.table}   (report: ${m.reportHas})`);
  }
  if (s.graphql.misses.length && s.graphql.found !== null) {
    lines.push(`  GraphQL operations missed (${s.graphql.misses.length} of ${s.graphql.listed}):`);
    for (const o of s.graphql.misses) lines.push(`    ${o.type}.${o.field}   ${o.module}:${o.line}`);
  }
  if (s.falseNoTable.cases.length) {
    lines.push(`  false "shares no table" (${s.falseNoTable.cases.length}):`);
    for (const c of s.falseNoTable.cases) lines.push(`    ${c.candidate}: ${c.module} touches ${c.table}, so does ${c.outside} outside it`);
  }
  const name = r.heldOut ? `${r.name} (held out)` : r.name;
  return lines.length ? `${name}\n${lines.join('\n')}` : `${name}: nothing missed`;
}

interface Args {
  corpus?: string;
  json: boolean;
  markdown: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, markdown: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--json') a.json = true;
    else if (v === '--markdown') a.markdown = true;
    else if (v === '--corpus') {
      a.corpus = argv[++i];
      if (!a.corpus || a.corpus.startsWith('--')) throw new LayoutError('--corpus needs a comma-separated list of names');
    } else if (v.startsWith('--corpus=')) a.corpus = v.slice('--corpus='.length);
    else throw new LayoutError(`unknown argument ${v} (usage: bench:truth [--corpus a,b] [--json] [--markdown])`);
  }
  return a;
}

export function main(argv: string[]): number {
  let args: Args;
  let corpora: TruthCorpus[];
  const truths = new Map<string, TruthFile>();
  const roots = new Map<string, string>();
  try {
    if (argv.includes('--help')) {
      process.stdout.write('usage: npm run bench:truth [-- --corpus a,b] [--json] [--markdown]\n');
      return 0;
    }
    args = parseArgs(argv.slice(2));
    corpora = selectCorpora(args.corpus).filter((c) => fs.existsSync(truthPath(c.name)) || (log(`${c.name}: no ${path.relative(REPO_ROOT, truthPath(c.name))} yet: skipped`), false));
    const missing: string[] = [];
    for (const c of corpora) {
      const truth = readTruthFile(truthPath(c.name));
      if (truth.corpus !== c.name) throw new TruthFileError(`${truthPath(c.name)}: says corpus "${truth.corpus}", expected "${c.name}"`);
      truths.set(c.name, truth);
      try {
        const root = layOut(c, DEFAULT_TRUTH_DIR, log);
        const gone = missingModules(truth, path.join(root, c.dir));
        if (gone.length) throw new TruthFileError(`${truthPath(c.name)} names files the corpus at ${c.commit.slice(0, 12)} lacks: ${gone.slice(0, 5).join(', ')}`);
        roots.set(c.name, root);
      } catch (e) {
        if (!(e instanceof LayoutError)) throw e;
        missing.push(e.message);
      }
    }
    if (missing.length) {
      for (const m of missing) log(m);
      return 2;
    }
  } catch (e) {
    if (e instanceof LayoutError || e instanceof TruthFileError) {
      log(e.message);
      return 2;
    }
    throw e;
  }

  const results: CorpusResult[] = [];
  corpora.forEach((c, i) => {
    log(`[${i + 1}/${corpora.length}] ${c.name}: analyzing ${c.dir} (${c.repo}@${c.commit.slice(0, 12)})`);
    const a = analyze(c, roots.get(c.name)!);
    if (!a.report) {
      log(`${c.name}: ${a.error}`);
      results.push({ name: c.name, heldOut: !!c.heldOut, modules: null, analysisMs: a.ms, error: a.error });
      return;
    }
    const score = scoreCorpus(truths.get(c.name)!, a.report as unknown as Parameters<typeof scoreCorpus>[1]);
    log(`${c.name}: ${a.report.summary.modules} modules in ${Math.round(a.ms)} ms; routes ${score.routes.exact}/${score.routes.listed}, tables ${score.tables.found}/${score.tables.listed}`);
    results.push({ name: c.name, heldOut: !!c.heldOut, modules: a.report.summary.modules, analysisMs: a.ms, score });
  });

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = { generatedAt: new Date().toISOString(), node: process.version, load: os.loadavg(), results };
  fs.writeFileSync(path.join(RESULTS_DIR, `truth-${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
  if (args.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else {
    process.stdout.write(`${args.markdown ? summaryMarkdown(results) : summaryTable(results)}\n`);
    process.stdout.write('Route recall: method + full path exact (infra routes included). Table recall: (module, table, read|write) as the truth lists it.\n');
    process.stdout.write('False "shares no table": candidates whose data reason says none, of those saying so. Misses only, below.\n');
    process.stdout.write('"overall" totals the corpora the analyzer\'s authors could see; "held out" totals those added after the analyzer work (heldOut in bench/truth/corpora.ts).\n\n');
    for (const r of results) process.stdout.write(`${missesText(r)}\n\n`);
  }
  return results.some((r) => r.error) ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv);
