/**
 * Where rollout state lives: a JSON file beside the config (`routes.yaml.rollout.json`), so it
 * survives a restart and a reload and is shared by facade replicas on one config file. Every change
 * is a read-modify-write under a lock (proper-lockfile: an atomic `mkdir` with a stale timeout),
 * written atomically (temp file, fsync, rename). A directory the facade cannot write (a Kubernetes
 * ConfigMap mount) keeps the state in memory, and says so.
 */
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import lockfile from 'proper-lockfile';
import { writeFileAtomic } from '../control/write-back';
import type { RolloutState } from './state';

export interface StateFile {
  version: 1;
  /** Grows by one on every change, so a decision judged on an older state can tell. */
  seq: number;
  /** The replica that drives the rollouts, until when (ms since the epoch); null: none. */
  leader: { id: string; until: number } | null;
  rollouts: Record<string, RolloutState>;
}

export interface Persistence {
  file: string;
  /** False: the state lives in this process's memory only (and `error` says why). */
  persisted: boolean;
  error?: string;
}

const empty = (): StateFile => ({ version: 1, seq: 0, leader: null, rollouts: {} });
/** A lock older than this is taken as left by a dead process (a commit holds it for milliseconds). */
const STALE_MS = 5_000;

export class RolloutStore {
  private memory: StateFile | null = null;
  private memoryError: string | undefined;

  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {}

  get persistence(): Persistence {
    return this.memory ? { file: this.file, persisted: false, error: this.memoryError } : { file: this.file, persisted: true };
  }

  async read(): Promise<StateFile> {
    if (this.memory) return this.memory;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty();
      throw err;
    }
    return this.parse(text);
  }

  /**
   * Applies `change` to the current state and stores it; `change` returns false to leave it as it
   * is. Resolves to the state after (stored or not).
   */
  async commit(change: (s: StateFile) => boolean): Promise<StateFile> {
    if (this.memory) return this.inMemory(change);
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.file, {
        realpath: false,
        stale: STALE_MS,
        retries: { retries: 50, minTimeout: 5, maxTimeout: 50 },
        onCompromised: (err) => this.logger.warn({ event: 'rollout_state', err }, `rollout state lock of ${this.file} was lost: ${err.message}`),
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return this.toMemory(err as NodeJS.ErrnoException, change);
      throw err;
    }
    try {
      const state = await this.read();
      if (!change(state)) return state;
      state.seq += 1;
      try {
        await writeFileAtomic(this.file, `${JSON.stringify(state, null, 2)}\n`, { create: true });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return this.toMemory(err as NodeJS.ErrnoException, () => false, state);
        throw err;
      }
      return state;
    } finally {
      await release().catch(() => undefined);
    }
  }

  private inMemory(change: (s: StateFile) => boolean): StateFile {
    const s = this.memory!;
    if (change(s)) s.seq += 1;
    return s;
  }

  private async toMemory(err: NodeJS.ErrnoException, change: (s: StateFile) => boolean, start?: StateFile): Promise<StateFile> {
    this.memory = start ?? (await this.read().catch(() => empty()));
    this.memoryError = `cannot write ${path.basename(this.file)} in ${path.dirname(this.file)}: ${err.code === 'EROFS' ? 'read-only file system (a Kubernetes ConfigMap is mounted read-only)' : 'permission denied'}; rollout state is kept in memory only and a restart loses it`;
    this.logger.warn({ event: 'rollout_state', file: this.file, persisted: false }, this.memoryError);
    return this.inMemory(change);
  }

  /** A state file that is not ours to read is moved aside (nothing lost) and the rollouts start from none. */
  private async parse(text: string): Promise<StateFile> {
    let data: StateFile | undefined;
    try {
      data = JSON.parse(text) as StateFile;
    } catch {
      data = undefined;
    }
    if (data && data.version === 1 && typeof data.seq === 'number' && data.rollouts && typeof data.rollouts === 'object') return data;
    const aside = `${this.file}.invalid-${Date.now()}`;
    await rename(this.file, aside).catch(() => undefined);
    this.logger.error({ event: 'rollout_state', file: this.file, movedTo: aside }, `rollout state ${this.file} is not a strangler rollout state file; moved to ${aside}, starting with no rollout state`);
    return empty();
  }
}
