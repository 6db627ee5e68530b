/**
 * Database tables: what each file says (`collectTableFacts`: SQL text, query builders, ORM models and
 * calls, as plain data a parse worker can send back) and what that comes to once the files are joined
 * (`composeTables`: models followed across imports, constants, schema.prisma, identity rules).
 */
import type ts from 'typescript';
import { collectTableFacts } from './collect';
import { composeTables, type ComposedAccess, type TableModule } from './compose';

export { collectTableFacts } from './collect';
export { composeTables, type ComposedAccess, type ComposedTables, type ModuleTables, type TableModule } from './compose';
export { loadPrismaSchema, parsePrismaSchema, type PrismaSchema } from './prisma-schema';
export { tablesInSql, looksLikeSql, type SqlTableRef } from './sql-tables';
export { sequelizeDefaultTableName, typeormDefaultTableName, prismaModelTable, kyselySnakeCase } from './naming';
export { isSystemTable, detectDialect, tableKey, type Dialect } from './identity';
export type { TableFacts, TableGap } from './facts';

/** The tables one file touches on its own (no other file, no schema.prisma): for tests and quick looks. */
export function collectTableAccesses(sf: ts.SourceFile): ComposedAccess[] {
  const id = sf.fileName;
  const module: TableModule = { id, tableFacts: collectTableFacts(sf), imports: [], exports: { named: new Map(), stars: [] }, packages: new Set() };
  return composeTables(new Map([[id, module]])).modules.get(id)!.accesses;
}
