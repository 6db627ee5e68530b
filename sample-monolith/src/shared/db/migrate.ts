import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.types';
import { migrations as allMigrations } from './migrations';

/**
 * Applies the migrations not yet recorded in schema_migrations, each in its own transaction. Returns the versions applied.
 * Each one is checked again under the write lock (BEGIN IMMEDIATE): two processes starting on a fresh file at once
 * apply every migration exactly once between them.
 */
export function migrate(db: Database, migrations: readonly Migration[] = allMigrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const isApplied = db.prepare(`SELECT 1 FROM schema_migrations WHERE version = ?`);
  const record = db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`);
  const apply = db.transaction((m: Migration): boolean => {
    if (isApplied.get(m.version)) return false;
    db.exec(m.sql);
    record.run(m.version, m.name, new Date().toISOString());
    return true;
  });
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) if (apply.immediate(m)) done.push(m.version);
  return done;
}
