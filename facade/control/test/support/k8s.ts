import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Lays out a directory the way the kubelet mounts a ConfigMap and updates it:
 * `routes.yaml -> ..data/routes.yaml`, `..data -> ..<generation>`; an update writes a new
 * generation directory and swaps `..data` with a rename of a fresh symlink (atomic), then deletes
 * the old generation.
 */
export class ConfigMapDir {
  private generation = 0;
  private current?: string;

  constructor(
    readonly dir: string,
    readonly key = 'routes.yaml',
  ) {}

  get file(): string {
    return path.join(this.dir, this.key);
  }

  write(text: string): void {
    const gen = `..2026_11_27_00_00_00.${++this.generation}`;
    mkdirSync(path.join(this.dir, gen));
    writeFileSync(path.join(this.dir, gen, this.key), text);
    symlinkSync(gen, path.join(this.dir, '..data_tmp'));
    renameSync(path.join(this.dir, '..data_tmp'), path.join(this.dir, '..data'));
    if (this.generation === 1) symlinkSync(path.join('..data', this.key), this.file);
    if (this.current) rmSync(path.join(this.dir, this.current), { recursive: true });
    this.current = gen;
  }
}
