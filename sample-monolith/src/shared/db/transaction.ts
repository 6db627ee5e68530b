import type { Db } from './connection';

/** Runs `work` in one SQLite transaction; better-sqlite3 transactions are synchronous, so no await inside. */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work)();
}
