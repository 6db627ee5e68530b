/**
 * Table identity: when two names are the same table, and which names are not application tables.
 *
 * Names arrive as the database sees them: an unquoted name in SQL text is folded to lower case where
 * it is read (Postgres folds unquoted identifiers so; `FROM Users` is `users`), a quoted one and a
 * name an ORM or query builder quotes for us (Sequelize, TypeORM, Prisma, knex, Kysely) is kept as
 * written. SQLite compares every identifier without regard to case, and MySQL does for the apps this
 * reads (as the rule has it), so there `Users` and `users` are one table.
 */

export type Dialect = 'postgres' | 'case-insensitive' | 'unknown';

/** Drivers that tell the dialect, by npm package name. */
const INSENSITIVE_DRIVERS = new Set(['better-sqlite3', 'sqlite3', 'sqlite', '@libsql/client', 'mysql', 'mysql2', 'mariadb', 'tedious', 'mssql']);
const POSTGRES_DRIVERS = new Set(['pg', 'postgres', 'pg-promise', 'slonik', '@neondatabase/serverless', '@vercel/postgres', 'pg-pool', '@electric-sql/pglite']);

/** The dialect of a project from the drivers it imports and Prisma's datasource providers; Postgres' rules win a mix. */
export function detectDialect(packages: Iterable<string>, prismaProviders: readonly string[] = []): Dialect {
  let postgres = false;
  let insensitive = false;
  for (const p of packages) {
    if (POSTGRES_DRIVERS.has(p)) postgres = true;
    else if (INSENSITIVE_DRIVERS.has(p)) insensitive = true;
  }
  for (const p of prismaProviders) {
    if (p === 'postgresql' || p === 'postgres' || p === 'cockroachdb') postgres = true;
    else if (p === 'sqlite' || p === 'mysql' || p === 'sqlserver') insensitive = true;
  }
  if (postgres) return 'postgres';
  return insensitive ? 'case-insensitive' : 'unknown';
}

/** The key two names share when they are the same table. */
export function tableKey(name: string, dialect: Dialect): string {
  return dialect === 'case-insensitive' ? name.toLowerCase() : name;
}

const CATALOG_SCHEMAS = new Set(['information_schema', 'pg_catalog', 'pg_toast', 'mysql', 'performance_schema', 'sys']);

/**
 * System catalogs and the engine's own tables are not app tables: `sqlite_master` / `sqlite_schema` /
 * `sqlite_sequence` (SQLite reserves the `sqlite_` prefix), `pg_tables` and every `pg_` relation
 * (Postgres reserves the prefix for its catalogs), anything in `information_schema`, `pg_catalog`,
 * MySQL's `mysql` / `performance_schema` / `sys`, and Oracle/MySQL's `dual`.
 */
export function isSystemTable(name: string): boolean {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  if (dot > 0 && CATALOG_SCHEMAS.has(lower.slice(0, dot))) return true;
  const table = dot > 0 ? lower.slice(dot + 1) : lower;
  return table.startsWith('sqlite_') || table.startsWith('pg_') || (dot < 0 && (table === 'dual' || CATALOG_SCHEMAS.has(table)));
}

/** A name that can be a table: no substitution marker, no blanks, not empty. */
export function isPlausibleTableName(name: string): boolean {
  return name.length > 0 && !/[\u0000-\u001f]/.test(name);
}
