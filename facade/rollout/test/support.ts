/** What the rollout tests share: a service whose behaviour a test switches, traffic, and the admin API. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, request } from 'undici';
import type { RolloutView } from '../manager';

export const TOKEN = 'rollout-test-token';
export const ENV = { STRANGLER_ADMIN_TOKEN: TOKEN };

export type Mode = 'ok' | 'error' | 'slow';

export interface Switchable {
  url: string;
  mode: Mode;
  /** Milliseconds a `slow` answer takes. */
  delayMs: number;
  /** Requests answered (health checks excluded). */
  served: number;
  close(): Promise<void>;
}

/** Answers `{ from: name }`; in `error` mode 500, in `slow` mode after `delayMs`. */
export async function switchable(name: string): Promise<Switchable> {
  const s: Switchable = { url: '', mode: 'ok', delayMs: 60, served: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/health') return void res.end('ok');
      s.served += 1;
      const answer = (status: number): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ from: name }));
      };
      if (s.mode === 'error') answer(500);
      else if (s.mode === 'slow') setTimeout(() => answer(200), s.delayMs);
      else answer(200);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s.close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return s;
}

export interface Traffic {
  /** Answers by who answered, and every request that did not get a 200 from someone. */
  from: Record<string, number>;
  failures: string[];
  total: number;
  stop(): Promise<void>;
}

/** GETs with a new user each, `concurrency` at a time, until stopped; `origins` are taken in turn. */
export function traffic(origins: string[], path = '/api/cart/items', concurrency = 6): Traffic {
  const pools = origins.map((o) => new Pool(o, { connections: concurrency }));
  const t: Traffic = { from: {}, failures: [], total: 0, stop: async () => undefined };
  let stopped = false;
  let n = 0;
  const worker = async (): Promise<void> => {
    while (!stopped) {
      const i = n++;
      try {
        const res = await pools[i % pools.length].request({ method: 'GET', path, headers: { 'x-user-id': `user-${i}` } });
        const text = await res.body.text();
        t.total += 1;
        if (res.statusCode !== 200) t.failures.push(`${res.statusCode} ${text.slice(0, 120)}`);
        else {
          const from = (JSON.parse(text) as { from: string }).from;
          t.from[from] = (t.from[from] ?? 0) + 1;
        }
      } catch (err) {
        // a replica stopped on purpose refuses connections; the test reads those apart
        t.failures.push(String(err));
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, worker));
  let closing: Promise<void> | null = null;
  t.stop = () =>
    (closing ??= (async () => {
      stopped = true;
      await done;
      await Promise.all(pools.map((p) => p.close()));
    })());
  return t;
}

export async function admin<T = RolloutView>(base: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ status: number; data: T }> {
  const res = await request(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.statusCode, data: (await res.body.json()) as T };
}

export const rollout = (base: string, route = 'cart') => admin(base, 'GET', `/routes/${route}/rollout`).then((r) => r.data);

/** A routes.yaml whose `cart` route has the given rollout block (YAML lines under `rollout:`). */
export function plannedYaml(legacy: string, service: string, rolloutLines: string[], extra = ''): string {
  return `# rollout under test
listen: { host: 127.0.0.1, port: 0 }
legacy: ${legacy}
services:
  cart: ${service}
routes:
  - name: cart
    match: { prefix: /api/cart }
    service: cart
    weight: 0
    rollout:
${rolloutLines.map((l) => `      ${l}`).join('\n')}
healthCheck: { enabled: false }
admin: { port: 0 }
${extra}`;
}

export const decisions = (v: RolloutView): string[] => v.events.map((e) => e.decision);
