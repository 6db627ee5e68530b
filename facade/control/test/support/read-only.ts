import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** The identity a child process runs as so that file modes apply to it (root ignores them). */
export interface SpawnIdentity {
  uid?: number;
  gid?: number;
}

/**
 * Makes `dir` read-only the way a ConfigMap mount is for the facade, without touching the host's
 * mounts: mode 555 (its files stay readable). Root ignores file modes, so when the tests run as
 * root the process that must fail to write is started as `nobody` (`as`); otherwise modes already
 * apply to this user. The directories above `dir` are opened for reading. `undo` restores the mode.
 */
export function readOnlyDir(dir: string, parents: string[] = []): { as: SpawnIdentity; undo(): void } {
  let as: SpawnIdentity = {};
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
    as = { uid: id('-u'), gid: id('-g') };
    for (const p of parents) chmodSync(p, 0o755);
  }
  chmodSync(dir, 0o555);
  return { as, undo: () => chmodSync(dir, 0o755) };
}

export function subdir(parent: string, name: string): string {
  const d = path.join(parent, name);
  mkdirSync(d, { recursive: true });
  return d;
}
