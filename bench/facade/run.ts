/**
 * Facade benchmark: direct vs strangler facade vs bare http-proxy vs facade with shadowing, on
 * loopback, interleaved rounds, autocannon in its own process, each server in its own process.
 *
 *   npm run build && node dist/bench/facade/run.js [--rounds 3] [--duration 5] [--connections 50] [--rate 1000] [--json] [--strict]
 *
 * Prints req/s, p50 and p99 relative to direct, the proxies' CPU per request, and verdicts against
 * the targets; writes bench/results/facade-<date>.json.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load';

/**
 * Saturating runs (as fast as 50 connections go) compare throughput; the two `@rate` runs send a
 * fixed request rate below saturation, where the facade does not shed mirroring, to measure what
 * shadowing costs in latency.
 */
type Mode = 'direct' | 'facade' | 'http-proxy' | 'facade-shadow' | 'facade@rate' | 'facade-shadow@rate';
const MODES: Mode[] = ['direct', 'facade', 'http-proxy', 'facade-shadow', 'facade@rate', 'facade-shadow@rate'];
const LABEL: Record<Mode, string> = {
  direct: 'direct (upstream)',
  facade: 'strangler facade',
  'http-proxy': 'bare http-proxy',
  'facade-shadow': 'facade + shadow',
  'facade@rate': 'facade @rate',
  'facade-shadow@rate': 'facade+shadow @rate',
};
const SERVER_OF: Record<Exclude<Mode, 'direct'>, 'facade' | 'http-proxy' | 'facade-shadow'> = {
  facade: 'facade',
  'http-proxy': 'http-proxy',
  'facade-shadow': 'facade-shadow',
  'facade@rate': 'facade',
  'facade-shadow@rate': 'facade-shadow',
};

interface Options {
  rounds: number;
  duration: number;
  connections: number;
  /** Requests per second (all connections together) for the `@rate` runs. */
  rate: number;
  json: boolean;
  strict: boolean;
}

type Served = { legacy: number; service: number; shadow: number };

interface Run {
  mode: Mode;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  cpuMicrosPerRequest?: number;
  /** Facade modes: where the run's requests went, from the facade's own counters. */
  served?: Served;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { rounds: 3, duration: 5, connections: 50, rate: 1000, json: false, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${a}: expected a positive number, got "${argv[i]}"`);
      return n;
    };
    if (a === '--rounds') o.rounds = num();
    else if (a === '--duration') o.duration = Math.min(num(), 30);
    else if (a === '--connections') o.connections = Math.min(num(), 500);
    else if (a === '--rate') o.rate = num();
    else if (a === '--json') o.json = true;
    else if (a === '--strict') o.strict = true;
    else throw new Error(`unknown option ${a} (options: --rounds N, --duration S, --connections N, --rate N, --json, --strict)`);
  }
  return o;
}

// Children run the same flavour of this file: .js when built, .ts under tsx (execArgv carries the loader).
const SERVERS = path.join(__dirname, `servers${path.extname(__filename)}`);
const LOAD = path.join(__dirname, `load${path.extname(__filename)}`);

interface Server {
  child: ChildProcess;
  ports: number[];
  cpu(cmd: 'cpu-start' | 'cpu-stop'): Promise<number>;
  served(): Promise<Served>;
}

function startServer(kind: string, arg?: string): Promise<Server> {
  const child = fork(SERVERS, arg === undefined ? [kind] : [kind, arg], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before it was ready`)));
    child.once('message', (m: { ready?: boolean; ports: number[] }) => {
      if (!m.ready) return;
      resolve({
        child,
        ports: m.ports,
        cpu: (cmd) =>
          new Promise((done) => {
            if (cmd === 'cpu-start') {
              child.send({ cmd });
              done(0);
              return;
            }
            child.once('message', (r: { cpuMicros: number }) => done(r.cpuMicros));
            child.send({ cmd });
          }),
        served: () =>
          new Promise((done) => {
            child.once('message', (r: { stats: Array<{ requests: Served }> }) =>
              done(
                r.stats.reduce<Served>(
                  (sum, x) => ({ legacy: sum.legacy + x.requests.legacy, service: sum.service + x.requests.service, shadow: sum.shadow + x.requests.shadow }),
                  { legacy: 0, service: 0, shadow: 0 },
                ),
              ),
            );
            child.send({ cmd: 'stats' });
          }),
      });
    });
  });
}


/** The load generator in its own process, so it never competes with a server for an event loop. */
function load(url: string, o: Options, seconds: number, rate?: number): Promise<LoadResult> {
  const args = [...process.execArgv, LOAD, url, String(o.connections), String(seconds), ...(rate ? [String(rate)] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`autocannon exited with ${code}: ${err.slice(0, 500)}`));
      }
    });
  });
}

function facadeConfig(legacy: number, service: number, shadow: boolean): string {
  return JSON.stringify({
    listen: { host: '127.0.0.1', port: 0 },
    legacy: `http://127.0.0.1:${legacy}`,
    services: { catalog: `http://127.0.0.1:${service}` },
    routes: [
      { name: 'catalog', match: { prefix: '/' }, service: 'catalog', weight: 50, ...(shadow ? { shadow: { service: 'catalog', percent: 100 } } : {}) },
    ],
    admin: { enabled: false },
    sticky: { keys: [{ header: 'x-user-id' }] },
  });
}

function share(rs: Run[]): { serviceShare?: number; mirroredShare?: number } {
  const served = rs.map((r) => r.served).filter((x): x is Served => x !== undefined);
  if (served.length === 0) return {};
  const t = served.reduce((a, b) => ({ legacy: a.legacy + b.legacy, service: a.service + b.service, shadow: a.shadow + b.shadow }));
  return { serviceShare: t.service / Math.max(1, t.legacy + t.service), mirroredShare: t.shadow / Math.max(1, t.legacy) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Summary {
  mode: Mode;
  rps: number;
  p50: number;
  p99: number;
  rpsVsDirect: number;
  p50VsDirect: number;
  p99VsDirect: number;
  cpuMicrosPerRequest?: number;
  failed: number;
  /** Share of requests the facade sent to the service (weight 50 → about 0.5). */
  serviceShare?: number;
  /** Share of legacy-served requests mirrored to the shadow service. */
  mirroredShare?: number;
}

const pct = (x: number | undefined): string => (x === undefined ? '?' : `${(x * 100).toFixed(1)} %`);

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const children: ChildProcess[] = [];
  const cleanup = (): void => children.forEach((c) => c.kill('SIGTERM'));
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const upstream = await startServer('upstream');
    children.push(upstream.child);
    const [legacy, service] = upstream.ports;
    const servers: Record<'facade' | 'http-proxy' | 'facade-shadow', Server> = {
      facade: await startServer('facade', facadeConfig(legacy, service, false)),
      'http-proxy': await startServer('http-proxy', `http://127.0.0.1:${legacy}`),
      'facade-shadow': await startServer('facade', facadeConfig(legacy, service, true)),
    };
    for (const s of Object.values(servers)) children.push(s.child);
    const serverOf = (m: Mode): Server | undefined => (m === 'direct' ? undefined : servers[SERVER_OF[m]]);
    const url = (m: Mode): string => `http://127.0.0.1:${serverOf(m)?.ports[0] ?? legacy}/api/products/42`;
    const rateOf = (m: Mode): number | undefined => (m.endsWith('@rate') ? o.rate : undefined);

    const log = (s: string): void => {
      if (!o.json) process.stderr.write(s);
    };
    const loadBefore = os.loadavg()[0];
    log(`warming up (1 s per mode)…\n`);
    for (const m of MODES) if (!m.endsWith('@rate')) await load(url(m), o, 1);

    const runs: Run[] = [];
    for (let round = 0; round < o.rounds; round++) {
      // rotate the order each round so no mode always runs first (or on a warmer machine)
      const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]);
      for (const mode of order) {
        const server = serverOf(mode);
        const isFacade = mode !== 'direct' && mode !== 'http-proxy';
        const before = isFacade ? await server?.served() : undefined;
        await server?.cpu('cpu-start');
        const r = await load(url(mode), o, o.duration, rateOf(mode));
        const cpu = server ? await server.cpu('cpu-stop') : undefined;
        const after = isFacade ? await server?.served() : undefined;
        const run: Run = {
          mode,
          round,
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          requests: r.requests.total,
          errors: r.errors + r.timeouts,
          non2xx: r.non2xx,
          cpuMicrosPerRequest: cpu !== undefined && r.requests.total > 0 ? cpu / r.requests.total : undefined,
          served: before && after ? { legacy: after.legacy - before.legacy, service: after.service - before.service, shadow: after.shadow - before.shadow } : undefined,
        };
        runs.push(run);
        log(`round ${round + 1}/${o.rounds} ${LABEL[mode].padEnd(18)} ${run.rps.toFixed(0).padStart(7)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms\n`);
      }
    }

    const of = (m: Mode): Run[] => runs.filter((r) => r.mode === m);
    const direct = { rps: median(of('direct').map((r) => r.rps)), p50: median(of('direct').map((r) => r.p50)), p99: median(of('direct').map((r) => r.p99)) };
    const summaries: Summary[] = MODES.map((mode) => {
      const rs = of(mode);
      const rps = median(rs.map((r) => r.rps));
      const p50 = median(rs.map((r) => r.p50));
      const p99 = median(rs.map((r) => r.p99));
      const cpus = rs.map((r) => r.cpuMicrosPerRequest).filter((x): x is number => x !== undefined);
      return {
        mode,
        rps,
        p50,
        p99,
        rpsVsDirect: rps / direct.rps,
        p50VsDirect: p50 / direct.p50,
        p99VsDirect: p99 / direct.p99,
        cpuMicrosPerRequest: cpus.length ? median(cpus) : undefined,
        failed: rs.reduce((n, r) => n + r.errors + r.non2xx, 0),
        ...share(rs),
      };
    });
    const s = (m: Mode): Summary => summaries.find((x) => x.mode === m) as Summary;
    const verdicts = [
      { target: 'facade throughput >= 0.30x direct', value: `${s('facade').rpsVsDirect.toFixed(2)}x`, pass: s('facade').rpsVsDirect >= 0.3 },
      { target: 'facade throughput >= 1.5x bare http-proxy', value: `${(s('facade').rps / s('http-proxy').rps).toFixed(2)}x`, pass: s('facade').rps / s('http-proxy').rps >= 1.5 },
      { target: `facade p99 < 30 ms at ${o.connections} connections`, value: `${s('facade').p99} ms`, pass: s('facade').p99 < 30 },
      {
        target: `shadowing adds <= 1 ms to p99 (at ${o.rate} req/s)`,
        value: `${(s('facade-shadow@rate').p99 - s('facade@rate').p99).toFixed(1)} ms, ${pct(s('facade-shadow@rate').mirroredShare)} mirrored`,
        pass: s('facade-shadow@rate').p99 - s('facade@rate').p99 <= 1,
      },
      { target: 'no failed requests', value: String(summaries.reduce((n, x) => n + x.failed, 0)), pass: summaries.every((x) => x.failed === 0) },
    ];

    const result = {
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, platform: `${os.platform()} ${os.release()}`, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg()[0] },
      options: { rounds: o.rounds, durationSeconds: o.duration, connections: o.connections },
      summaries,
      verdicts,
      runs,
    };
    const dir = path.resolve(__dirname, '..', '..', ...(path.basename(path.resolve(__dirname, '..', '..')) === 'dist' ? ['..'] : []), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const out = path.join(dir, `facade-${result.date.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`);
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);

    if (o.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const lines = [
        '',
        `strangler facade benchmark: ${o.connections} connections, ${o.duration} s per run, ${o.rounds} interleaved rounds (medians), node ${process.version}, ${os.cpus().length} CPUs`,
        `${'mode'.padEnd(20)}${'req/s'.padStart(9)}${'x direct'.padStart(10)}${'p50 ms'.padStart(9)}${'x direct'.padStart(10)}${'p99 ms'.padStart(9)}${'x direct'.padStart(10)}${'CPU us/req'.padStart(12)}`,
        ...summaries.map(
          (x) =>
            `${LABEL[x.mode].padEnd(20)}${x.rps.toFixed(0).padStart(9)}${x.rpsVsDirect.toFixed(2).padStart(10)}${x.p50.toFixed(1).padStart(9)}${x.p50VsDirect.toFixed(2).padStart(10)}${x.p99.toFixed(1).padStart(9)}${x.p99VsDirect.toFixed(2).padStart(10)}${(x.cpuMicrosPerRequest === undefined ? '-' : x.cpuMicrosPerRequest.toFixed(0)).padStart(12)}`,
        ),
        '',
        `facade sent ${pct(s('facade').serviceShare)} of requests to the service (weight 50). Legacy-served requests mirrored with shadowing on:`,
        `${pct(s('facade-shadow').mirroredShare)} at saturation (the facade sheds mirroring while its event loop is > 80 % busy), ${pct(s('facade-shadow@rate').mirroredShare)} at ${o.rate} req/s.`,
        ...(Math.max(loadBefore, os.loadavg()[0]) > os.cpus().length / 2
          ? [`WARNING: the machine was busy (1-min load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after, ${os.cpus().length} CPUs): latencies are inflated by other processes.`]
          : []),
        '',
        ...verdicts.map((v) => `${v.pass ? 'PASS' : 'FAIL'}  ${v.target}: ${v.value}`),
        '',
        `results: ${path.relative(process.cwd(), out)}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return o.strict && verdicts.some((v) => !v.pass) ? 1 : 0;
  } finally {
    cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench/facade: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
