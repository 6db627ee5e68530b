/**
 * Builds and runs an extracted service with a container engine (docker or podman, the same
 * commands) or, where neither is installed, as processes: `npm ci && npm run build`, then
 * `node dist/service/server.js` in the background. Every command is printed before it runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type Engine = 'docker' | 'podman' | 'none';

export interface ServiceManifest {
  name: string;
  port: number;
  image: string;
  database: { path: string; owned: string[]; shared: string[] };
  secrets: string[];
}

export class EngineError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export function readManifest(dir: string): ServiceManifest {
  const file = path.join(dir, 'strangler.service.json');
  if (!fs.existsSync(file)) throw new EngineError(`${dir} is not a service written by strangler extract (no strangler.service.json)`, 2);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ServiceManifest;
}

/** docker if it answers, then podman; `none` when neither does. */
export function detectEngine(wanted = 'auto'): Engine {
  if (wanted === 'docker' || wanted === 'podman' || wanted === 'none') {
    if (wanted !== 'none' && !answers(wanted)) throw new EngineError(`--engine ${wanted}: \`${wanted} version\` does not answer on this machine`, 2);
    return wanted;
  }
  if (wanted !== 'auto') throw new EngineError(`--engine must be auto, docker, podman or none, got "${wanted}"`, 2);
  for (const e of ['docker', 'podman'] as const) if (answers(e)) return e;
  return 'none';
}

function answers(cmd: string): boolean {
  const r = spawnSync(cmd, ['version', '--format', '{{.Client.Version}}'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0;
}

export interface Step {
  /** What is shown: the command as a person would type it. */
  shown: string;
  cmd: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function show(step: Step, log: (s: string) => void): void {
  log(`$ ${step.shown}`);
}

/** Runs a step in the foreground with its output on stderr; throws on a non-zero exit. */
export function runStep(step: Step, log: (s: string) => void): string {
  show(step, log);
  const r = spawnSync(step.cmd, step.args, { cwd: step.cwd, env: { ...process.env, ...step.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.stderr) process.stderr.write(r.stderr.split('\n').slice(-40).join('\n'));
  if (r.status !== 0) throw new EngineError(`${step.shown} exited ${r.status ?? r.signal}${r.error ? `: ${r.error.message}` : ''}\n${(r.stdout ?? '').split('\n').slice(-20).join('\n')}`);
  return r.stdout ?? '';
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function buildSteps(dir: string, engine: Engine, m: ServiceManifest, o: { tag?: string; baseImage?: string }): Step[] {
  if (engine === 'none') {
    return [
      { shown: `(cd ${dir} && npm ci)`, cmd: 'npm', args: ['ci', '--no-audit', '--no-fund'], cwd: dir },
      { shown: `(cd ${dir} && npm run build)`, cmd: 'npm', args: ['run', 'build'], cwd: dir },
    ];
  }
  const tag = o.tag ?? m.image;
  const base = o.baseImage ?? process.env.STRANGLER_BASE_IMAGE;
  // podman's own image format drops HEALTHCHECK; the docker format keeps it
  const args = ['build', ...(engine === 'podman' ? ['--format', 'docker'] : []), ...(base ? ['--build-arg', `BASE_IMAGE=${base}`] : []), '-t', tag, dir];
  return [{ shown: [engine, ...args].map(quote).join(' '), cmd: engine, args }];
}

export interface RunOptions {
  port: number;
  name: string;
  tag?: string;
  data: string;
  monolithDb?: string;
  env: Record<string, string>;
}

/** Marks the containers `extract run` starts with the service folder they run, so a later run knows its own. */
export const SERVICE_LABEL = 'strangler.service-dir';

/**
 * A container already holding the name `extract run` wants: one an earlier run of the same service
 * left behind (a killed demo, a crashed shell) is replaced; anyone else's is refused, not removed.
 */
export function clearContainerName(engine: Exclude<Engine, 'none'>, name: string, dir: string, log: (s: string) => void): void {
  const r = spawnSync(engine, ['container', 'inspect', '--format', `{{index .Config.Labels "${SERVICE_LABEL}"}}`, name], { encoding: 'utf8' });
  if (r.status !== 0) return; // no such container
  const owner = r.stdout.trim();
  if (owner !== path.resolve(dir)) {
    throw new EngineError(`a ${engine} container named ${name} already exists and was not started by strangler extract run from ${dir}${owner && owner !== '<no value>' ? ` (it runs ${owner})` : ''}: remove it (${engine} rm -f ${name}) or pass --name`, 2);
  }
  log(`extract: a container ${name} left by an earlier run of this service is replaced`);
  runStep({ shown: `${engine} rm -f ${name}`, cmd: engine, args: ['rm', '-f', name] }, log);
}

export function runSteps(dir: string, engine: Engine, m: ServiceManifest, o: RunOptions): Step {
  if (m.database.shared.length && !o.monolithDb) throw new EngineError(`${m.name} still reads ${m.database.shared.join(', ')} in the monolith's database: give --monolith-db <the monolith's SQLite file>`, 2);
  if (o.monolithDb && !fs.existsSync(o.monolithDb)) throw new EngineError(`--monolith-db ${o.monolithDb} does not exist`, 2);
  const missing = m.secrets.filter((s) => !(s in o.env) && process.env[s] === undefined);
  if (missing.length) throw new EngineError(`${m.name} needs ${missing.join(', ')} (the monolith's value): set it in the environment or pass --env ${missing[0]}=…`, 2);
  const passEnv = Object.fromEntries(m.secrets.map((s) => [s, o.env[s] ?? process.env[s]!]));
  fs.mkdirSync(o.data, { recursive: true });
  if (engine === 'none') {
    const env = { PORT: String(o.port), HOST: '127.0.0.1', DATABASE_PATH: path.join(path.resolve(o.data), `${m.name}.db`), ...(o.monolithDb ? { MONOLITH_DATABASE_PATH: path.resolve(o.monolithDb) } : {}), ...passEnv, ...o.env };
    const shownEnv = Object.entries(env).map(([k, v]) => `${k}=${m.secrets.includes(k) ? '…' : quote(v)}`).join(' ');
    return { shown: `(cd ${dir} && ${shownEnv} node dist/service/server.js &)`, cmd: process.execPath, args: ['dist/service/server.js'], cwd: dir, env };
  }
  const monolithDir = o.monolithDb ? path.dirname(path.resolve(o.monolithDb)) : null;
  const env: Record<string, string> = { ...(o.monolithDb ? { MONOLITH_DATABASE_PATH: `/monolith/${path.basename(o.monolithDb)}` } : {}), ...passEnv, ...o.env };
  const args = [
    'run', '-d', '--name', o.name,
    '--label', `${SERVICE_LABEL}=${path.resolve(dir)}`,
    '-p', `127.0.0.1:${o.port}:${m.port}`,
    '-v', `${path.resolve(o.data)}:/data`,
    ...(monolithDir ? ['-v', `${monolithDir}:/monolith`] : []),
    ...Object.keys(env).flatMap((k) => ['-e', k]),
    o.tag ?? m.image,
  ];
  const shown = [engine, ...args].map(quote).join(' ');
  return { shown, cmd: engine, args, env };
}

/** The same environment and volumes, running `npm run copy-data` once (a throwaway container, or a process) instead of the server. */
export function copyDataStep(run: Step, engine: Engine): Step {
  if (engine === 'none') return { ...run, shown: run.shown.replace('node dist/service/server.js &', 'node dist/service/copy-data.js'), args: ['dist/service/copy-data.js'] };
  const args = run.args.filter((a, i, all) => a !== '-d' && !(a === '--name' || all[i - 1] === '--name') && !(a === '-p' || all[i - 1] === '-p'));
  const withRm = ['run', '--rm', ...args.slice(1), 'node', 'dist/service/copy-data.js'];
  return { ...run, shown: [engine, ...withRm].map(quote).join(' '), args: withRm };
}

/** Starts the step in the background (a process in its own group, or a detached container) and returns its pid or container id. */
export function startDetached(step: Step, logFile: string, log: (s: string) => void): string {
  show(step, log);
  if (step.cmd === process.execPath) {
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(step.cmd, step.args, { cwd: step.cwd, env: { ...process.env, ...step.env }, stdio: ['ignore', fd, fd], detached: true });
    child.unref();
    return String(child.pid);
  }
  return runStep({ ...step, shown: step.shown }, () => undefined).trim();
}
