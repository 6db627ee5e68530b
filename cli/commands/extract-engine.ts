import fs from 'node:fs';
import path from 'node:path';
import { buildSteps, clearContainerName, copyDataStep, detectEngine, EngineError, readManifest, runStep, runSteps, startDetached, type Engine } from '../../extract/engine';
import { CliError } from '../errors';
import type { EngineFlags } from './extract';

const log = (s: string) => void process.stderr.write(`${s}\n`);

function engineOf(flags: EngineFlags): Engine {
  const engine = detectEngine(flags.engine ?? 'auto');
  if (engine === 'none') log('extract: no docker or podman here: running the same steps as processes');
  return engine;
}

async function guarded<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof EngineError) throw new CliError(`extract: ${err.message}`, err.exitCode);
    throw err;
  }
}

export async function runBuild(dir: string, flags: EngineFlags): Promise<void> {
  await guarded(() => {
    const m = readManifest(dir);
    const engine = engineOf(flags);
    for (const step of buildSteps(dir, engine, m, { tag: flags.tag, baseImage: flags.baseImage })) runStep(step, log);
    const result = { service: m.name, engine, image: engine === 'none' ? null : (flags.tag ?? m.image), built: engine === 'none' ? path.join(dir, 'dist') : null };
    process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : `built ${m.name}${result.image ? ` as ${result.image}` : ` in ${result.built}`} (${engine === 'none' ? 'processes' : engine})\n`);
  });
}

interface RunState {
  engine: Engine;
  id: string;
  name: string;
  port: number;
}

const stateFile = (dir: string) => path.join(dir, 'data', '.strangler-run.json');

export async function runService(dir: string, flags: EngineFlags): Promise<void> {
  await guarded(() => {
    const m = readManifest(dir);
    const engine = engineOf(flags);
    const port = Number(flags.port ?? 4001);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new EngineError(`--port must be a port number, got "${flags.port}"`, 2);
    const env: Record<string, string> = {};
    for (const kv of flags.env) {
      const i = kv.indexOf('=');
      if (i < 1) throw new EngineError(`--env expects KEY=VALUE, got "${kv}"`, 2);
      env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    const data = flags.data ?? path.join(dir, 'data');
    const name = flags.name ?? m.name;
    const step = runSteps(dir, engine, m, { port, name, tag: flags.tag, data, monolithDb: flags.monolithDb, env });
    if (engine !== 'none' && process.getuid?.() === 0) {
      // the image runs as uid 1000: its volumes must be writable by it (SQLite also writes -wal/-shm next to the monolith's file)
      const dirs = [path.resolve(data), ...(flags.monolithDb ? [path.dirname(path.resolve(flags.monolithDb))] : [])];
      for (const d of dirs) for (const f of [d, ...fs.readdirSync(d).map((x) => path.join(d, x))]) fs.chownSync(f, 1000, 1000);
      log(`$ chown 1000:1000 ${dirs.join(' ')}   # the container's user`);
    }
    if (engine !== 'none') clearContainerName(engine, name, dir, log);
    if (flags.copyData) process.stderr.write(runStep(copyDataStep(step, engine), log));
    const id = startDetached(step, path.join(data, `${m.name}.log`), log);
    const state: RunState = { engine, id, name, port };
    fs.writeFileSync(stateFile(dir), JSON.stringify(state));
    process.stdout.write(flags.json ? `${JSON.stringify(state)}\n` : `${m.name} running on http://127.0.0.1:${port} (${engine === 'none' ? `process ${id}` : `${engine} container ${name}`})\n`);
  });
}

export async function stopService(dir: string, flags: EngineFlags): Promise<void> {
  await guarded(() => {
    const m = readManifest(dir);
    const file = stateFile(dir);
    if (!fs.existsSync(file)) throw new EngineError(`${m.name} was not started with strangler extract run from ${dir}`, 2);
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as RunState;
    let exitCode: number | null = null;
    if (state.engine === 'none') {
      log(`$ kill -TERM ${state.id}`);
      try {
        process.kill(Number(state.id), 'SIGTERM');
      } catch {
        log(`extract: process ${state.id} had already exited`);
      }
    } else {
      const name = flags.name ?? state.name;
      runStep({ shown: `${state.engine} stop ${name}`, cmd: state.engine, args: ['stop', name] }, log);
      exitCode = Number(runStep({ shown: `${state.engine} inspect --format '{{.State.ExitCode}}' ${name}`, cmd: state.engine, args: ['inspect', '--format', '{{.State.ExitCode}}', name] }, log).trim());
      runStep({ shown: `${state.engine} rm ${name}`, cmd: state.engine, args: ['rm', name] }, log);
    }
    fs.rmSync(file);
    process.stdout.write(flags.json ? `${JSON.stringify({ stopped: m.name, exitCode })}\n` : `stopped ${m.name}${exitCode === null ? '' : ` (exit code ${exitCode})`}\n`);
  });
}
