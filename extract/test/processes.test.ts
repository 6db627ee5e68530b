/**
 * Without a container engine: `strangler extract build|run|stop --engine none` runs the same steps as
 * processes and says so; `npm run copy-data` is idempotent (a second run leaves the same rows) and
 * resumable (an interrupted pass continues after the last committed batch).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../../cli/test/run-cli';
import { freePort, JWT_SECRET, localPrebuilds, startMonolith, stopAll } from './support/stack';

describe('extract as processes, and copy-data', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-processes-'));
  const dir = path.join(work, 'feed');
  const monolithDb = path.join(work, 'monolith', 'shop.db');
  afterAll(async () => {
    await stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  });

  beforeAll(async () => {
    fs.mkdirSync(path.dirname(monolithDb), { recursive: true });
    const monolith = await startMonolith(monolithDb);
    // two more posts and a like, through the monolith's own API
    const login = await fetch(`${monolith.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bob@shop.test', password: 'password123' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    for (const caption of ['one', 'two']) await fetch(`${monolith.url}/api/feed/posts`, { method: 'POST', headers: auth, body: JSON.stringify({ caption, image: { url: 'https://cdn.shop.test/x.png', width: 10, height: 10, mime: 'image/png' } }) });
    await fetch(`${monolith.url}/api/feed/posts/2/like`, { method: 'POST', headers: auth });
    await stopAll();
  }, 120_000);

  it('builds with npm when no engine is asked for, and says it runs the steps as processes', () => {
    expect(runCli(['extract', 'src/feed', '--out', dir, path.join(__dirname, '..', '..', 'sample-monolith')]).code).toBe(0);
    const r = runCli(['extract', 'build', dir, '--engine', 'none'], { env: { ...process.env, ...localPrebuilds().env }, timeout: 600_000 });
    expect({ code: r.code, out: r.stdout }).toEqual({ code: 0, out: `built feed in ${path.join(dir, 'dist')} (processes)\n` });
    expect(r.stderr).toContain('extract: no docker or podman here: running the same steps as processes');
    expect(r.stderr).toContain(`$ (cd ${dir} && npm ci)`);
  }, 600_000);

  it('copies the owned tables once, leaves the same rows when run again, and resumes an interrupted pass', () => {
    const target = path.join(work, 'feed.db');
    const env = { ...process.env, DATABASE_PATH: target, MONOLITH_DATABASE_PATH: monolithDb, COPY_BATCH_ROWS: '2' };
    const copy = () => spawnSync(process.execPath, ['dist/service/copy-data.js'], { cwd: dir, env, encoding: 'utf8' });
    const rows = () => {
      const db = new Database(target, { readonly: true });
      const out = {
        posts: db.prepare('SELECT id, caption, likes FROM posts ORDER BY id').all(),
        likes: db.prepare('SELECT post_id, user_id FROM post_likes').all(),
        seq: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'posts'").get(),
      };
      db.close();
      return out;
    };
    const first = copy();
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout).tables).toEqual([
      { table: 'posts', rows: 5, resumedAfter: null },
      { table: 'post_comments', rows: 0, resumedAfter: null },
      { table: 'post_likes', rows: 1, resumedAfter: null },
    ]);
    expect(first.stderr).toContain('copy-data: posts: 2 rows\ncopy-data: posts: 4 rows\ncopy-data: posts: 5 rows');
    const after = rows();
    expect(after.posts).toHaveLength(5);
    expect(after.posts[1]).toEqual({ id: 2, caption: 'Latte art attempt #12', likes: 1 });
    expect(after.seq).toEqual({ seq: 5 });
    expect(copy().status).toBe(0);
    expect(rows()).toEqual(after);
    // an interrupted pass: posts committed up to rowid 2, then the process died
    const db = new Database(target);
    db.prepare("UPDATE copy_progress SET last_rowid = 2, rows = 2, completed_at = NULL WHERE table_name = 'posts'").run();
    db.close();
    const resumed = copy();
    expect(JSON.parse(resumed.stdout).tables[0]).toEqual({ table: 'posts', rows: 5, resumedAfter: 2 });
    expect(resumed.stderr).toMatch(/^copy-data: posts: 4 rows\ncopy-data: posts: 5 rows\n/);
    expect(rows()).toEqual(after);
  });

  it('runs the service as a background process and stops it with SIGTERM', async () => {
    const port = await freePort();
    const r = runCli(['extract', 'run', dir, '--engine', 'none', '--port', String(port), '--monolith-db', monolithDb, '--env', `JWT_SECRET=${JWT_SECRET}`]);
    expect(r.code).toBe(0);
    const pid = /running on http:\/\/127\.0\.0\.1:\d+ \(process (\d+)\)/.exec(r.stdout)?.[1];
    expect(pid).toBeDefined();
    let ready: unknown;
    for (let i = 0; i < 100 && ready === undefined; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
      if (res?.status === 200) ready = await res.json();
      else await new Promise((res2) => setTimeout(res2, 100));
    }
    expect(ready).toEqual({ ready: true, service: 'feed' });
    const stop = runCli(['extract', 'stop', dir]);
    expect({ code: stop.code, out: stop.stdout, err: stop.stderr }).toEqual({ code: 0, out: 'stopped feed\n', err: `$ kill -TERM ${pid}\n` });
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(Number(pid), 0);
        await new Promise((res2) => setTimeout(res2, 100));
      } catch {
        break;
      }
    }
    expect(() => process.kill(Number(pid), 0)).toThrow();
    expect(fs.readFileSync(path.join(dir, 'data', 'feed.log'), 'utf8')).toMatch(/"msg":"stopped"/);
  }, 60_000);
});
