import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase, type Db } from '@shared/db';
import { loadConfig } from '@shared/config';
import { createApp } from '../src/app';
import { seedDatabase, SEED_PASSWORD } from '../src/seed';

export interface Reply {
  status: number;
  body: any;
}

export interface TestApp {
  base: string;
  db: Db;
  request(method: string, path: string, options?: { body?: unknown; token?: string; raw?: string }): Promise<Reply>;
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** A seeded app on a fresh in-memory database, listening on 127.0.0.1 with an ephemeral port. */
export async function startApp(): Promise<TestApp> {
  const db = openDatabase(':memory:');
  await seedDatabase(db);
  const app = createApp({ db, config: loadConfig({ NODE_ENV: 'test' }) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const request: TestApp['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) {
      headers['content-type'] = 'application/json';
      body = options.raw;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(base + path, { method, headers, body });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, body: type.includes('json') && text ? JSON.parse(text) : text };
  };

  return {
    base,
    db,
    request,
    async login(email, password = SEED_PASSWORD) {
      const r = await request('POST', '/api/auth/login', { body: { email, password } });
      if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.accessToken as string;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}
