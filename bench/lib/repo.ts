import fs from 'node:fs';
import path from 'node:path';

/** The repository root, found from this file whether it runs from bench/ (tsx, jest) or dist/bench/. */
export const REPO_ROOT = ((): string => {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'strangler') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`bench: cannot find the strangler repository above ${__dirname}`);
    dir = up;
  }
})();

export const CORPORA_DIR = path.join(REPO_ROOT, 'bench', '.corpora');
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');
