/**
 * The four contestants: how each is invoked on a corpus and how its output yields an edge count.
 * Edges are counted in one unit for all: distinct (importer, imported) pairs of local source files,
 * packages and node builtins left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/repo';
import type { Measured } from '../lib/measure';
import type { Corpus } from './corpora';

export const TOOL_NAMES = ['strangler', 'floor', 'madge', 'depcruise'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export interface Invocation {
  script: string;
  args: string[];
  cwd: string;
}

export interface Tool {
  name: ToolName;
  /** What the table calls it, with its version. */
  label: string;
  invocation(corpus: Corpus, outFile: string, opts?: { debug?: boolean }): Invocation;
  /** Edge count from a successful run; throws when the output cannot be read. */
  edges(run: Measured, outFile: string): number;
}

const pkgVersion = (name: string): string =>
  (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

const isLocal = (file: string): boolean => !/(^|\/)node_modules\//.test(file);

function pairCount(pairs: Iterable<[string, string]>): number {
  const seen = new Set<string>();
  for (const [from, to] of pairs) seen.add(`${from}\0${to}`);
  return seen.size;
}

interface ReportEdge {
  from: string;
  to: string;
  via?: string;
}

const strangler: Tool = {
  name: 'strangler',
  label: 'strangler',
  invocation: (corpus, outFile) => ({
    script: path.join(REPO_ROOT, 'bin', 'strangler.js'),
    args: ['analyze', corpus.dir, '--format', 'json', '--out', outFile, ...(corpus.tsconfig ? ['--tsconfig', corpus.tsconfig] : [])],
    cwd: corpus.dir,
  }),
  edges: (_run, outFile) => {
    const report = JSON.parse(fs.readFileSync(outFile, 'utf8')) as { edges: ReportEdge[] };
    // `via` edges are the extra barrel-to-declaration edges strangler adds; the peers have no such thing.
    return pairCount(report.edges.filter((e) => !e.via).map((e): [string, string] => [e.from, e.to]));
  },
};

const floor: Tool = {
  name: 'floor',
  label: `floor (ts ${pkgVersion('typescript')} preProcessFile)`,
  invocation: (corpus) => ({
    // compiled, also when the harness itself runs from source (jest): the floor must not pay a TS loader
    script: path.join(REPO_ROOT, 'dist', 'bench', 'analyze', 'baseline-preprocess.js'),
    args: [path.join(corpus.dir, 'src'), ...(corpus.tsconfig ? ['--tsconfig', corpus.tsconfig] : [])],
    cwd: corpus.dir,
  }),
  edges: (run) => (JSON.parse(run.stdout) as { edges: number }).edges,
};

const madge: Tool = {
  name: 'madge',
  label: `madge ${pkgVersion('madge')}`,
  invocation: (corpus, _outFile, opts) => ({
    script: path.join(REPO_ROOT, 'node_modules', 'madge', 'bin', 'cli.js'),
    args: [
      '--extensions', 'ts,tsx',
      '--json',
      '--no-spinner',
      '--no-color',
      ...(corpus.tsconfig ? ['--ts-config', corpus.tsconfig] : []),
      ...(opts?.debug ? ['--debug'] : []),
      'src',
    ],
    cwd: corpus.dir,
  }),
  edges: (run) => {
    const tree = JSON.parse(run.stdout) as Record<string, string[]>;
    return pairCount(Object.entries(tree).flatMap(([from, deps]) => deps.map((to): [string, string] => [from, to])));
  },
};

interface CruiseOutput {
  modules: {
    source: string;
    coreModule?: boolean;
    dependencies: { resolved: string; coreModule: boolean; couldNotResolve: boolean; dependencyTypes: string[] }[];
  }[];
}

const depcruise: Tool = {
  name: 'depcruise',
  label: `dependency-cruiser ${pkgVersion('dependency-cruiser')}`,
  invocation: (corpus, outFile) => ({
    script: path.join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
    args: [
      '--no-config',
      '--ts-pre-compilation-deps',
      ...(corpus.tsconfig ? ['--ts-config', corpus.tsconfig] : []),
      // what its own `--init` config does: record packages as edges, do not crawl into them
      '--do-not-follow', 'node_modules',
      '--progress', 'none',
      '-T', 'json',
      '-f', outFile,
      'src',
    ],
    cwd: corpus.dir,
  }),
  edges: (_run, outFile) => {
    const out = JSON.parse(fs.readFileSync(outFile, 'utf8')) as CruiseOutput;
    const pairs: [string, string][] = [];
    for (const m of out.modules) {
      if (m.coreModule || !isLocal(m.source)) continue;
      for (const d of m.dependencies) {
        if (d.coreModule || d.couldNotResolve || !isLocal(d.resolved) || d.dependencyTypes.some((t) => t.startsWith('npm'))) continue;
        pairs.push([m.source, d.resolved]);
      }
    }
    return pairCount(pairs);
  },
};

export const TOOLS: Record<ToolName, Tool> = { strangler, floor, madge, depcruise };

