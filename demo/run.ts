/**
 * The end-to-end walk-through on the sample monolith (`npm run demo`): analyze it, pick the candidate
 * the report ranks safest, put the facade in front of the monolith, and move that candidate's routes
 * over step by step (shadow → 50 % → 100 %), then show fallback when the service dies.
 *
 * Until `strangler extract` exists, the "service" is a second instance of the monolith sharing its
 * SQLite file: the strangler-fig step of deploying the same code separately and routing a prefix to
 * it. Everything else is the real tool driven through its real CLI, each command printed as it runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { request } from 'undici';
import type { Report } from '../analyzer/types';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'strangler.js');
const SAMPLE = path.join(ROOT, 'sample-monolith');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Options {
  once: boolean;
  /** legacy, service, facade, admin */
  ports: [number, number, number, number];
  workDir: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { once: false, ports: [3000, 4001, 8080, 8081], workDir: path.join(ROOT, '.demo') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--once') opts.once = true;
    else if (a === '--base-port') {
      const base = Number(argv[++i]);
      if (!Number.isInteger(base) || base < 1024 || base > 65000) throw new Error('demo: --base-port expects a port from 1024 to 65000');
      opts.ports = [base, base + 1, base + 2, base + 3];
    }
    else if (a === '--dir') opts.workDir = path.resolve(argv[++i]);
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run demo [-- --once] [--base-port N (ports N..N+3 instead of 3000, 4001, 8080, 8081)] [--dir .demo]\n');
      process.exit(0);
    } else throw new Error(`demo: unknown argument ${a} (see --help)`);
  }
  return opts;
}

const say = (text: string): void => void process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
const show = (cmd: string): void => void process.stdout.write(`$ ${cmd}\n`);

/** Runs `strangler <args>` as a user would, echoing the command; fails the demo on an unexpected exit code. */
function strangler(args: string[], env: NodeJS.ProcessEnv = {}, expectCode = 0): string {
  show(`strangler ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  process.stdout.write(r.stdout);
  if (r.status !== expectCode) throw new Error(`strangler ${args[0]} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

function start(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, cwd = ROOT): ChildProcess {
  const log = fs.openSync(logFile, 'w');
  // its own process group: tsx runs the app in a child process, and a kill must reach both
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', log, log], detached: true });
  child.on('exit', (code, signal) => {
    if (!stopping && !expectedExits.has(child)) process.stderr.write(`demo: ${name} exited (${signal ?? code}); its log: ${logFile}\n`);
  });
  return child;
}

async function waitFor(url: string, what: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`demo: ${what} exited with code ${child.exitCode} before it answered ${url}`);
    try {
      const res = await request(url);
      await res.body.dump();
      if (res.statusCode < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`demo: ${what} did not answer ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Sends `count` GETs as `count` different users; returns how many failed (non-2xx or transport error). */
async function traffic(url: string, count: number): Promise<number> {
  let failed = 0;
  const users = Array.from({ length: count }, (_, i) => `user-${i}`);
  for (let i = 0; i < users.length; i += 20) {
    await Promise.all(
      users.slice(i, i + 20).map(async (user) => {
        try {
          const res = await request(url, { headers: { 'x-user-id': user } });
          await res.body.dump();
          if (res.statusCode >= 300) failed++;
        } catch {
          failed++;
        }
      }),
    );
  }
  return failed;
}

function assertFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () => reject(new Error(`demo: port ${port} is in use (stop what runs there, or pick other ports with --base-port N)`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

let stopping = false;
const expectedExits = new Set<ChildProcess>();
const children: ChildProcess[] = [];

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const [legacyPort, servicePort, proxyPort, adminPort] = opts.ports;
  for (const port of opts.ports) await assertFree(port);
  fs.mkdirSync(opts.workDir, { recursive: true });
  const token = randomBytes(16).toString('hex');
  const admin = ['--admin', `http://127.0.0.1:${adminPort}`];
  const reportFile = path.join(opts.workDir, 'report.json');

  say('1. Analyze the monolith: which module can leave first?');
  strangler(['analyze', 'sample-monolith', '--format', 'table', '--top', '5', '--quiet']);
  strangler(['analyze', 'sample-monolith', '--out', path.relative(ROOT, reportFile), '--quiet']);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report;
  const pick = report.candidates.find((c) => c.label === 'service' && c.pathPrefixes.length === 1);
  if (!pick) throw new Error('demo: the report has no service candidate whose routes move with one prefix rule');
  const prefix = pick.pathPrefixes[0];
  const serviceName = path.posix.basename(pick.name).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]/g, '-');
  process.stdout.write(`\nsafest first: ${pick.name} (rank ${pick.rank}, score ${pick.score.toFixed(2)}): ${pick.routes.length} routes under ${prefix}\n`);

  say(`2. Start the monolith on :${legacyPort} and the ${serviceName} service on :${servicePort}`);
  const db = path.join(opts.workDir, 'shop.db');
  const appEnv = { DATABASE_PATH: db, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  show(`PORT=${legacyPort} DATABASE_PATH=${path.relative(ROOT, db)} npm run monolith`);
  // tsx reads the sample's tsconfig (its @shared/* alias) from the working directory
  const monolith = start('monolith', TSX, ['src/server.ts'], { ...appEnv, PORT: String(legacyPort) }, path.join(opts.workDir, 'monolith.log'), SAMPLE);
  children.push(monolith);
  await waitFor(`http://127.0.0.1:${legacyPort}/health`, 'the monolith', monolith);
  const service = start(serviceName, TSX, ['src/server.ts'], { ...appEnv, PORT: String(servicePort) }, path.join(opts.workDir, `${serviceName}.log`), SAMPLE);
  children.push(service);
  await waitFor(`http://127.0.0.1:${servicePort}/health`, `the ${serviceName} service`, service);

  say('3. Put the facade in front: the route starts at weight 0, shadowed');
  const config = path.join(opts.workDir, 'routes.yaml');
  fs.writeFileSync(
    config,
    [
      `# written by npm run demo: ${pick.name} is strangled out of the sample monolith`,
      `listen: { host: 127.0.0.1, port: ${proxyPort} }`,
      `legacy: { urls: [http://127.0.0.1:${legacyPort}], healthCheck: { path: /health } }`,
      `services:`,
      `  ${serviceName}:`,
      `    urls: [http://127.0.0.1:${servicePort}]`,
      `    healthCheck: { path: /health }`,
      `routes:`,
      `  - name: ${serviceName}`,
      `    match: { prefix: ${prefix} }`,
      `    service: ${serviceName}`,
      `    weight: 0`,
      `    shadow: { percent: 100 }`,
      `admin: { host: 127.0.0.1, port: ${adminPort} }`,
      ``,
    ].join('\n'),
  );
  show(`STRANGLER_ADMIN_TOKEN=… strangler facade -c ${path.relative(ROOT, config)}`);
  const facade = start('facade', process.execPath, [BIN, 'facade', '-c', config, '--log-level', 'warn'], { STRANGLER_ADMIN_TOKEN: token }, path.join(opts.workDir, 'facade.log'));
  children.push(facade);
  await waitFor(`http://127.0.0.1:${adminPort}/readyz`, 'the facade', facade);
  const url = `http://127.0.0.1:${proxyPort}${prefix}`;
  const env = { STRANGLER_ADMIN_TOKEN: token };

  let failed = await traffic(url, 200);
  strangler(['route', 'list', ...admin], env);

  for (const weight of [50, 100]) {
    say(weight === 100 ? `5. Promote: all of ${prefix} goes to the service` : `4. Move half of the users (sticky: each keeps their side)`);
    strangler(weight === 100 ? ['route', 'promote', serviceName, ...admin] : ['route', 'set', serviceName, '--weight', String(weight), ...admin], env);
    failed += await traffic(url, 200);
    strangler(['route', 'list', ...admin], env);
  }

  say(`6. The ${serviceName} service dies: GETs fall back to the monolith`);
  expectedExits.add(service);
  kill(service, 'SIGKILL');
  failed += await traffic(url, 200);
  strangler(['route', 'list', ...admin], env);
  process.stdout.write(`\n${failed === 0 ? 'no request failed' : `${failed} requests failed`} across the whole walk-through (800 GETs through the facade)\n`);
  if (failed > 0) process.exitCode = 1;

  if (opts.once) return;
  say('The stack stays up: try it (Ctrl-C stops everything)');
  process.stdout.write(
    [
      `curl -s http://127.0.0.1:${proxyPort}${prefix}            # through the facade`,
      `STRANGLER_ADMIN_TOKEN=${token} npx strangler route list --admin http://127.0.0.1:${adminPort}`,
      `report: ${path.relative(ROOT, reportFile)}`,
      `logs and config: ${path.relative(ROOT, opts.workDir)}/`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function stopAll(): void {
  stopping = true;
  for (const c of children) kill(c, 'SIGTERM');
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(stopAll);
