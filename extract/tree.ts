/**
 * The virtual file tree every generator step writes into (the Nx generator way): nothing touches the
 * disk until `commit`, so a dry run is the same run without the commit, and a failed run leaves the
 * disk as it was. The output directory is written next to itself and renamed into place.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface TreeChange {
  /** Absolute path. */
  path: string;
  type: 'create' | 'update';
  bytes: number;
}

export class Tree {
  private readonly files = new Map<string, string>();
  private readonly existed = new Set<string>();

  /** `outDir` is the directory this run owns; files outside it (a routes config) are written one by one. */
  constructor(readonly outDir: string) {}

  write(file: string, content: string): void {
    const abs = path.resolve(this.outDir, file);
    if (fs.existsSync(abs)) this.existed.add(abs);
    this.files.set(abs, content);
  }

  read(file: string): string | undefined {
    const abs = path.resolve(this.outDir, file);
    if (this.files.has(abs)) return this.files.get(abs);
    return fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined;
  }

  has(file: string): boolean {
    return this.files.has(path.resolve(this.outDir, file));
  }

  /** Paths relative to the out dir (or absolute for files outside it), sorted. */
  changes(): TreeChange[] {
    return [...this.files.entries()]
      .map(([p, c]) => ({ path: p, type: this.existed.has(p) ? ('update' as const) : ('create' as const), bytes: Buffer.byteLength(c) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  display(p: string, base = process.cwd()): string {
    return path.relative(base, p) || '.';
  }

  /**
   * Writes everything. The out dir is built as a sibling temp dir and renamed into place, so it is either
   * the old one or the complete new one; with `force` an existing out dir is replaced, otherwise refused.
   */
  commit(force: boolean): void {
    const inside = [...this.files.entries()].filter(([p]) => isInside(p, this.outDir));
    const outside = [...this.files.entries()].filter(([p]) => !isInside(p, this.outDir));
    if (fs.existsSync(this.outDir) && !force) throw new Error(`${this.outDir} exists (use --force to replace it)`);
    const parent = path.dirname(this.outDir);
    fs.mkdirSync(parent, { recursive: true });
    const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(this.outDir)}.new-`));
    try {
      for (const [p, content] of inside) {
        const target = path.join(staging, path.relative(this.outDir, p));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }
      if (fs.existsSync(this.outDir)) {
        const old = `${staging}.old`;
        fs.renameSync(this.outDir, old);
        fs.renameSync(staging, this.outDir);
        fs.rmSync(old, { recursive: true, force: true });
      } else fs.renameSync(staging, this.outDir);
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw err;
    }
    for (const [p, content] of outside) writeAtomically(p, content);
  }
}

export function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Temp file in the same directory, then rename: a reader sees the old file or the new one. */
export function writeAtomically(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}
