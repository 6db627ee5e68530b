/**
 * Facade benchmark: direct vs strangler facade vs bare http-proxy vs nginx running the nginx
 * export of the same routes (the same sticky split) vs facade with shadowing, on loopback,
 * interleaved rounds, autocannon in its own process, each server in its own process.
 *
 *   npm run build && node dist/bench/facade/run.js [--rounds 3] [--duration 5] [--connections 50] [--rate 1000] [--only saturation,rate,big] [--no-pin] [--node-defaults] [--json] [--strict]
 *
 * `--only` runs some of the three groups (saturating throughput, shadowing at a fixed rate, mirroring
 * 1 MiB answers at a fixed rate) and judges only their targets: a quick check of one figure.
 *
 * Prints req/s, p50 and p99 relative to direct, CPU per request of the proxy, the upstream and the
 * load generator, and verdicts against the targets; writes bench/results/facade-<date>.json.
 *
 * CPU placement (Linux, `taskset`, on by default): three busy processes (load, proxy, upstream)
 * share the machine, so unpinned throughput partly measures who the scheduler favours. Each run
 * gets the whole machine in the same layout: the proxy under test alone on CPU 1, the upstream and
 * the load generator on CPU 0 (direct runs: upstream on CPU 0, load on CPU 1; idle proxies on
 * CPU 0). Throughput through a proxy is then capped by whichever core saturates first, which is why
 * the proxy comparison is judged on CPU per request (requests per second per proxy core) and the
 * table says which side was the bottleneck.
 *
 * The facade processes run with FACADE_NODE_OPTIONS (facade/node-options.ts), as the project
 * deploys them; `--node-defaults` runs them with Node's defaults instead.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportConfig } from '../../export/index';
import { freePort, startNginx } from '../../export/nginx-process';
import { FacadeConfigSchema } from '../../facade/config/schema';
import { FACADE_NODE_OPTIONS } from '../../facade/node-options';
import type { LoadResult } from './load';

/**
 * Saturating runs (as fast as 50 connections go) compare throughput; the two `@rate` modes send a
 * fixed request rate below saturation, where the facade does not shed mirroring, to measure what
 * shadowing costs in latency. They run as one load alternating between the two facades every
 * 200 ms, so both see the same machine; the verdict is the median over rounds of the difference.
 * Every other round the two facade processes swap roles (see `swapRoles`), for every facade mode.
 */
type Mode = 'direct' | 'facade' | 'http-proxy' | 'nginx' | 'facade-shadow' | 'facade@rate' | 'facade-shadow@rate' | 'facade@big' | 'facade-shadow@big';
const MODES: Mode[] = ['direct', 'facade', 'http-proxy', 'nginx', 'facade-shadow', 'facade@rate', 'facade-shadow@rate', 'facade@big', 'facade-shadow@big'];
const LABEL: Record<Mode, string> = {
  direct: 'direct (upstream)',
  facade: 'strangler facade',
  'http-proxy': 'bare http-proxy',
  nginx: 'nginx (export)',
  'facade-shadow': 'facade + shadow',
  'facade@rate': 'facade @rate',
  'facade-shadow@rate': 'facade+shadow @rate',
  'facade@big': 'facade @rate+1MiB',
  'facade-shadow@big': 'f+shadow @rate+1MiB',
};
type ServerName = 'facade' | 'http-proxy' | 'nginx' | 'facade-shadow';
const SERVER_OF: Record<Exclude<Mode, 'direct'>, ServerName> = {
  facade: 'facade',
  'http-proxy': 'http-proxy',
  nginx: 'nginx',
  'facade-shadow': 'facade-shadow',
  'facade@rate': 'facade',
  'facade-shadow@rate': 'facade-shadow',
  'facade@big': 'facade',
  'facade-shadow@big': 'facade-shadow',
};
/** Fixed-rate pairs: each runs as one load alternating between its two modes (the second is skipped as a step). */
const PAIRS: Partial<Record<Mode, Mode>> = { 'facade@rate': 'facade-shadow@rate', 'facade@big': 'facade-shadow@big' };
const isRate = (m: Mode): boolean => m.includes('@');
type Group = 'saturation' | 'rate' | 'big';
const GROUPS: Group[] = ['saturation', 'rate', 'big'];
const groupOf = (m: Mode): Group => (m.endsWith('@big') ? 'big' : m.endsWith('@rate') ? 'rate' : 'saturation');
/**
 * The `@big` pair sends, besides the measured user requests, GET /api/big (1 MiB of JSON, about
 * 100 KB gzip-compressed) at `--big-rate`, unmeasured: with shadowing on, each is mirrored and its
 * body compared (the same JSON, compressed at different levels by legacy and the service, so
 * decoded on the comparison worker; BENCH_BIG_DIFFERS=1 makes them differ in an ignored field, so
 * also parsed and diffed), and the user path's p99 shows what that costs.
 */
const BIG_PATH = '/api/big';

interface Options {
  rounds: number;
  duration: number;
  connections: number;
  /** Requests per second (all connections together) for the `@rate` runs. */
  rate: number;
  /** Requests per second of the 1 MiB side traffic in the `@big` runs. */
  bigRate: number;
  /** Pin processes to CPUs (see the header comment). */
  pin: boolean;
  json: boolean;
  strict: boolean;
  /** Run the facade processes with Node's default options instead of FACADE_NODE_OPTIONS. */
  nodeDefaults: boolean;
  /** The groups of modes to run (all by default). */
  only: Group[];
}

/** `big.compared`: mirrors judged; `big.bodySkipped`: of those, judged on status and headers only because the comparer's queue was full. */
type Served = { legacy: number; service: number; shadow: number; big: { legacy: number; shadow: number; compared: number; bodySkipped: number }; majorGcs: number };

interface Run {
  mode: Mode;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** The proxy's CPU per request (µs). */
  cpuMicrosPerRequest?: number;
  /** Share of one core the proxy used during the run (0..1): near 1 means the proxy was the bottleneck. */
  proxyCoreUse?: number;
  upstreamMicrosPerRequest?: number;
  loadMicrosPerRequest?: number;
  /** Share of one core the upstream and the load generator used together (on one CPU when pinned). */
  otherCoreUse?: number;
  /** Facade modes: where the run's requests went, from the facade's own counters. */
  served?: Served;
  /** Share of the CPUs' time the hypervisor gave to other guests during the run (steal, /proc/stat); undefined off Linux. */
  stolenShare?: number;
}

/**
 * CPU seconds stolen from this machine by its hypervisor so far (the steal column of /proc/stat,
 * in USER_HZ ticks of 1/100 s on Linux). On a shared host these bursts inflate both sides of a
 * pair, one more than the other when they last a few hundred ms, so the runs say how much there was.
 */
function stolenSeconds(): number | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    return Number(cpu[8]) / 100;
  } catch {
    return undefined;
  }
}

const NO_BIG = { legacy: 0, shadow: 0, compared: 0, bodySkipped: 0 };

function parseArgs(argv: string[]): Options {
  const o: Options = { rounds: 3, duration: 5, connections: 50, rate: 1000, bigRate: 100, pin: canPin(), json: false, strict: false, nodeDefaults: false, only: GROUPS };
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
    else if (a === '--big-rate') o.bigRate = num();
    else if (a === '--no-pin') o.pin = false;
    else if (a === '--json') o.json = true;
    else if (a === '--strict') o.strict = true;
    else if (a === '--node-defaults') o.nodeDefaults = true;
    else if (a === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = names.filter((n) => !GROUPS.includes(n as Group));
      if (names.length === 0 || unknown.length > 0) throw new Error(`--only: expected some of ${GROUPS.join(',')}, got "${argv[i] ?? ''}"`);
      o.only = names as Group[];
    } else throw new Error(`unknown option ${a} (options: --rounds N, --duration S, --connections N, --rate N, --big-rate N, --only ${GROUPS.join(',')}, --no-pin, --node-defaults, --json, --strict)`);
  }
  return o;
}

function canPin(): boolean {
  if (os.platform() !== 'linux' || os.cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Moves a process, all its threads included (libuv pool, GC), onto one CPU. */
function pin(pid: number | undefined, cpu: number): void {
  if (pid !== undefined) execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

// Children run the same flavour of this file: .js when built, .ts under tsx (execArgv carries the loader).
const SERVERS = path.join(__dirname, `servers${path.extname(__filename)}`);
const LOAD = path.join(__dirname, `load${path.extname(__filename)}`);

interface Server {
  pid: number | undefined;
  ports: number[];
  cpu(cmd: 'cpu-start' | 'cpu-stop'): Promise<number>;
  served(): Promise<Served>;
  /** Facades: swap in another config (hot reload). */
  apply(configJson: string): Promise<void>;
  stop(): Promise<void>;
}

/** Facade processes run with the Node options the project deploys them with (facade/node-options.ts), unless `--node-defaults`. */
function startServer(kind: string, arg?: string, nodeOptions: string[] = []): Promise<Server> {
  const child = fork(SERVERS, arg === undefined ? [kind] : [kind, arg], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...nodeOptions] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before it was ready`)));
    child.once('message', (m: { ready?: boolean; ports: number[] }) => {
      if (!m.ready) return;
      resolve({
        pid: child.pid,
        stop: async () => void child.kill('SIGTERM'),
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
        apply: (config) =>
          new Promise((done) => {
            child.once('message', () => done());
            child.send({ cmd: 'apply', config });
          }),
        served: () =>
          new Promise((done) => {
            child.once('message', (r: { stats: Array<{ name: string; requests: Omit<Served, 'big' | 'majorGcs'>; shadowCompared: number }>; majorGcs: { count: number }; bigBodiesSkipped: number }) => {
              const big = r.stats.find((x) => x.name === 'big');
              done(
                r.stats.reduce<Served>(
                  (sum, x) => ({ ...sum, legacy: sum.legacy + x.requests.legacy, service: sum.service + x.requests.service, shadow: sum.shadow + x.requests.shadow }),
                  { legacy: 0, service: 0, shadow: 0, big: big ? { legacy: big.requests.legacy, shadow: big.requests.shadow, compared: big.shadowCompared, bodySkipped: r.bigBodiesSkipped } : NO_BIG, majorGcs: r.majorGcs.count },
                ),
              );
            });
            child.send({ cmd: 'stats' });
          }),
      });
    });
  });
}


/** The load generator in its own process, so it never competes with a server for an event loop. */
function load(url: string, o: Options, seconds: number, rate?: number, cpu?: number): Promise<LoadResult>;
/** Several urls (fixed rate only): alternated in short slices, one result each; `side`: unmeasured traffic along (`<path>@<rate>`). */
function load(url: string[], o: Options, seconds: number, rate: number, cpu?: number, side?: string): Promise<LoadResult[]>;
function load(url: string | string[], o: Options, seconds: number, rate?: number, cpu?: number, side?: string): Promise<LoadResult | LoadResult[]> {
  const args = [...process.execArgv, LOAD, Array.isArray(url) ? url.join(',') : url, String(o.connections), String(seconds), ...(rate ? [String(rate)] : []), ...(side ? [side] : [])];
  return new Promise((resolve, reject) => {
    const child =
      cpu === undefined
        ? spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn('taskset', ['-c', String(cpu), process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out) as LoadResult | LoadResult[]);
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
      // the 1 MiB answers stay on legacy (weight 0) and, with shadowing, are all mirrored and compared
      { name: 'big', match: { prefix: BIG_PATH }, service: 'catalog', weight: 0, ...(shadow ? { shadow: { percent: 100, compare: { maxBodyBytes: 2 * 1024 * 1024, ignore: ['$.servedBy'] } } } : {}) },
      { name: 'catalog', match: { prefix: '/' }, service: 'catalog', weight: 50, ...(shadow ? { shadow: { service: 'catalog', percent: 100 } } : {}) },
    ],
    admin: { enabled: false },
    sticky: { keys: [{ header: 'x-user-id' }] },
  });
}

let ticks = 0;
/** CPU time (user + system, µs) of a process we did not fork: /proc/<pid>/stat counts it in clock ticks. */
function procCpuMicros(pid: number): number {
  ticks ||= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticks;
}

/**
 * nginx as many would put it in front of the monolith instead of the facade: the facade config's
 * own nginx export (same routes, the same sticky weighted split on x-user-id), one process, no
 * access log (the facade logs no request either).
 */
async function nginxPeer(legacy: number, service: number, log: (s: string) => void): Promise<Server> {
  const port = await freePort();
  const config = FacadeConfigSchema.parse({ ...JSON.parse(facadeConfig(legacy, service, false)), listen: { host: '127.0.0.1', port } });
  const out = exportConfig({ config, source: 'the bench facade config' }, 'nginx');
  log(`nginx runs the nginx export of the facade's config (${out.notes.length} thing(s) it does differently, none on this load's path: ${out.notes.map((n) => n.message.split(':')[0]).join('; ')})\n`);
  const n = await startNginx(out.text, port, { accessLog: false });
  let start = 0;
  return {
    pid: n.pid,
    ports: [port],
    cpu: async (cmd) => {
      const now = procCpuMicros(n.pid!);
      if (cmd === 'cpu-start') start = now;
      return now - start;
    },
    served: () => Promise.reject(new Error('nginx keeps no counters')),
    apply: () => Promise.reject(new Error('not a facade')),
    stop: () => n.stop(),
  };
}

function share(rs: Run[]): { serviceShare?: number; mirroredShare?: number; bigMirrored?: number; bigCompared?: number; bigBodiesCompared?: number } {
  const served = rs.map((r) => r.served).filter((x): x is Served => x !== undefined);
  if (served.length === 0) return {};
  const t = served.reduce((a, b) => ({
    legacy: a.legacy + b.legacy,
    service: a.service + b.service,
    shadow: a.shadow + b.shadow,
    big: { legacy: a.big.legacy + b.big.legacy, shadow: a.big.shadow + b.big.shadow, compared: a.big.compared + b.big.compared, bodySkipped: a.big.bodySkipped + b.big.bodySkipped },
    majorGcs: a.majorGcs + b.majorGcs,
  }));
  return {
    serviceShare: t.service / Math.max(1, t.legacy + t.service),
    mirroredShare: t.shadow / Math.max(1, t.legacy),
    ...(t.big.legacy > 0
      ? {
          bigMirrored: t.big.shadow / t.big.legacy,
          bigCompared: t.big.compared / Math.max(1, t.big.shadow),
          bigBodiesCompared: (t.big.compared - t.big.bodySkipped) / Math.max(1, t.big.compared),
        }
      : {}),
  };
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
  /** The proxy's CPU per request (µs). */
  cpuMicrosPerRequest?: number;
  proxyCoreUse?: number;
  upstreamMicrosPerRequest?: number;
  loadMicrosPerRequest?: number;
  /** What limited the run's throughput: the proxy's core, the core the upstream and load share, the fixed rate. */
  boundBy: string;
  failed: number;
  /** Share of requests the facade sent to the service (weight 50 → about 0.5). */
  serviceShare?: number;
  /** Share of legacy-served requests mirrored to the shadow service. */
  mirroredShare?: number;
  /** `@big` runs: share of the 1 MiB requests mirrored, of those judged, and of those judged with their bodies (not only status and headers). */
  bigMirrored?: number;
  bigCompared?: number;
  bigBodiesCompared?: number;
}

const pct = (x: number | undefined): string => (x === undefined ? '?' : `${(x * 100).toFixed(1)} %`);

/**
 * A core more than 85 % busy is taken as the limit (the rest is scheduling and IPC slack). Neither
 * core that busy means other processes on the machine took the difference.
 */
function boundBy(mode: Mode, pinned: boolean, proxyCoreUse: number | undefined, otherCoreUse: number | undefined): string {
  if (isRate(mode)) return 'rate';
  if (mode === 'direct') return 'upstream/load';
  if (!pinned) return 'unknown (not pinned)';
  const p = (proxyCoreUse ?? 0) >= 0.85;
  const other = (otherCoreUse ?? 0) >= 0.85;
  return p && other ? 'both cores' : p ? 'proxy core' : other ? 'upstream+load core' : 'neither (other jobs)';
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const children: Server[] = [];
  const cleanup = (): Promise<unknown> => Promise.all(children.map((c) => c.stop().catch(() => undefined)));
  process.on('SIGINT', () => {
    void cleanup().finally(() => process.exit(130));
  });
  try {
    const log = (s: string): void => {
      if (!o.json) process.stderr.write(s);
    };
    const upstream = await startServer('upstream');
    const facadeOptions = o.nodeDefaults ? [] : [FACADE_NODE_OPTIONS];
    children.push(upstream);
    const [legacy, service] = upstream.ports;
    const servers: Record<ServerName, Server> = {
      facade: await startServer('facade', facadeConfig(legacy, service, false), facadeOptions),
      'http-proxy': await startServer('http-proxy', `http://127.0.0.1:${legacy}`),
      nginx: await nginxPeer(legacy, service, log),
      'facade-shadow': await startServer('facade', facadeConfig(legacy, service, true), facadeOptions),
    };
    children.push(...Object.values(servers));
    // Two facade processes of the same code differ: with shadowing off in both, the second one's p99
    // measured 0.4-0.5 ms worse in either slot of the alternation. So the two processes swap roles
    // every other round (hot reload of the two configs): each facade mode's median, and the pairs'
    // median of per-round differences, see both processes.
    let swapped = false;
    const other: Partial<Record<ServerName, ServerName>> = { facade: 'facade-shadow', 'facade-shadow': 'facade' };
    const serverOf = (m: Mode): Server | undefined => {
      if (m === 'direct') return undefined;
      const name = SERVER_OF[m];
      return servers[swapped ? (other[name] ?? name) : name];
    };
    const swapRoles = async (to: boolean): Promise<void> => {
      if (to === swapped) return;
      swapped = to;
      await serverOf('facade@rate')?.apply(facadeConfig(legacy, service, false));
      await serverOf('facade-shadow@rate')?.apply(facadeConfig(legacy, service, true));
    };
    const url = (m: Mode): string => `http://127.0.0.1:${serverOf(m)?.ports[0] ?? legacy}/api/products/42`;
    const rateOf = (m: Mode): number | undefined => (isRate(m) ? o.rate : undefined);
    // the 1 MiB side traffic of the `@big` pair (load.ts), unmeasured
    const sideOf = (m: Mode): string | undefined => (m === 'facade@big' ? `${BIG_PATH}@${o.bigRate}` : undefined);

    const modesRun = MODES.filter((m) => o.only.includes(groupOf(m)));
    const loadBefore = os.loadavg()[0];
    // The layout of the header comment: the proxy under test alone on CPU 1.
    const place = (modes: Mode[]): number | undefined => {
      if (!o.pin) return undefined;
      const under = new Set(modes.map(serverOf));
      pin(upstream.pid, 0);
      for (const sv of Object.values(servers)) pin(sv.pid, under.has(sv) ? 1 : 0);
      return modes[0] === 'direct' ? 1 : 0; // the load generator's CPU
    };
    // The fixed-rate pair runs four times as long (each mode gets half): a p99 that resolves 1 ms needs many samples.
    const secondsOf = (m: Mode): number => (isRate(m) ? Math.min(4 * o.duration, 60) : o.duration);
    log(`warming up (1 s per mode, 3 s per fixed-rate pair)${o.pin ? ', pinned: proxy on CPU 1, upstream + load on CPU 0' : ', not pinned'}; facades run with ${o.nodeDefaults ? "Node's default options" : `NODE_OPTIONS=${FACADE_NODE_OPTIONS}`}…\n`);
    for (const m of MODES) if (!isRate(m)) await load(url(m), o, 1, undefined, place([m]));
    // The pairs too: their first round had paid for starting the shadow threads (and JIT), 100-490 ms at p99.
    for (const [a, b] of Object.entries(PAIRS) as Array<[Mode, Mode]>) {
      if (o.only.includes(groupOf(a))) await load([url(a), url(b)], o, 3, o.rate, place([a, b]), sideOf(a));
    }

    const runs: Run[] = [];
    for (let round = 0; round < o.rounds; round++) {
      // rotate the order each round so no mode always runs first (or on a warmer machine)
      const order = modesRun.map((_, i) => modesRun[(i + round) % modesRun.length]);
      for (const step of order) {
        // The two fixed-rate modes run together, alternating every 200 ms (see load.ts): outside
        // load on a shared machine then hits both alike, and the shadow's cost stands out.
        if (Object.values(PAIRS).includes(step)) continue;
        const pair = PAIRS[step];
        const modes: Mode[] = pair ? [step, pair] : [step];
        await swapRoles(round % 2 === 1);
        const loadCpu = place(modes);
        const seconds = secondsOf(step);
        const isFacade = (m: Mode): boolean => m !== 'direct' && m !== 'http-proxy' && m !== 'nginx';
        const before = await Promise.all(modes.map((m) => (isFacade(m) ? serverOf(m)?.served() : undefined)));
        for (const m of modes) await serverOf(m)?.cpu('cpu-start');
        await upstream.cpu('cpu-start');
        const stolenBefore = stolenSeconds();
        const results =
          modes.length === 1 ? [await load(url(step), o, seconds, rateOf(step), loadCpu)] : await load(modes.map(url), o, seconds, o.rate, loadCpu, sideOf(step));
        const cpus = await Promise.all(modes.map((m) => serverOf(m)?.cpu('cpu-stop')));
        const upCpu = (await upstream.cpu('cpu-stop')) / modes.length;
        const stolenAfter = stolenSeconds();
        const stolenShare = stolenBefore === undefined || stolenAfter === undefined ? undefined : (stolenAfter - stolenBefore) / (seconds * os.cpus().length);
        const after = await Promise.all(modes.map((m) => (isFacade(m) ? serverOf(m)?.served() : undefined)));
        modes.forEach((mode, i) => {
          const r = results[i];
          const cpu = cpus[i];
          const b = before[i];
          const a = after[i];
          const n = r.requests.total;
          const run: Run = {
            mode,
            round,
            rps: r.requests.average,
            p50: r.latency.p50,
            p99: r.latency.p99,
            requests: n,
            errors: r.errors + r.timeouts,
            non2xx: r.non2xx,
            cpuMicrosPerRequest: cpu !== undefined && n > 0 ? cpu / n : undefined,
            proxyCoreUse: cpu !== undefined ? cpu / (seconds * 1e6) : undefined,
            upstreamMicrosPerRequest: n > 0 ? upCpu / n : undefined,
            loadMicrosPerRequest: r.cpuMicros !== undefined && n > 0 ? r.cpuMicros / n : undefined,
            otherCoreUse: (upCpu + (r.cpuMicros ?? 0)) / (seconds * 1e6),
            served:
              b && a
                ? {
                    legacy: a.legacy - b.legacy,
                    service: a.service - b.service,
                    shadow: a.shadow - b.shadow,
                    big: {
                      legacy: a.big.legacy - b.big.legacy,
                      shadow: a.big.shadow - b.big.shadow,
                      compared: a.big.compared - b.big.compared,
                      bodySkipped: a.big.bodySkipped - b.big.bodySkipped,
                    },
                    majorGcs: a.majorGcs - b.majorGcs,
                  }
                : undefined,
            stolenShare,
          };
          runs.push(run);
          log(
            `round ${round + 1}/${o.rounds} ${LABEL[mode].padEnd(19)} ${run.rps.toFixed(0).padStart(7)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms` +
              `${run.cpuMicrosPerRequest === undefined ? '' : `  proxy ${run.cpuMicrosPerRequest.toFixed(1)} us/req (${pct(run.proxyCoreUse)} of a core)`}` +
              `${run.served && isRate(mode) ? `  full GCs ${run.served.majorGcs}` : ''}` +
              `${run.stolenShare === undefined ? '' : `  host steal ${pct(run.stolenShare)}`}\n`,
          );
        });
      }
    }

    const of = (m: Mode): Run[] => runs.filter((r) => r.mode === m);
    const med = (rs: Run[], f: (r: Run) => number | undefined): number | undefined => {
      const xs = rs.map(f).filter((x): x is number => x !== undefined);
      return xs.length ? median(xs) : undefined;
    };
    const direct = { rps: median(of('direct').map((r) => r.rps)), p50: median(of('direct').map((r) => r.p50)), p99: median(of('direct').map((r) => r.p99)) };
    const summaries: Summary[] = modesRun.map((mode) => {
      const rs = of(mode);
      const rps = median(rs.map((r) => r.rps));
      const p50 = median(rs.map((r) => r.p50));
      const p99 = median(rs.map((r) => r.p99));
      const proxyCoreUse = med(rs, (r) => r.proxyCoreUse);
      const otherCoreUse = med(rs, (r) => r.otherCoreUse);
      return {
        mode,
        rps,
        p50,
        p99,
        rpsVsDirect: rps / direct.rps,
        p50VsDirect: p50 / direct.p50,
        p99VsDirect: p99 / direct.p99,
        cpuMicrosPerRequest: med(rs, (r) => r.cpuMicrosPerRequest),
        proxyCoreUse,
        upstreamMicrosPerRequest: med(rs, (r) => r.upstreamMicrosPerRequest),
        loadMicrosPerRequest: med(rs, (r) => r.loadMicrosPerRequest),
        boundBy: boundBy(mode, o.pin, proxyCoreUse, otherCoreUse),
        failed: rs.reduce((n, r) => n + r.errors + r.non2xx, 0),
        ...share(rs),
      };
    });
    const ran = (g: Group): boolean => o.only.includes(g);
    // A mode that did not run (`--only`) reads as NaN; its verdicts and lines are left out below.
    const s = (m: Mode): Summary =>
      summaries.find((x) => x.mode === m) ?? { mode: m, rps: NaN, p50: NaN, p99: NaN, rpsVsDirect: NaN, p50VsDirect: NaN, p99VsDirect: NaN, boundBy: '-', failed: 0 };
    const f = s('facade');
    const hp = s('http-proxy');
    // Requests per second one proxy core sustains: the proxy's own speed, whatever else saturated.
    const perCore = f.cpuMicrosPerRequest !== undefined && hp.cpuMicrosPerRequest !== undefined ? hp.cpuMicrosPerRequest / f.cpuMicrosPerRequest : NaN;
    // Against nginx there is no target: the figure says what the facade's features cost per request against a C proxy doing the same split.
    const ng = s('nginx');
    const vsNginx = f.cpuMicrosPerRequest !== undefined && ng.cpuMicrosPerRequest !== undefined ? ng.cpuMicrosPerRequest / f.cpuMicrosPerRequest : NaN;
    const nginxPeerLine =
      `facade vs nginx running the nginx export of the same routes and sticky split, per proxy core: ${vsNginx.toFixed(2)}x ` +
      `(nginx ${ng.cpuMicrosPerRequest?.toFixed(1)} vs facade ${f.cpuMicrosPerRequest?.toFixed(1)} us/req; facade needs ${(1 / vsNginx).toFixed(1)}x nginx's CPU per request); ` +
      `measured throughput ${(f.rps / ng.rps).toFixed(2)}x (nginx bound by ${ng.boundBy})`;
    // Shadow cost: per round, the shadow run against the no-shadow run next to it; median over rounds.
    const deltasOf = (without: Mode, withShadow: Mode): number[] =>
      Array.from({ length: o.rounds }, (_, round) => {
        const a = runs.find((r) => r.round === round && r.mode === without);
        const b = runs.find((r) => r.round === round && r.mode === withShadow);
        return a && b ? b.p99 - a.p99 : NaN;
      }).filter((x) => Number.isFinite(x));
    const deltas = deltasOf('facade@rate', 'facade-shadow@rate');
    const shadowDelta = deltas.length ? median(deltas) : NaN;
    const noShadowP99s = of('facade@rate').map((r) => r.p99);
    const bigDeltas = deltasOf('facade@big', 'facade-shadow@big');
    const bigDelta = bigDeltas.length ? median(bigDeltas) : NaN;
    const bigP99s = of('facade@big').map((r) => r.p99);
    const big = s('facade-shadow@big');
    const targets: Array<{ group: Group | 'any'; target: string; value: string; pass: boolean }> = [
      { group: 'saturation', target: 'facade throughput >= 0.30x direct', value: `${f.rpsVsDirect.toFixed(2)}x`, pass: f.rpsVsDirect >= 0.3 },
      {
        group: 'saturation',
        target: 'facade >= 1.5x bare http-proxy, per proxy core (1 / CPU per request)',
        value:
          `${perCore.toFixed(2)}x (${hp.cpuMicrosPerRequest?.toFixed(1)} vs ${f.cpuMicrosPerRequest?.toFixed(1)} us/req); ` +
          `measured throughput ${(f.rps / hp.rps).toFixed(2)}x (facade bound by ${f.boundBy}, http-proxy by ${hp.boundBy})`,
        pass: perCore >= 1.5,
      },
      { group: 'saturation', target: `facade p99 < 30 ms at ${o.connections} connections`, value: `${f.p99} ms`, pass: f.p99 < 30 },
      {
        group: 'rate',
        target: `shadowing adds <= 1 ms to p99 (at ${o.rate} req/s, ${secondsOf('facade@rate')} s runs)`,
        value:
          `${shadowDelta.toFixed(2)} ms (median of per-round differences ${deltas.map((d) => d.toFixed(2)).join(', ')}; ` +
          `p99 without shadow ${Math.min(...noShadowP99s).toFixed(2)}-${Math.max(...noShadowP99s).toFixed(2)} ms across rounds), ${pct(s('facade-shadow@rate').mirroredShare)} mirrored`,
        pass: shadowDelta <= 1,
      },
      {
        group: 'big',
        target: `mirroring a 1 MiB gzip JSON at ${o.bigRate} req/s adds <= 1 ms to the user path's p99 (${o.rate} req/s)`,
        value:
          `${bigDelta.toFixed(2)} ms (median of per-round differences ${bigDeltas.map((d) => d.toFixed(2)).join(', ')}; ` +
          `p99 without shadow ${Math.min(...bigP99s).toFixed(2)}-${Math.max(...bigP99s).toFixed(2)} ms), ${pct(big.bigMirrored)} of the 1 MiB answers mirrored, ${pct(big.bigCompared)} of those judged, ${pct(big.bigBodiesCompared)} of those with their bodies compared`,
        pass: bigDelta <= 1,
      },
      { group: 'any', target: 'no failed requests', value: String(summaries.reduce((n, x) => n + x.failed, 0)), pass: summaries.every((x) => x.failed === 0) },
    ];
    const verdicts = targets.filter((v) => v.group === 'any' || ran(v.group));

    const stolenRuns = runs.filter((r) => r.stolenShare !== undefined);
    const stolen = stolenRuns.length > 0 ? stolenRuns.reduce((t, r) => t + (r.stolenShare ?? 0), 0) / stolenRuns.length : undefined;
    const result = {
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, platform: `${os.platform()} ${os.release()}`, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg()[0], stolenShare: stolen },
      options: { only: o.only, rounds: o.rounds, durationSeconds: o.duration, rateDurationSeconds: secondsOf('facade@rate'), connections: o.connections, rate: o.rate, bigRate: o.bigRate, pinned: o.pin, facadeNodeOptions: o.nodeDefaults ? '' : FACADE_NODE_OPTIONS },
      summaries,
      peers: { nginx: { facadeVsNginxPerCore: vsNginx, nginxMicrosPerRequest: ng.cpuMicrosPerRequest, facadeMicrosPerRequest: f.cpuMicrosPerRequest, throughputRatio: f.rps / ng.rps } },
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
        o.pin ? 'pinned: proxy under test alone on CPU 1, upstream + load generator on CPU 0 (direct: upstream CPU 0, load CPU 1)' : 'not pinned: the scheduler places the processes',
        `${'mode'.padEnd(20)}${'req/s'.padStart(8)}${'x direct'.padStart(9)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'proxy us/req'.padStart(13)}${'proxy core'.padStart(11)}${'upstr us/req'.padStart(13)}${'load us/req'.padStart(12)}  bound by`,
        ...summaries.map(
          (x) =>
            `${LABEL[x.mode].padEnd(20)}${x.rps.toFixed(0).padStart(8)}${(Number.isFinite(x.rpsVsDirect) ? x.rpsVsDirect.toFixed(2) : '-').padStart(9)}${x.p50.toFixed(2).padStart(8)}${x.p99.toFixed(2).padStart(8)}` +
            `${(x.cpuMicrosPerRequest === undefined ? '-' : x.cpuMicrosPerRequest.toFixed(1)).padStart(13)}${(x.proxyCoreUse === undefined ? '-' : `${(x.proxyCoreUse * 100).toFixed(0)} %`).padStart(11)}` +
            `${(x.upstreamMicrosPerRequest === undefined ? '-' : x.upstreamMicrosPerRequest.toFixed(1)).padStart(13)}${(x.loadMicrosPerRequest === undefined ? '-' : x.loadMicrosPerRequest.toFixed(1)).padStart(12)}  ${x.boundBy}`,
        ),
        'us/req: CPU microseconds per request (user + system) of each process; the upstream serves the shadow copies too.',
        '',
        ...(ran('saturation')
          ? [
              `facade sent ${pct(s('facade').serviceShare)} of requests to the service (weight 50). Legacy-served requests mirrored with shadowing on:`,
              `${pct(s('facade-shadow').mirroredShare)} at saturation (the facade sheds mirroring while its event loop is > 80 % busy)${ran('rate') ? `, ${pct(s('facade-shadow@rate').mirroredShare)} at ${o.rate} req/s` : ''}.`,
            ]
          : []),
        ...(Math.max(loadBefore, os.loadavg()[0]) > os.cpus().length / 2
          ? [`WARNING: the machine was busy (1-min load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after, ${os.cpus().length} CPUs): latencies are inflated by other processes.`]
          : []),
        ...(stolen !== undefined && stolen > 0.01
          ? [`WARNING: the hypervisor took ${pct(stolen)} of the CPUs' time during the runs (steal, /proc/stat; worst run ${pct(Math.max(...runs.map((r) => r.stolenShare ?? 0)))}): latencies are inflated by other guests on this host.`]
          : []),
        '',
        ...verdicts.map((v) => `${v.pass ? 'PASS' : 'FAIL'}  ${v.target}: ${v.value}`),
        ...(ran('saturation') ? [nginxPeerLine] : []),
        '',
        `results: ${path.relative(process.cwd(), out)}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return o.strict && verdicts.some((v) => !v.pass) ? 1 : 0;
  } finally {
    await cleanup();
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
