import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, migrate, type Migration } from '@shared/db';

describe('database migrations', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monolith-db-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('applies every migration once, in order, and records each in schema_migrations', () => {
    const file = path.join(dir, 'a', 'b', 'shop.db');
    const db = openDatabase(file);
    const recorded = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(recorded).toEqual([
      { version: 1, name: 'users_and_sessions' },
      { version: 2, name: 'catalog' },
      { version: 3, name: 'commerce' },
      { version: 4, name: 'feed' },
      { version: 5, name: 'notifications' },
    ]);
    db.close();
    const again = openDatabase(file);
    expect(migrate(again)).toEqual([]);
    expect(again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 5 });
    again.close();
  });

  it('rolls back a failing migration and does not record it, keeping the ones before it', () => {
    const db = openDatabase(':memory:');
    const next: Migration[] = [
      { version: 6, name: 'wishlists', sql: 'CREATE TABLE wishlists (id INTEGER PRIMARY KEY);' },
      { version: 7, name: 'broken', sql: 'CREATE TABLE half_done (id INTEGER); ALTER TABLE no_such_table ADD COLUMN x TEXT;' },
    ];
    expect(() => migrate(db, next)).toThrow(/no such table: no_such_table/);
    const versions = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('wishlists', 'half_done')`).all()).toEqual([{ name: 'wishlists' }]);
    db.close();
  });
});
