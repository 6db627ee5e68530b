/**
 * Runs the built `strangler` bin as a real process without blocking the test's event loop
 * (runCli's spawnSync would freeze in-process servers the CLI talks to).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const BIN = path.join(REPO_ROOT, 'bin', 'strangler.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, STRANGLER_ADMIN_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface FacadeProcess {
  child: ChildProcess;
  proxyUrl: string;
  adminUrl: string;
  /** JSON log lines from stdout so far. */
  logs(): Array<Record<string, unknown>>;
  stderr(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `strangler facade` (as `as.uid`/`as.gid` when given) and waits for its "listening" line on stderr. */
export function startFacadeProcess(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000, as: { uid?: number; gid?: number } = {}): Promise<FacadeProcess> {
  const child = spawn(process.execPath, [BIN, 'facade', ...args], { env: { ...process.env, STRANGLER_ADMIN_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...as });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`facade did not start in ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`facade exited with ${code} before listening; stderr: ${stderr}`));
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+), admin API on (http:\/\/[^\s,]+)/.exec(stderr);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        child,
        proxyUrl: m[1],
        adminUrl: m[2],
        logs: () =>
          stdout
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        stderr: () => stderr,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}
