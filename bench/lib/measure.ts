import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './repo';

/** The compiled preload, in dist/ also when this module runs from source (jest). */
const MAXRSS_PRELOAD = path.join(REPO_ROOT, 'dist', 'bench', 'lib', 'maxrss.js');

export interface Measured {
  wallMs: number;
  /** Peak RSS of the node process in kilobytes; null when it died before its exit hook ran. */
  maxRssKb: number | null;
  /** User + system CPU time of the process (all its threads); far less sensitive than wall time to other load on the machine. */
  cpuMs: number | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Stopped by the harness after MeasureOptions.timeoutMs. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  cwd: string;
  timeoutMs: number;
}

/**
 * Runs `node <script> ...args` with the max-RSS preload and times it from spawn to exit (node's start-up
 * included, as a user pays it). stdout goes to a file, not a pipe: node writes to files synchronously,
 * while a tool that calls process.exit() right after writing a large result to a pipe loses its tail
 * (madge --json does). stderr is captured for error messages.
 */
export function runNodeMeasured(script: string, args: string[], options: MeasureOptions): Measured {
  const base = path.join(os.tmpdir(), `bench-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const rssFile = `${base}.maxrss`;
  const stdoutFile = `${base}.stdout`;
  const stdoutFd = fs.openSync(stdoutFile, 'w');
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', MAXRSS_PRELOAD, script, ...args], {
    cwd: options.cwd,
    stdio: ['ignore', stdoutFd, 'pipe'],
    env: { ...process.env, BENCH_MAXRSS_FILE: rssFile, NO_COLOR: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    timeout: options.timeoutMs,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  fs.closeSync(stdoutFd);
  const stdout = fs.readFileSync(stdoutFile, 'utf8');
  fs.rmSync(stdoutFile, { force: true });
  let maxRssKb: number | null = null;
  let cpuMs: number | null = null;
  try {
    const usage = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { maxRssKb: number; userUs: number; systemUs: number };
    maxRssKb = usage.maxRssKb;
    cpuMs = (usage.userUs + usage.systemUs) / 1000;
    fs.rmSync(rssFile, { force: true });
  } catch {
    // the child died before its exit hook ran (signal, timeout): no figures
  }
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { wallMs, maxRssKb, cpuMs, code: r.status, signal: r.signal, timedOut, stdout, stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}
