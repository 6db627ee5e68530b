import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Makes `dir` read-only the way a ConfigMap mount is. Root ignores file modes, so as root a
 * read-only bind mount of the directory onto itself is used (EROFS); otherwise chmod 555 (EACCES).
 * Returns the undo function.
 */
export function makeReadOnly(dir: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync('mount', ['--bind', dir, dir]);
    execFileSync('mount', ['-o', 'remount,ro,bind', dir]);
    return () => execFileSync('umount', [dir]);
  }
  chmodSync(dir, 0o555);
  return () => chmodSync(dir, 0o755);
}

export function subdir(parent: string, name: string): string {
  const d = path.join(parent, name);
  mkdirSync(d, { recursive: true });
  return d;
}
