/** Real loopback upstreams and a facade on an ephemeral port, for the data-plane tests. */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { FacadeConfigSchema, type FacadeConfigInput } from '../config/schema';
import { createFacade, type Facade } from '../index';

export interface Upstream {
  name: string;
  url: string;
  port: number;
  server: http.Server;
  /** Requests seen, in order (health checks excluded). */
  seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

/** By default answers JSON `{ upstream, method, url, headers, body }` and 200 on /health. */
export async function upstream(name: string, handler?: Handler, port = 0): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url === '/health' && !handler) return void res.end('ok');
      if (req.url !== '/health') seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: body.toString() });
      if (handler) return handler(req, res, body);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ upstream: name, method: req.method, url: req.url, headers: req.headers, body: body.toString() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const p = (server.address() as net.AddressInfo).port;
  return {
    name,
    url: `http://127.0.0.1:${p}`,
    port: p,
    server,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port with nothing listening (connection refused). */
export async function deadUrl(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

export interface Running {
  facade: Facade;
  base: string;
  port: number;
  logs: Record<string, unknown>[];
  registry: Registry;
  close(): Promise<void>;
}

/** Starts a facade; health checks are off unless the config turns them on. */
export async function startFacade(input: Omit<FacadeConfigInput, 'listen'> & { listen?: FacadeConfigInput['listen'] }): Promise<Running> {
  const config = FacadeConfigSchema.parse({ healthCheck: { enabled: false }, ...input, listen: { host: '127.0.0.1', port: 0 } });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      cb();
    },
  });
  const logger: Logger = pino({ level: 'info' }, sink);
  const registry = new Registry();
  const facade = createFacade(config, { logger, registry });
  const addr = await facade.listen();
  return { facade, base: `http://127.0.0.1:${addr.port}`, port: addr.port, logs, registry, close: () => facade.close() };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** node:http client request: sends the path exactly as given (no URL normalization). */
export function request(port: number, path: string, options: { method?: string; headers?: http.OutgoingHttpHeaders; body?: Buffer | string; agent?: http.Agent | false } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 32 });

/** Writes raw bytes on a fresh socket and returns everything the server sends until it closes. */
export function raw(port: number, text: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    s.on('error', (e) => (chunks.length ? resolve(Buffer.concat(chunks).toString('latin1')) : reject(e)));
    s.write(text);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns true (or fails the test after `ms`). */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs `total` requests with at most `concurrency` in flight. */
export async function load<T>(total: number, concurrency: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        out[i] = await one(i);
      }
    }),
  );
  return out;
}

/** Threads of this process under SCHED_IDLE (policy 5, field 41 of /proc/<pid>/task/<tid>/stat). */
export function idleThreads(): string[] {
  return readdirSync('/proc/self/task').filter((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // field 3 onwards; the name may hold spaces
      return fields[41 - 3] === '5';
    } catch {
      return false; // the thread ended meanwhile
    }
  });
}
