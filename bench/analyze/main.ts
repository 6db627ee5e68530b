/**
 * bench/analyze: times `strangler analyze` against madge and dependency-cruiser (and the floor) on the
 * same corpora, interleaved, and prints medians and ratios. Started by bench/analyze/run.js, which
 * rebuilds dist/ first when it is stale.
 *
 *   node bench/analyze/run.js [--rounds N] [--corpus name[,name]] [--json]
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RESULTS_DIR } from '../lib/repo';
import { CORPUS_NAMES, prepareCorpus, type CorpusName } from './corpora';
import { benchCorpus, type CorpusResult } from './harness';
import { edgeNotes, formatCorpus, formatMarkdown, TARGET, verdict } from './report';
import { TOOL_NAMES, TOOLS } from './tools';

/** Timed rounds per corpus are cut (never below 3) to stay within this, so a default run fits ~10 minutes. */
const CORPUS_BUDGET_MS = 100_000;

interface Options {
  rounds?: number;
  corpus?: CorpusName[];
  json?: boolean;
  markdown?: boolean;
}

function parseRounds(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('expected a whole number from 1 to 100');
  return n;
}

function parseCorpora(v: string): CorpusName[] {
  const names = v.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(CORPUS_NAMES as readonly string[]).includes(n)) throw new InvalidArgumentError(`unknown corpus "${n}" (known: ${CORPUS_NAMES.join(', ')})`);
  }
  return names as CorpusName[];
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench:analyze')
    .description('time strangler analyze against madge and dependency-cruiser on the same corpora')
    .option('--rounds <n>', 'timed rounds per corpus (default: 5, fewer on slow corpora, never under 3)', parseRounds)
    .option('--corpus <names>', `only these corpora, comma-separated (${CORPUS_NAMES.join(', ')})`, parseCorpora)
    .option('--json', 'print machine-readable results on stdout (progress still goes to stderr)')
    .option('--markdown', 'also print one markdown table of all results (for bench/README.md)')
    .exitOverride();
  try {
    program.parse(argv);
  } catch (err) {
    // commander has printed the help or the usage error already
    return err instanceof CommanderError && err.code === 'commander.helpDisplayed' ? 0 : 2;
  }
  const opts = program.opts<Options>();
  const log = (line: string): void => {
    process.stderr.write(line + '\n');
  };
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0];
  const results: CorpusResult[] = [];
  const skipped: { corpus: string; reason: string }[] = [];

  for (const name of opts.corpus ?? CORPUS_NAMES) {
    log(`${name}: preparing`);
    let status;
    try {
      status = prepareCorpus(name, log);
    } catch (err) {
      status = { ok: false as const, name, reason: err instanceof Error ? err.message : String(err) };
    }
    if (!status.ok) {
      log(`${name}: skipped: ${status.reason}`);
      skipped.push({ corpus: name, reason: status.reason });
      continue;
    }
    log(`${name}: ${status.corpus.files} files; warming up each tool once, then timed rounds`);
    const result = benchCorpus(status.corpus, {
      tools: [...TOOL_NAMES],
      rounds: opts.rounds ?? 'auto',
      budgetMs: CORPUS_BUDGET_MS,
      log,
    });
    results.push(result);
    if (!opts.json) process.stdout.write(formatCorpus(result) + '\n\n');
  }

  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    /** 1-minute load average: above ~0.5 other work shared the 2 cores and the absolute times are inflated. */
    loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
  };
  const doc = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    target: TARGET,
    tools: Object.fromEntries(TOOL_NAMES.map((t) => [t, TOOLS[t].label])),
    corpora: results.map((r) => ({ ...r, verdict: verdict(r), edgeNotes: edgeNotes(r) })),
    skipped,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `analyze-${startedAt.toISOString().slice(0, 19).replace(/:/g, '-')}Z.json`);
  fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  if (opts.json) {
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    for (const s of skipped) process.stdout.write(`== ${s.corpus}: skipped: ${s.reason} ==\n`);
    if (opts.markdown) process.stdout.write(formatMarkdown(results) + '\n\n');
    process.stdout.write(
      `machine: ${machine.cpus}× ${machine.cpu}, ${machine.memGiB} GiB, node ${machine.node}; ` +
        `load average ${loadAtStart.toFixed(2)} at start, ${machine.loadAverage.end.toFixed(2)} at end\n` +
        `ratios (×dc) are medians of per-round ratios to dependency-cruiser; times include node start-up\n` +
        `results written to ${path.relative(process.cwd(), file)}\n`,
    );
  }
  return 0;
}
