/**
 * Lays the truth corpora out at their pinned commits: `node dist/bench/truth/layout.js [--corpus a,b] [--to DIR]`.
 * Each is extracted with `git archive` from a local mirror, a bare git dir at
 * `$STRANGLER_MIRRORS/<owner>+<name>/repo` (default /work/.mirror), into `<DIR>/<name>` (default
 * bench/.corpora/truth). A corpus already laid out at its commit is left as it is. When a mirror or its
 * pinned commit is missing, it says which repository and commit to fetch and exits 2.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CORPORA_DIR } from '../lib/repo';
import { TRUTH_CORPORA, type TruthCorpus } from './corpora';

export const DEFAULT_TRUTH_DIR = path.join(CORPORA_DIR, 'truth');
const STAMP = '.truth-layout.json';

export class LayoutError extends Error {}

export function mirrorsRoot(): string {
  return process.env.STRANGLER_MIRRORS ?? '/work/.mirror';
}

/** The git dir of a repository's mirror: `<root>/<owner>+<name>/repo`, or `repo/.git` for a snapshot with a work tree. */
export function mirrorGitDir(repo: string, root = mirrorsRoot()): string | null {
  const base = path.join(root, repo.replace('/', '+'), 'repo');
  for (const dir of [path.join(base, '.git'), base]) {
    if (fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects'))) return dir;
  }
  return null;
}

function hasCommit(gitDir: string, commit: string): boolean {
  return spawnSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `${commit}^{commit}`], { stdio: 'ignore' }).status === 0;
}

/** Paths of the commit's files whose blobs the mirror does not hold. */
function absentBlobs(gitDir: string, commit: string): string[] {
  const tree = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit], { maxBuffer: 2 ** 30 }).toString();
  const blobs: { sha: string; path: string }[] = [];
  for (const entry of tree.split('\0')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (m) blobs.push({ sha: m[1], path: m[2] });
  }
  const check = execFileSync('git', ['--git-dir', gitDir, 'cat-file', '--batch-check'], { input: blobs.map((b) => b.sha).join('\n') + '\n', maxBuffer: 2 ** 30 }).toString().split('\n');
  return blobs.filter((_, i) => check[i]?.endsWith(' missing')).map((b) => b.path);
}

function fetchHint(c: TruthCorpus): string {
  return `fetch github:${c.repo} (it must hold commit ${c.commit}) so that its git dir is ${path.join(mirrorsRoot(), c.repo.replace('/', '+'), 'repo')}, or set STRANGLER_MIRRORS to the folder that holds <owner>+<name>/repo`;
}

/** Where a corpus is (or would be) laid out, and whether it is there at its pinned commit. */
export function corpusPath(c: TruthCorpus, into = DEFAULT_TRUTH_DIR): { root: string; ready: boolean } {
  const root = path.join(into, c.name);
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(root, STAMP), 'utf8')) as { commit?: string };
    return { root, ready: stamp.commit === c.commit };
  } catch {
    return { root, ready: false };
  }
}

/** Extracts one corpus unless it is already there; returns its repository root. Throws LayoutError when its mirror is missing. */
export function layOut(c: TruthCorpus, into = DEFAULT_TRUTH_DIR, log: (s: string) => void = () => {}): string {
  const { root, ready } = corpusPath(c, into);
  if (ready) return root;
  const gitDir = mirrorGitDir(c.repo);
  if (!gitDir) throw new LayoutError(`${c.name}: no mirror of ${c.repo}. ${fetchHint(c)}`);
  if (!hasCommit(gitDir, c.commit)) throw new LayoutError(`${c.name}: the mirror ${gitDir} lacks commit ${c.commit}. ${fetchHint(c)}`);
  log(`layout: ${c.name}: extracting ${c.repo}@${c.commit.slice(0, 12)} into ${root}`);
  const part = `${root}.part`;
  fs.rmSync(part, { recursive: true, force: true });
  fs.mkdirSync(part, { recursive: true });
  // git archive | tar -x: the tree at the commit, without the history. Snapshots lack blobs of 4 MiB and
  // more (images, videos, bundles): those paths are left out and named in the stamp.
  const absent = absentBlobs(gitDir, c.commit);
  if (absent.length) log(`layout: ${c.name}: ${absent.length} file(s) absent from the mirror, left out: ${absent.slice(0, 3).join(', ')}${absent.length > 3 ? ', …' : ''}`);
  const pathspecs = absent.length ? ['--', '.', ...absent.map((p) => `:(exclude,literal)${p}`)] : [];
  const archive = spawnSync('git', ['--git-dir', gitDir, 'archive', '--format=tar', c.commit, ...pathspecs], { maxBuffer: 2 ** 31 - 1 });
  if (archive.status !== 0) throw new LayoutError(`${c.name}: git archive failed: ${archive.stderr.toString().trim()}`);
  execFileSync('tar', ['-x', '-C', part], { input: archive.stdout, maxBuffer: 2 ** 31 - 1 });
  for (const [rel, text] of Object.entries(c.write ?? {})) {
    const file = path.join(part, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  fs.writeFileSync(path.join(part, STAMP), `${JSON.stringify({ repo: c.repo, commit: c.commit, absent }, null, 2)}\n`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.renameSync(part, root);
  return root;
}

export function selectCorpora(filter: string | undefined): TruthCorpus[] {
  if (!filter) return [...TRUTH_CORPORA];
  const names = filter.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !TRUTH_CORPORA.some((c) => c.name === n));
  if (unknown.length) throw new LayoutError(`unknown corpus ${unknown.join(', ')}; known: ${TRUTH_CORPORA.map((c) => c.name).join(', ')}`);
  return TRUTH_CORPORA.filter((c) => names.includes(c.name));
}

function argValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new LayoutError(`${flag} needs a value`);
  return v;
}

export function main(argv: string[]): number {
  const args = argv.slice(2);
  if (args.includes('--help')) {
    process.stdout.write('usage: node dist/bench/truth/layout.js [--corpus a,b] [--to DIR]\n');
    return 0;
  }
  try {
    const into = path.resolve(argValue(args, '--to') ?? DEFAULT_TRUTH_DIR);
    const missing: string[] = [];
    for (const c of selectCorpora(argValue(args, '--corpus'))) {
      try {
        const root = layOut(c, into, (s) => process.stderr.write(`${s}\n`));
        process.stderr.write(`layout: ${c.name}: ${path.join(root, c.dir)}\n`);
      } catch (e) {
        if (!(e instanceof LayoutError)) throw e;
        missing.push(e.message);
      }
    }
    for (const m of missing) process.stderr.write(`layout: ${m}\n`);
    return missing.length ? 2 : 0;
  } catch (e) {
    if (e instanceof LayoutError) {
      process.stderr.write(`layout: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv);
