/**
 * Times the tools on one corpus, interleaved: every round runs each tool once, back to back, and the
 * order flips every round, so a noisy stretch of the machine hits all tools alike. Medians are reported.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runNodeMeasured, type Measured } from '../lib/measure';
import { median, min } from '../lib/stats';
import type { Corpus } from './corpora';
import { TOOLS, type ToolName } from './tools';

export interface ToolResult {
  tool: ToolName;
  label: string;
  status: 'ok' | 'failed';
  /** Why it did not run: the CLI's own words. */
  message?: string;
  /** Per timed round, in round order; null where the tool did not complete that round. */
  wallMs: (number | null)[];
  rssKb: (number | null)[];
  cpuMs: (number | null)[];
  medianMs: number | null;
  minMs: number | null;
  medianCpuMs: number | null;
  /** Median over rounds of the process's peak RSS. */
  rssMb: number | null;
  edges: number | null;
  /**
   * Against dependency-cruiser on the same corpus: the median over rounds of (this tool's time / its time
   * in the same round), and the same for peak RSS. Pairing within a round cancels the machine's drift.
   */
  timeRatio: number | null;
  cpuRatio: number | null;
  memRatio: number | null;
  /** The untimed warm-up run (cold-ish file cache; madge's ran with --debug). */
  warmup: { wallMs: number; rssKb: number | null; cpuMs: number | null } | null;
  /** Set when the tool was too slow to repeat: its figures are the warm-up run's alone. */
  timedOnce?: string;
}

export interface CorpusResult {
  corpus: string;
  files: number;
  lines: number;
  tsconfig: string | null;
  notes: string[];
  rounds: number;
  tools: ToolResult[];
  /** Facts checked along the way (e.g. that madge really used its TypeScript detective). */
  checks: string[];
}

export interface BenchOptions {
  tools: ToolName[];
  /** Exact number of rounds, or 'auto': 5, fewer (never under 3) when a round is slow, to fit `budgetMs`. */
  rounds: number | 'auto';
  budgetMs: number;
  log: (line: string) => void;
}

/** A run still going after this is stopped and reported as such: it keeps a default run near its ~10 minutes. */
const TIMEOUT_MS = 5 * 60_000;
/** A tool whose warm-up takes longer than this is not repeated in 'auto' mode: one slow run says enough. */
const SLOW_MS = 60_000;

/** The line of a failed run's output that says what went wrong: a thrown error's message beats a stack frame. */
function failureLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.find((l) => /^(\w*Error\b|strangler)/.test(l)) ?? lines[0] ?? '';
}

export function benchCorpus(corpus: Corpus, options: BenchOptions): CorpusResult {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `bench-analyze-${corpus.name}-`));
  const outFile = (tool: ToolName): string => path.join(tmp, `${tool}.json`);
  const run = (tool: ToolName, debug = false): Measured => {
    fs.rmSync(outFile(tool), { force: true });
    const inv = TOOLS[tool].invocation(corpus, outFile(tool), { debug });
    return runNodeMeasured(inv.script, inv.args, { cwd: inv.cwd, timeoutMs: TIMEOUT_MS });
  };
  const results = new Map<ToolName, ToolResult>();
  const checks: string[] = [];
  try {
    // Warm-up: fills the file cache, tells who works, and gives the edge counts. Not timed.
    for (const tool of options.tools) {
      const r = run(tool, tool === 'madge');
      const res: ToolResult = {
        tool,
        label: TOOLS[tool].label,
        status: 'ok',
        wallMs: [],
        rssKb: [],
        cpuMs: [],
        medianMs: null,
        minMs: null,
        medianCpuMs: null,
        rssMb: null,
        edges: null,
        timeRatio: null,
        cpuRatio: null,
        memRatio: null,
        warmup: { wallMs: r.wallMs, rssKb: r.maxRssKb, cpuMs: r.cpuMs },
      };
      if (r.timedOut) {
        res.status = 'failed';
        res.message = `did not finish within ${TIMEOUT_MS / 1000} s: stopped`;
      } else if (r.code !== 0) {
        res.status = 'failed';
        res.message = `exit ${r.code ?? r.signal}: ${failureLine(r.stderr) || failureLine(r.stdout) || '(no output)'}`;
      } else {
        try {
          res.edges = TOOLS[tool].edges(r, outFile(tool));
        } catch (err) {
          res.status = 'failed';
          res.message = `ran, but its output could not be read: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
      if (tool === 'madge' && res.status === 'ok') {
        // precinct picks detective-typescript by extension; it parses with typescript-estree, whose debug log proves it ran.
        checks.push(
          /typescript-estree/.test(r.stderr)
            ? 'madge: TypeScript detective confirmed in use (typescript-estree parsed the files)'
            : 'madge: WARNING no sign of its TypeScript detective in --debug output; its numbers may be for a JS-only parse',
        );
      }
      options.log(`  warm-up ${tool}: ${res.status === 'ok' ? `${Math.round(r.wallMs)} ms, ${res.edges} edges` : res.message}`);
      results.set(tool, res);
    }

    if (options.rounds === 'auto') {
      for (const res of results.values()) {
        if (res.status === 'ok' && res.warmup && res.warmup.wallMs > SLOW_MS) {
          res.timedOnce = `timed once: its warm-up run took ${(res.warmup.wallMs / 1000).toFixed(0)} s (over ${SLOW_MS / 1000} s, so not repeated); figures and ratios are from the warm-up runs`;
        }
      }
    }
    const live = options.tools.filter((t) => results.get(t)?.status === 'ok' && !results.get(t)?.timedOnce);
    const roundMs = live.reduce((sum, t) => sum + (results.get(t)?.warmup?.wallMs ?? 0), 0);
    const rounds = options.rounds === 'auto' ? Math.max(3, Math.min(5, Math.floor(options.budgetMs / Math.max(roundMs, 1)))) : options.rounds;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? live : [...live].reverse();
      for (const tool of order) {
        const res = results.get(tool)!;
        res.wallMs[round] = null;
        res.rssKb[round] = null;
        res.cpuMs[round] = null;
        if (res.status !== 'ok') continue;
        const r = run(tool);
        if (r.code !== 0) {
          res.status = 'failed';
          res.message = r.timedOut
            ? `round ${round + 1}: did not finish within ${TIMEOUT_MS / 1000} s: stopped`
            : `round ${round + 1}: exit ${r.code ?? r.signal}: ${failureLine(r.stderr)}`;
          continue;
        }
        res.wallMs[round] = r.wallMs;
        res.rssKb[round] = r.maxRssKb;
        res.cpuMs[round] = r.cpuMs;
      }
      options.log(`  round ${round + 1}/${rounds}: ${order.map((t) => `${t} ${Math.round(results.get(t)!.wallMs[round] ?? NaN)} ms`).join(', ')}`);
    }

    const present = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);
    const paired = (xs: (number | null)[], ys: (number | null)[]): number[] =>
      xs.flatMap((x, i) => (x !== null && ys[i] != null && ys[i] !== 0 ? [x / ys[i]!] : []));
    for (const res of results.values()) {
      if (res.timedOnce && res.warmup) {
        res.wallMs = [res.warmup.wallMs];
        res.rssKb = [res.warmup.rssKb];
        res.cpuMs = [res.warmup.cpuMs];
      }
      const ms = present(res.wallMs);
      if (ms.length === 0) continue;
      res.medianMs = median(ms);
      res.minMs = min(ms);
      const rss = present(res.rssKb);
      res.rssMb = rss.length ? median(rss) / 1024 : null;
      const cpu = present(res.cpuMs);
      res.medianCpuMs = cpu.length ? median(cpu) : null;
    }
    const dc = results.get('depcruise');
    for (const res of results.values()) {
      if (!dc) break;
      // a tool timed once is paired with dependency-cruiser's warm-up run, the one that ran beside it
      const other = res.timedOnce && dc.warmup ? { wallMs: [dc.warmup.wallMs], rssKb: [dc.warmup.rssKb], cpuMs: [dc.warmup.cpuMs] } : dc;
      const t = paired(res.wallMs, other.wallMs);
      const m = paired(res.rssKb, other.rssKb);
      const c = paired(res.cpuMs, other.cpuMs);
      res.timeRatio = t.length ? median(t) : null;
      res.cpuRatio = c.length ? median(c) : null;
      res.memRatio = m.length ? median(m) : null;
    }
    return {
      corpus: corpus.name,
      files: corpus.files,
      lines: corpus.lines,
      tsconfig: corpus.tsconfig,
      notes: corpus.notes,
      rounds,
      tools: options.tools.map((t) => results.get(t)!),
      checks,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
