/**
 * The corpora the analyzer is timed on, and their one-time setup into bench/.corpora (gitignored):
 * npm packages are fetched with `npm pack` (no install, the root package.json and lock untouched) and
 * untarred; the synthetic monolith is generated from a fixed seed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CORPORA_DIR, REPO_ROOT } from '../lib/repo';
import { GENERATOR_VERSION, writeSynthetic } from './synthetic';

export const CORPUS_NAMES = ['sample-monolith', 'rxjs', 'effect', 'synthetic'] as const;
export type CorpusName = (typeof CORPUS_NAMES)[number];

export const SYNTHETIC = { seed: 20260127, modules: 3000 };

export interface Corpus {
  name: CorpusName;
  /** The project directory: strangler analyzes it; the peers and the floor are pointed at its `src/`. */
  dir: string;
  tsconfig: string | null;
  /** Number of .ts/.tsx files under src/. */
  files: number;
  lines: number;
  /** What a reader must know about how the corpus was prepared (printed with the results). */
  notes: string[];
}

export type CorpusStatus = { ok: true; corpus: Corpus } | { ok: false; name: CorpusName; reason: string };

type Log = (line: string) => void;

function countSources(dir: string): { files: number; lines: number } {
  let files = 0;
  let lines = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|cts)$/.test(e.name)) {
        files++;
        lines += fs.readFileSync(full, 'utf8').split('\n').length;
      }
    }
  };
  walk(dir);
  return { files, lines };
}

/** `npm pack <spec>` into a temp dir, untar into `dest` (its `package/` folder flattened); returns the version. */
function packAndUntar(spec: string, dest: string, log: Log): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pack-'));
  try {
    log(`setup: npm pack ${spec} (fetches the tarball only; nothing is installed)`);
    const out = execFileSync('npm', ['pack', spec, '--json', '--pack-destination', tmp], { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const [{ filename, version }] = JSON.parse(out) as { filename: string; version: string }[];
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(tmp, path.basename(filename)), '-C', dest, '--strip-components=1']);
    return version;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Keeps only `keep` (top-level names) in `dir`: the tools must see the TypeScript sources, not the shipped dist/. */
function keepOnly(dir: string, keep: string[]): void {
  for (const entry of fs.readdirSync(dir)) if (!keep.includes(entry)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
}

function readStamp(dir: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, '.bench-stamp.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function writeStamp(dir: string, stamp: Record<string, unknown>): void {
  fs.writeFileSync(path.join(dir, '.bench-stamp.json'), JSON.stringify(stamp, null, 2) + '\n');
}

function finish(name: CorpusName, dir: string, tsconfig: string | null, notes: string[]): CorpusStatus {
  const { files, lines } = countSources(path.join(dir, 'src'));
  return { ok: true, corpus: { name, dir, tsconfig, files, lines, notes } };
}

function sampleMonolith(): CorpusStatus {
  const dir = path.join(REPO_ROOT, 'sample-monolith');
  const tsconfig = path.join(dir, 'tsconfig.json');
  if (!fs.existsSync(path.join(dir, 'src')) || countSources(path.join(dir, 'src')).files === 0) {
    return { ok: false, name: 'sample-monolith', reason: 'sample-monolith/src has no TypeScript sources yet' };
  }
  return finish('sample-monolith', dir, fs.existsSync(tsconfig) ? tsconfig : null, ['the repository\'s own sample-monolith/ with its tsconfig.json (`@shared/*` alias)']);
}

function rxjs(log: Log): CorpusStatus {
  const dir = path.join(CORPORA_DIR, 'rxjs');
  const stamp = readStamp(dir);
  if (!stamp) {
    const version = packAndUntar('rxjs@7', dir, log);
    keepOnly(dir, ['src', 'tsconfig.json', 'package.json']);
    // The one JavaScript file in src/ would be seen by dependency-cruiser only.
    fs.rmSync(path.join(dir, 'src', 'Rx.global.js'), { force: true });
    writeStamp(dir, { package: 'rxjs', version });
  }
  const version = String(readStamp(dir)?.version);
  return finish('rxjs', dir, path.join(dir, 'tsconfig.json'), [
    `rxjs@${version} as shipped on npm: its src/ and its own root tsconfig.json (paths for rxjs/*); dist/ and src/Rx.global.js removed so every tool sees the same TypeScript files`,
  ]);
}

/** effect@4 ships src/ but no tsconfig.json; its sources import siblings as `./X.ts` and itself as `effect/*`. */
const EFFECT_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    lib: ['ES2022', 'DOM'],
    baseUrl: '.',
    paths: { effect: ['./src/index.ts'], 'effect/*': ['./src/*.ts', './src/*/index.ts'] },
  },
  include: ['src'],
};

function effect(log: Log): CorpusStatus {
  const dir = path.join(CORPORA_DIR, 'effect');
  if (!readStamp(dir)) {
    const version = packAndUntar('effect@4', dir, log);
    if (!fs.existsSync(path.join(dir, 'src'))) throw new Error(`effect@${version} no longer ships src/: pick another TypeScript source set in bench/analyze/corpora.ts`);
    keepOnly(dir, ['src', 'package.json']);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(EFFECT_TSCONFIG, null, 2) + '\n');
    writeStamp(dir, { package: 'effect', version });
  }
  const version = String(readStamp(dir)?.version);
  return finish('effect', dir, path.join(dir, 'tsconfig.json'), [
    `effect@${version} as shipped on npm: its src/ (the package ships TypeScript sources); dist/ removed`,
    'effect ships no tsconfig.json: the bench wrote a minimal one (nodenext, allowImportingTsExtensions, paths for its `effect/*` self-imports)',
  ]);
}

function synthetic(log: Log): CorpusStatus {
  const dir = path.join(CORPORA_DIR, 'synthetic');
  const want = { generator: GENERATOR_VERSION, ...SYNTHETIC };
  const stamp = readStamp(dir);
  if (!stamp || JSON.stringify(stamp) !== JSON.stringify(want)) {
    log(`setup: generating the synthetic monolith (seed ${SYNTHETIC.seed}, ${SYNTHETIC.modules}+ modules)`);
    const r = writeSynthetic(dir, SYNTHETIC);
    writeStamp(dir, want);
    log(`setup: ${r.modules} modules in ${r.domains} domains`);
  }
  return finish('synthetic', dir, path.join(dir, 'tsconfig.json'), [
    `generated by bench/analyze/synthetic.ts (seed ${SYNTHETIC.seed}): domain folders, \`export *\` barrels, \`@shared/*\`/\`@domains/*\` paths aliases, type-only imports, dynamic imports, requires, cycles, express routers, SQL`,
  ]);
}

export function prepareCorpus(name: CorpusName, log: Log): CorpusStatus {
  fs.mkdirSync(CORPORA_DIR, { recursive: true });
  switch (name) {
    case 'sample-monolith':
      return sampleMonolith();
    case 'rxjs':
      return rxjs(log);
    case 'effect':
      return effect(log);
    case 'synthetic':
      return synthetic(log);
  }
}
