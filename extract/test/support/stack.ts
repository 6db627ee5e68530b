/**
 * Real processes for the extract tests: the sample monolith, extracted services, the facade. Each
 * listens on 127.0.0.1, logs to a buffer the test can wait on, and is stopped in `stopAll`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../../cli/test/run-cli';

export const SAMPLE = path.join(REPO_ROOT, 'sample-monolith');
export const BIN = path.join(REPO_ROOT, 'bin', 'strangler.js');
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
export const JWT_SECRET = 'shadow-test-secret';

export interface Proc {
  name: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves when a line of output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

const procs: Proc[] = [];

export function startProc(name: string, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }): Proc {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      const line = out.split('\n').find((l) => w.re.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const proc: Proc = {
    name,
    child,
    output: () => out,
    waitFor(re, timeoutMs = 60_000) {
      const line = out.split('\n').find((l) => re.test(l));
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no line matching ${re} within ${timeoutMs} ms; output:\n${out.slice(-3000)}`)), timeoutMs);
        child.once('exit', (code) => reject(new Error(`${name} exited ${code} before printing ${re}; output:\n${out.slice(-3000)}`)));
        waiters.push({ re, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
  };
  procs.push(proc);
  return proc;
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    procs.splice(0).map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.child.exitCode !== null || p.child.signalCode !== null || p.child.pid === undefined) return resolve();
          p.child.once('exit', () => resolve());
          try {
            process.kill(-p.child.pid, 'SIGTERM');
          } catch {
            resolve();
          }
        }),
    ),
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The sample monolith as `npm run monolith` runs it, on its own database file. */
export async function startMonolith(dbFile: string): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const proc = startProc('monolith', TSX, ['src/server.ts'], { cwd: SAMPLE, env: { PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: dbFile, JWT_SECRET, LOG_LEVEL: 'warn' } });
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/health`, proc);
  return { proc, url };
}

export async function waitHttp(url: string, proc: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited ${proc.child.exitCode} before answering ${url}:\n${proc.output().slice(-3000)}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${proc.name} did not answer ${url} within ${timeoutMs} ms:\n${proc.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A directory of prebuilt native addons made from this repository's own installed ones (same Node
 * ABI, same platform), for prebuild-install's documented local-prebuilds lookup: `npm ci` in an
 * extracted service then installs better-sqlite3 without a download or a compiler.
 */
export function localPrebuilds(): { dir: string; env: Record<string, string> } {
  const dir = path.join(os.tmpdir(), `strangler-prebuilds-${process.versions.modules}`);
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string };
  const tarball = path.join(dir, `better-sqlite3-v${pkg.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`);
  if (!fs.existsSync(tarball)) {
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-prebuild-'));
    fs.mkdirSync(path.join(stage, 'build', 'Release'), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), path.join(stage, 'build', 'Release', 'better_sqlite3.node'));
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${tarball}.${process.pid}`;
    const r = spawnSync('tar', ['-C', stage, '-czf', tmp, 'build']);
    if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
    fs.renameSync(tmp, tarball);
    fs.rmSync(stage, { recursive: true, force: true });
  }
  return { dir, env: { npm_config_better_sqlite3_local_prebuilds: dir } };
}

/** `npm ci && npm run build` in a service folder, as its README says; throws with npm's output on failure. */
export function installAndBuild(dir: string): void {
  const env = { ...process.env, ...localPrebuilds().env };
  for (const args of [['ci', '--no-audit', '--no-fund'], ['run', 'build']]) {
    const r = spawnSync('npm', args, { cwd: dir, env, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`npm ${args.join(' ')} in ${dir} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
}

export async function login(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'password123' }) });
  const body = (await res.json()) as { accessToken: string };
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return body.accessToken;
}
