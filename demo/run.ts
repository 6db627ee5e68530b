/**
 * The journey on the sample monolith (`npm run demo`): analyze it and rank what can leave first;
 * extract the safest route-owning candidate as its own service; build its image and run it as a
 * container (docker or podman; processes where neither exists); put the facade in front; shadow
 * first and show the diff count, then move its routes 0 → 10 % → 50 % → 100 % with live counts of
 * where the answers came from; extract and strangle the second candidate the same way, so the facade
 * routes to two services at once; stop a service and show every GET falling back to the monolith.
 * Every step is the real `strangler` command, printed as it runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { request } from 'undici';
import type { Candidate, Report } from '../analyzer/types';
import { serviceNameOf } from '../extract/plan';
import { FACADE_NODE_OPTIONS } from '../facade/node-options';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'strangler.js');
const SAMPLE = path.join(ROOT, 'sample-monolith');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const OFFLINE_BASE = 'localhost/node:20-host';

interface Options {
  once: boolean;
  /** legacy, facade, admin, first service, second service */
  ports: [number, number, number, number, number];
  workDir: string;
  engine: string;
  baseImage?: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { once: false, ports: [3000, 8080, 8081, 4001, 4002], workDir: path.join(ROOT, '.demo'), engine: 'auto', baseImage: process.env.STRANGLER_BASE_IMAGE };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--once') opts.once = true;
    else if (a === '--base-port') {
      const base = Number(argv[++i]);
      if (!Number.isInteger(base) || base < 1024 || base > 65000) throw new Error('demo: --base-port expects a port from 1024 to 65000');
      opts.ports = [base, base + 1, base + 2, base + 3, base + 4];
    } else if (a === '--dir') opts.workDir = path.resolve(argv[++i]);
    else if (a === '--engine') opts.engine = argv[++i];
    else if (a === '--base-image') opts.baseImage = argv[++i];
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'usage: npm run demo [-- --once] [--base-port N (ports N..N+4 instead of 3000, 8080, 8081, 4001, 4002)] [--dir .demo]\n' +
          '                    [--engine auto|docker|podman|none] [--base-image IMAGE (default $STRANGLER_BASE_IMAGE)]\n',
      );
      process.exit(0);
    } else throw new Error(`demo: unknown argument ${a} (see --help)`);
  }
  return opts;
}

const say = (text: string): void => void process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
const show = (cmd: string): void => void process.stdout.write(`$ ${cmd}\n`);
const rel = (p: string) => path.relative(ROOT, p) || '.';

/** Runs `strangler <args>` as a user would, echoing the command and its output; fails the demo on an unexpected exit code. */
function strangler(args: string[], env: NodeJS.ProcessEnv = {}, o: { quietStderr?: boolean; shownEnv?: string; headLines?: number } = {}): string {
  show(`${o.shownEnv ?? ''}strangler ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  // the engine's own chatter (podman without systemd complains about health-check timers, npm's notices) is not the demo's
  const err = r.stderr.split('\n').filter((l) => l && !/systemd|syslog|install-scripts|Unknown env config|npm notice/.test(l));
  if (!o.quietStderr && err.length) process.stdout.write(`${err.map((l) => `  ${l}`).join('\n')}\n`);
  const lines = r.stdout.split('\n');
  process.stdout.write(o.headLines && lines.length > o.headLines ? `${lines.slice(0, o.headLines).join('\n')}\n  … (the whole plan: MIGRATION.md)\n` : r.stdout);
  if (r.status !== 0) throw new Error(`strangler ${args.slice(0, 2).join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-8).join('\n')}`);
  return r.stdout;
}

function start(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, cwd = ROOT): ChildProcess {
  const log = fs.openSync(logFile, 'w');
  // its own process group: tsx runs the app in a child process, and a kill must reach both
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', log, log], detached: true });
  child.on('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`demo: ${name} exited (${signal ?? code}); its log: ${logFile}\n`);
  });
  return child;
}

async function waitFor(url: string, what: string, child?: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`demo: ${what} exited with code ${child.exitCode} before it answered ${url}`);
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

/** The candidate's GET routes through the facade, path parameters set to 1. */
function getsOf(c: Candidate, proxyPort: number): string[] {
  return c.routes.filter((r) => r.method === 'GET').map((r) => `http://127.0.0.1:${proxyPort}${r.path.replace(/:\w+/g, '1')}`);
}

/** Sends one GET per user, `count` users, 20 at a time; returns how many failed (a 5xx or a transport error; a 401 is an answer). */
async function traffic(urls: string[], count: number): Promise<number> {
  let failed = 0;
  const users = Array.from({ length: count }, (_, i) => `user-${i}`);
  for (let i = 0; i < users.length; i += 20) {
    await Promise.all(
      users.slice(i, i + 20).map(async (user, j) => {
        try {
          const res = await request(urls[(i + j) % urls.length], { headers: { 'x-user-id': user } });
          await res.body.dump();
          if (res.statusCode >= 500) failed++;
        } catch {
          failed++;
        }
      }),
    );
  }
  return failed;
}

interface RouteStat {
  name: string;
  weight: number;
  requests: { legacy: number; service: number; shadow: number };
  shadowMismatches: number;
  fallbacks: number;
}

async function routeStats(adminPort: number, token: string): Promise<Map<string, RouteStat>> {
  const res = await request(`http://127.0.0.1:${adminPort}/routes`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.body.json()) as { routes: RouteStat[] };
  return new Map(body.routes.map((r) => [r.name, r]));
}

function assertFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () => reject(new Error(`demo: port ${port} is in use (stop what runs there, or pick other ports with --base-port N)`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function engineAnswers(cmd: string): boolean {
  return spawnSync(cmd, ['version'], { encoding: 'utf8', timeout: 20_000 }).status === 0;
}

let stopping = false;
const children: ChildProcess[] = [];
const running: string[] = [];

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const [legacyPort, proxyPort, adminPort, ...servicePorts] = opts.ports;
  for (const port of opts.ports) await assertFree(port);
  fs.mkdirSync(opts.workDir, { recursive: true });
  const token = randomBytes(16).toString('hex');
  const jwtSecret = randomBytes(16).toString('hex');
  const admin = ['--admin', `http://127.0.0.1:${adminPort}`];
  const env = { STRANGLER_ADMIN_TOKEN: token };
  const reportFile = path.join(opts.workDir, 'report.json');
  const engine = opts.engine === 'auto' ? (engineAnswers('docker') ? 'docker' : engineAnswers('podman') ? 'podman' : 'none') : opts.engine;
  const engineArgs = ['--engine', engine];
  let baseImage = opts.baseImage;
  if (!baseImage && engine === 'podman' && spawnSync('podman', ['image', 'exists', OFFLINE_BASE]).status === 0) baseImage = OFFLINE_BASE;

  say('1. Analyze the monolith: which module can leave first?');
  strangler(['analyze', 'sample-monolith', '--format', 'table', '--top', '5', '--quiet']);
  strangler(['analyze', 'sample-monolith', '--out', rel(reportFile), '--quiet'], {}, { quietStderr: true });
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report;
  const picks: Candidate[] = [];
  for (const c of report.candidates.filter((x) => x.label === 'service')) {
    if (picks.some((p) => p.routes.some((r) => c.routes.some((q) => q.method === r.method && q.path === r.path)))) continue;
    picks.push(c);
    if (picks.length === 2) break;
  }
  if (picks.length < 2) throw new Error('demo: the report has fewer than two route-owning candidates with distinct routes');
  process.stdout.write(`\nsafest first: ${picks[0].name} (rank ${picks[0].rank}, score ${picks[0].score.toFixed(2)}), then ${picks[1].name} (rank ${picks[1].rank})\n`);

  say(`2. Start the monolith on :${legacyPort}, and the facade in front of it on :${proxyPort}`);
  const monolithDir = path.join(opts.workDir, 'monolith');
  fs.rmSync(monolithDir, { recursive: true, force: true });
  fs.mkdirSync(monolithDir, { recursive: true });
  const db = path.join(monolithDir, 'shop.db');
  show(`PORT=${legacyPort} DATABASE_PATH=${rel(db)} JWT_SECRET=… npm run monolith`);
  // tsx reads the sample's tsconfig (its @shared/* alias) from the working directory
  const monolith = start('monolith', TSX, ['src/server.ts'], { DATABASE_PATH: db, HOST: '127.0.0.1', LOG_LEVEL: 'warn', PORT: String(legacyPort), JWT_SECRET: jwtSecret }, path.join(opts.workDir, 'monolith.log'), SAMPLE);
  children.push(monolith);
  await waitFor(`http://127.0.0.1:${legacyPort}/health`, 'the monolith', monolith);
  const config = path.join(opts.workDir, 'routes.yaml');
  fs.writeFileSync(
    config,
    [
      `# written by npm run demo; strangler extract adds each service and its routes`,
      `listen: { host: 127.0.0.1, port: ${proxyPort} }`,
      `legacy: { urls: [http://127.0.0.1:${legacyPort}], healthCheck: { path: /health } }`,
      `services: {}`,
      `routes: []`,
      `healthCheck: { intervalMs: 1000 }`,
      `admin: { host: 127.0.0.1, port: ${adminPort} }`,
      ``,
    ].join('\n'),
  );
  show(`STRANGLER_ADMIN_TOKEN=… NODE_OPTIONS=${FACADE_NODE_OPTIONS} strangler facade -c ${rel(config)}`);
  const facade = start('facade', process.execPath, [FACADE_NODE_OPTIONS, BIN, 'facade', '-c', config, '--log-level', 'warn'], env, path.join(opts.workDir, 'facade.log'));
  children.push(facade);
  await waitFor(`http://127.0.0.1:${adminPort}/readyz`, 'the facade', facade);

  let failed = 0;
  let sent = 0;
  const serviceDirs: string[] = [];
  for (const [i, pick] of picks.entries()) {
    const n = 3 + i;
    const letters = 'abcdefgh';
    let sub = 0;
    /** `3a.`, `3b.`, … : each section of this candidate's part of the story gets its own label. */
    const next = (): string => `${n}${letters[sub++]}.`;
    const dir = path.join(opts.workDir, 'services', serviceNameOf(pick));
    const servicePort = servicePorts[i];
    say(`${next()} Extract ${pick.name} as its own service`);
    strangler(['extract', pick.id, '--report', rel(reportFile), '--out', rel(dir), '--routes', rel(config), '--service-url', `http://127.0.0.1:${servicePort}`, '--force'], {}, { quietStderr: true, headLines: 24 });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'strangler.service.json'), 'utf8')) as { name: string; database: { owned: string[]; shared: string[] } };
    const name = manifest.name;
    process.stdout.write(
      `${rel(dir)}: ${name}'s code, MIGRATION.md, Dockerfile, k8s/, compose.yaml, a CI workflow; owns ${manifest.database.owned.join(', ') || 'no table'}, shares ${manifest.database.shared.join(', ') || 'none'} with the monolith; routes added to ${rel(config)} at weight 0, shadowed\n`,
    );

    say(`${next()} Build ${name}'s image and run it${engine === 'none' ? ' (no docker or podman here: as processes)' : ` as a ${engine} container`}`);
    strangler(['extract', 'build', rel(dir), ...engineArgs, ...(baseImage ? ['--base-image', baseImage] : [])]);
    strangler(['extract', 'run', rel(dir), ...engineArgs, '--port', String(servicePort), '--monolith-db', rel(db), '--copy-data'], { JWT_SECRET: jwtSecret }, { shownEnv: 'JWT_SECRET=… ' });
    running.push(dir);
    serviceDirs.push(dir);
    await waitFor(`http://127.0.0.1:${servicePort}/ready`, name);

    const routes = (await routeStats(adminPort, token)).keys();
    const mine = [...routes].filter((r) => r === name || r.startsWith(`${name}-`));
    const getUrls = getsOf(pick, proxyPort);
    await untilMirrored(adminPort, token, mine, getUrls[0], name);

    say(`${next()} Shadow first: every ${name} GET goes to the monolith and a copy to ${name}; the answers are compared`);
    const s0 = await routeStats(adminPort, token);
    failed += await step(`${name} shadow`, 0, 200);
    const s = await routeStats(adminPort, token);
    const delta = (k: 'shadow' | 'mismatches') => mine.reduce((a, r) => a + (k === 'shadow' ? s.get(r)!.requests.shadow - (s0.get(r)?.requests.shadow ?? 0) : s.get(r)!.shadowMismatches), 0);
    const mirrored = delta('shadow');
    const mismatches = delta('mismatches');
    process.stdout.write(`shadow ${name}: ${mirrored} of 200 mirrored (the facade skips copies while it is busy), ${mismatches} mismatches\n`);
    if (mismatches > 0) throw new Error(`demo: ${name} answered ${mismatches} requests differently from the monolith (see ${rel(path.join(opts.workDir, 'facade.log'))})`);

    for (const weight of i === 0 ? [10, 50, 100] : [50, 100]) {
      say(`${next()} ${weight === 100 ? `Promote: all of ${name}'s routes go to ${name}` : `Move ${weight} % of the users to ${name} (sticky: each keeps their side)`}`);
      for (const r of mine) strangler(weight === 100 ? ['route', 'promote', r, ...admin] : ['route', 'set', r, '--weight', String(weight), ...admin], env);
      failed += await step(`${name} weight`, weight, 400);
    }
    strangler(['route', 'list', ...admin], env);

    async function step(label: string, weight: number, users: number): Promise<number> {
      const before = await routeStats(adminPort, token);
      const f = await traffic(getUrls, users);
      sent += users;
      const after = await routeStats(adminPort, token);
      const d = (side: 'legacy' | 'service') => mine.reduce((a, r) => a + (after.get(r)!.requests[side] - (before.get(r)?.requests[side] ?? 0)), 0);
      process.stdout.write(`step ${label} ${weight} %: ${users} GETs from ${users} users: ${d('legacy')} answered by the monolith, ${d('service')} by ${name}, ${f} failed\n`);
      return f;
    }
  }

  const first = picks[0];
  const firstDir = serviceDirs[0];
  const firstName = (JSON.parse(fs.readFileSync(path.join(firstDir, 'strangler.service.json'), 'utf8')) as { name: string }).name;
  say(`${3 + picks.length}. The facade routes to two services at once. Now ${firstName} stops: its GETs fall back to the monolith`);
  strangler(['extract', 'stop', rel(firstDir), ...engineArgs]);
  running.splice(running.indexOf(firstDir), 1);
  const before = await routeStats(adminPort, token);
  const f = await traffic(getsOf(first, proxyPort), 200);
  failed += f;
  sent += 200;
  const after = await routeStats(adminPort, token);
  const mineFirst = [...after.values()].filter((r) => r.name === firstName || r.name.startsWith(`${firstName}-`));
  const legacy = mineFirst.reduce((a, r) => a + r.requests.legacy - (before.get(r.name)?.requests.legacy ?? 0), 0);
  const retried = mineFirst.reduce((a, r) => a + r.fallbacks - (before.get(r.name)?.fallbacks ?? 0), 0);
  process.stdout.write(`step ${firstName} stopped: 200 GETs from 200 users: ${legacy} answered by the monolith (${retried} retried there after ${firstName} failed them, the rest once its breaker or health check took it out), ${f} failed\n`);
  strangler(['route', 'list', ...admin], env);
  process.stdout.write(`\n${failed === 0 ? 'no request failed' : `${failed} requests failed`} across the whole walk-through (${sent} GETs through the facade)\n`);
  if (failed > 0) process.exitCode = 1;

  if (opts.once) return;
  say('The stack stays up: try it (Ctrl-C stops everything)');
  process.stdout.write(
    [
      `curl -s http://127.0.0.1:${proxyPort}${picks[1].pathPrefixes[0] ?? '/'}            # through the facade`,
      `STRANGLER_ADMIN_TOKEN=${token} npx strangler route list --admin http://127.0.0.1:${adminPort}`,
      `report: ${rel(reportFile)}; services: ${serviceDirs.map(rel).join(', ')}`,
      `logs and config: ${rel(opts.workDir)}/`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/** The facade sends a service traffic once its health check passed: warm-up GETs until one was mirrored to it. */
async function untilMirrored(adminPort: number, token: string, routes: string[], url: string, service: string): Promise<void> {
  const count = async () => {
    const s = await routeStats(adminPort, token);
    return routes.reduce((a, r) => a + (s.get(r)?.requests.shadow ?? 0), 0);
  };
  const before = await count();
  for (let i = 0; i < 150; i++) {
    const res = await request(url, { headers: { 'x-user-id': 'warm-up' } });
    await res.body.dump();
    if ((await count()) > before) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`demo: the facade has not sent ${service} a request within 30 s (its health check on the service fails: see the facade log)`);
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
  for (const dir of running.splice(0)) spawnSync(process.execPath, [BIN, 'extract', 'stop', dir], { stdio: 'ignore' });
  for (const c of children) kill(c, 'SIGTERM');
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(stopAll);
