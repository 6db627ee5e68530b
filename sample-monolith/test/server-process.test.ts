import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from '../src/shared/db/migrations';

const MONOLITH = path.resolve(__dirname, '..');
/**
 * The server runs in this one node process, TypeScript loaded by tsx's loader: a signal reaches the
 * server itself, not the `tsx` wrapper (which kills its child 30 ms after forwarding a signal).
 */
const NODE_TS = ['--import', 'tsx', 'src/server.ts'];

interface Running {
  child: ChildProcess;
  port: number;
  logs: any[];
}

/** Starts `tsx src/server.ts` as `npm run monolith` does, on an ephemeral port, and waits for its "listening" log line. */
function startServer(databasePath: string): Promise<Running> {
  const child = spawn(process.execPath, NODE_TS, {
    cwd: MONOLITH,
    env: { ...process.env, PORT: '0', HOST: '', DATABASE_PATH: databasePath, LOG_LEVEL: 'info', NODE_ENV: 'development' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: any[] = [];
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s; stderr: ${stderr}`)), 30_000);
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const entry = JSON.parse(line); // every stdout line must be one JSON object
        logs.push(entry);
        if (entry.msg === 'listening') {
          clearTimeout(timer);
          resolve({ child, port: entry.port, logs });
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}; stderr: ${stderr}`));
    });
  });
}

/** Log lines arrive on a pipe, after the HTTP response: poll for the one wanted (bounded). */
async function waitForLog(r: Running, match: (entry: any) => boolean): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const found = r.logs.find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no matching log line in ${JSON.stringify(r.logs)}`);
}

function stop(r: Running): Promise<number | null> {
  return new Promise((resolve) => {
    r.child.removeAllListeners('exit');
    r.child.on('exit', (code) => resolve(code));
    process.kill(-r.child.pid!, 'SIGTERM');
  });
}

describe('the real server process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monolith-'));
  const dbPath = path.join(dir, 'nested', 'shop.db');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates and seeds the database file, answers /health and the catalog, logs JSON, and keeps data across restarts', async () => {
    const first = await startServer(dbPath);
    try {
      expect(fs.existsSync(dbPath)).toBe(true);
      expect(first.logs.map((l) => l.msg)).toEqual(['seeded database', 'listening']);
      expect(first.logs[1]).toMatchObject({ level: 'info', service: 'sample-monolith', host: '127.0.0.1', database: dbPath });

      const health = await fetch(`http://127.0.0.1:${first.port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const products = await fetch(`http://127.0.0.1:${first.port}/api/catalog/products?limit=100`);
      const body = (await products.json()) as { total: number; items: { sku: string }[] };
      expect(products.status).toBe(200);
      expect(body.total).toBe(10);
      expect(body.items.map((p) => p.sku)).toContain('COF-ETH-250');

      const register = await fetch(`http://127.0.0.1:${first.port}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'eve@shop.test', password: 'longenough', displayName: 'Eve' }),
      });
      expect(register.status).toBe(201);
      const requestLog = await waitForLog(first, (l) => l.msg === 'request' && l.url === '/api/auth/register');
      expect(requestLog).toMatchObject({ method: 'POST', status: 201 });
    } finally {
      expect(await stop(first)).toBe(0);
    }

    const second = await startServer(dbPath);
    try {
      expect(second.logs.map((l) => l.msg)).toEqual(['listening']);
      const login = await fetch(`http://127.0.0.1:${second.port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'eve@shop.test', password: 'longenough' }),
      });
      expect(login.status).toBe(200);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });

  it('starts three servers at once on one fresh database file: migrated and seeded exactly once, all serving', async () => {
    const racePath = path.join(dir, 'race', 'shop.db');
    const started = await Promise.allSettled([1, 2, 3].map(() => startServer(racePath)));
    const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      expect(started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []))).toEqual([]);
      expect(servers.filter((s) => s.logs.some((l) => l.msg === 'seeded database'))).toHaveLength(1);
      for (const s of servers) {
        const r = await fetch(`http://127.0.0.1:${s.port}/api/catalog/products?limit=100`);
        expect(r.status).toBe(200);
        expect(((await r.json()) as { total: number }).total).toBe(10);
      }
      const db = new Database(racePath, { readonly: true });
      try {
        expect(db.prepare('SELECT COUNT(*) AS n FROM users').get()).toEqual({ n: 3 });
        expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length });
      } finally {
        db.close();
      }
    } finally {
      for (const s of servers) expect(await stop(s)).toBe(0);
    }
  });

  it('refuses a bad PORT with a clear message and exit code 1', async () => {
    const child = spawn(process.execPath, NODE_TS, { cwd: MONOLITH, env: { ...process.env, PORT: 'eighty', DATABASE_PATH: ':memory:' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid environment variable PORT: expected an integer >= 0, got \\"eighty\\"');
  });

  it('refuses to start in production without a JWT_SECRET', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: '0', DATABASE_PATH: ':memory:' };
    delete env.JWT_SECRET;
    const child = spawn(process.execPath, NODE_TS, { cwd: MONOLITH, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid environment variable JWT_SECRET: required in production');
  });
});
