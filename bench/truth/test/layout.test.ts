import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TruthCorpus } from '../corpora';
import { corpusPath, LayoutError, layOut, main, mirrorGitDir } from '../layout';

// A real git repository, cloned bare into the mirror layout `<root>/<owner>+<name>/repo`.
describe('layOut', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'truth-layout-'));
  const mirrors = path.join(tmp, 'mirrors');
  const into = path.join(tmp, 'corpora');
  let commit = '';
  const saved = process.env.STRANGLER_MIRRORS;
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim();

  beforeAll(() => {
    const work = path.join(tmp, 'work');
    fs.mkdirSync(path.join(work, 'src'), { recursive: true });
    fs.writeFileSync(path.join(work, 'src', 'app.ts'), 'export const x = 1;\n');
    git(work, 'init', '-q');
    git(work, 'add', '.');
    git(work, 'commit', '-qm', 'one');
    commit = git(work, 'rev-parse', 'HEAD');
    fs.writeFileSync(path.join(work, 'src', 'app.ts'), 'export const x = 2;\n');
    git(work, 'commit', '-qam', 'two');
    fs.mkdirSync(path.join(mirrors, 'acme+shop'), { recursive: true });
    git(tmp, 'clone', '-q', '--bare', work, path.join(mirrors, 'acme+shop', 'repo'));
    process.env.STRANGLER_MIRRORS = mirrors;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.STRANGLER_MIRRORS;
    else process.env.STRANGLER_MIRRORS = saved;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const corpus = (over: Partial<TruthCorpus> = {}): TruthCorpus => ({
    name: 'shop',
    repo: 'acme/shop',
    commit,
    dir: 'src',
    tsconfig: 'tsconfig.json',
    exclude: [],
    framework: 'f',
    orm: 'o',
    notes: '',
    ...over,
  });

  it('extracts the pinned commit, not the newest, writes the extra files, and stamps it', () => {
    const root = layOut(corpus({ write: { 'node_modules/pkg/base.json': '{}\n' } }), into);
    expect(root).toBe(path.join(into, 'shop'));
    expect(fs.readFileSync(path.join(root, 'src', 'app.ts'), 'utf8')).toBe('export const x = 1;\n');
    expect(fs.readFileSync(path.join(root, 'node_modules', 'pkg', 'base.json'), 'utf8')).toBe('{}\n');
    expect(corpusPath(corpus(), into).ready).toBe(true);
  });

  it('leaves a corpus already laid out at its commit alone', () => {
    const root = layOut(corpus(), into);
    fs.writeFileSync(path.join(root, 'marker'), 'kept');
    layOut(corpus(), into);
    expect(fs.existsSync(path.join(root, 'marker'))).toBe(true);
  });

  it('names the repository and commit to fetch when the mirror or the commit is missing', () => {
    expect(mirrorGitDir('acme/other')).toBeNull();
    expect(() => layOut(corpus({ name: 'other', repo: 'acme/other' }), into)).toThrow(LayoutError);
    expect(() => layOut(corpus({ name: 'other', repo: 'acme/other' }), into)).toThrow(`fetch github:acme/other (it must hold commit ${commit})`);
    const absent = 'f'.repeat(40);
    expect(() => layOut(corpus({ name: 'shop2', commit: absent }), into)).toThrow(`lacks commit ${absent}`);
  });

  it('exits 2 from the command line when a mirror is missing, saying what to fetch', () => {
    const err: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
    try {
      expect(main(['node', 'layout.js', '--corpus', 'hoppscotch', '--to', into])).toBe(2);
      expect(main(['node', 'layout.js', '--corpus', 'nosuch'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(err.join('')).toContain('fetch github:hoppscotch/hoppscotch');
    expect(err.join('')).toContain('unknown corpus nosuch');
  });
});
