/**
 * Child-process entry for the facade benchmark: one process per server under test, so the load
 * generator and each proxy have their own event loop and the proxy's CPU time can be measured
 * alone (`process.cpuUsage()` deltas between `cpu-start` and `cpu-stop` messages).
 *
 *   upstream             two identical node:http JSON servers (legacy and service); `/api/big` is a 1 MiB JSON, gzip if accepted
 *   facade <config>      the strangler facade (data plane) with the given config
 *   http-proxy <target>  a bare http-proxy with a keep-alive agent
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants as perf, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import httpProxy from 'http-proxy';
import pino from 'pino';
import { createFacade } from '../../facade/index';
import { FacadeConfigSchema } from '../../facade/config/schema';

type Message = { cmd: 'cpu-start' } | { cmd: 'cpu-stop' } | { cmd: 'stats' } | { cmd: 'apply'; config: string };

/** The facade's per-route counters, so the parent can see where requests went (and how many were mirrored). */
let stats: () => unknown = () => [];
/** Mirrors of the 1 MiB route judged without their bodies, the queue to the comparer being full (the facade's own metric). */
let bigBodiesSkipped: () => Promise<number> = async () => 0;
/** A facade's hot reload (the same `apply` the config watcher calls), for the parent to swap the pair's roles. */
let apply: (configJson: string) => void = () => {
  throw new Error('not a facade');
};

/**
 * Full (mark-compact) garbage collections of this process's main thread so far, and their time:
 * the bench prints them per fixed-rate run, because one process in V8's state of a full collection
 * every ~0.5 s (see bench/README.md) has a p99 20 ms worse whatever it is proxying.
 */
const majorGcs = { count: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind !== perf.NODE_PERFORMANCE_GC_MAJOR) continue;
    majorGcs.count++;
    majorGcs.ms += e.duration;
  }
}).observe({ entryTypes: ['gc'] });

function send(msg: unknown): void {
  process.send?.(msg);
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

const BODY = JSON.stringify({ id: 42, name: 'Sample product', price: 19.99, tags: ['a', 'b', 'c'], stock: 7 });

/**
 * About 1 MiB of JSON, the same from legacy and the service (as when a service gives the right
 * answers), which compress it at different gzip levels (as two implementations would): a
 * comparison decodes both on the comparison worker and compares the bytes. With
 * BENCH_BIG_DIFFERS=1 the answers differ in one field (`servedBy`, ignored by the bench's shadow
 * config), so every comparison also parses and diffs both bodies.
 */
function bigCatalogue(name: string): Buffer {
  const servedBy = process.env.BENCH_BIG_DIFFERS === '1' ? name : 'catalogue';
  const items: unknown[] = [];
  let size = 40;
  for (let i = 0; size < 1024 * 1024 - 200; i++) {
    const item = { id: i, sku: `SKU-${String(i).padStart(6, '0')}`, name: `Product number ${i}`, price: Math.round(i * 137) / 100, stock: i % 17, tags: ['catalog', `group-${i % 40}`] };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  return Buffer.from(JSON.stringify({ servedBy, items }));
}

async function upstream(): Promise<number[]> {
  const make = (name: string): http.Server => {
    // `/api/big`: a 1 MiB JSON catalogue, gzip-compressed when the client accepts it (prepared once).
    const BIG = bigCatalogue(name);
    const BIG_GZIP = gzipSync(BIG, { level: name === 'legacy' ? 6 : 1 });
    const server = http.createServer((req, res) => {
      // drain any request body before answering, as a real app would
      req.resume();
      req.on('end', () => {
        if (req.url === '/api/big') {
          const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
          const body = gzip ? BIG_GZIP : BIG;
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'x-served-by': name });
          return void res.end(body);
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), 'x-served-by': name });
        res.end(BODY);
      });
    });
    server.keepAliveTimeout = 30_000;
    return server;
  };
  return [await listen(make('legacy')), await listen(make('service'))];
}

async function facade(configJson: string): Promise<number[]> {
  const config = FacadeConfigSchema.parse(JSON.parse(configJson));
  const f = createFacade(config, { logger: pino({ level: 'info' }, pino.destination('/dev/null')) });
  const address = await f.listen();
  stats = () => f.stats();
  bigBodiesSkipped = async () => {
    const metric = await f.registry.getSingleMetric('strangler_shadow_skipped_total')?.get();
    return metric?.values.find((v) => v.labels.route === 'big' && v.labels.reason === 'compare_queue_full')?.value ?? 0;
  };
  apply = (json) => f.apply(FacadeConfigSchema.parse(JSON.parse(json)));
  return [address.port];
}

async function bareProxy(target: string): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const proxy = httpProxy.createProxyServer({ target, agent, xfwd: true });
  proxy.on('error', (_err, _req, res) => {
    const r = res as http.ServerResponse;
    if (!r.headersSent) r.writeHead(502);
    r.end();
  });
  const server = http.createServer((req, res) => proxy.web(req, res));
  server.keepAliveTimeout = 30_000;
  return [await listen(server)];
}

async function main(): Promise<void> {
  const [kind, arg] = process.argv.slice(2);
  const ports = kind === 'upstream' ? await upstream() : kind === 'facade' ? await facade(arg) : kind === 'http-proxy' ? await bareProxy(arg) : undefined;
  if (!ports) throw new Error(`unknown server kind "${kind}"`);
  let start = process.cpuUsage();
  process.on('message', (m: Message) => {
    if (m.cmd === 'cpu-start') start = process.cpuUsage();
    if (m.cmd === 'cpu-stop') {
      const d = process.cpuUsage(start);
      send({ cpuMicros: d.user + d.system });
    }
    if (m.cmd === 'stats') void bigBodiesSkipped().then((skipped) => send({ stats: stats(), majorGcs, bigBodiesSkipped: skipped }));
    if (m.cmd === 'apply') {
      apply(m.config);
      send({ applied: true });
    }
  });
  // the parent going away (even killed) must not leave servers behind
  process.on('disconnect', () => process.exit(0));
  send({ ready: true, ports });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
