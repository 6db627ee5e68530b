/**
 * Database table extraction: which tables a file reads and writes, from SQL text (a small tokenizer,
 * see sql-tables.ts) and from ORM model definitions / Prisma client calls (orm.ts).
 */
export { collectTableAccesses, type TableAccess } from './collect';
export { tablesInSql, looksLikeSql, type SqlTableRef } from './sql-tables';
export { sequelizeDefaultTableName, typeormDefaultTableName, prismaModelTable } from './orm';
