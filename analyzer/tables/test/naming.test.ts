import { detectDialect, isSystemTable, kyselySnakeCase, parsePrismaSchema, sequelizeDefaultTableName, tableKey, typeormDefaultTableName, type PrismaSchema } from '../index';
import { typeormJoinTableName } from '../naming';
import { implicitJoinTable } from '../prisma-schema';

describe('ORM default names', () => {
  it('Sequelize pluralizes with inflection (as Sequelize does), underscores on request, keeps a frozen name', () => {
    expect(sequelizeDefaultTableName('Category')).toBe('Categories');
    expect(sequelizeDefaultTableName('Person')).toBe('People');
    expect(sequelizeDefaultTableName('OrderItem', { underscored: true })).toBe('order_items');
    expect(sequelizeDefaultTableName('Tax', { freezeTableName: true })).toBe('Tax');
  });

  it('TypeORM snake_cases entity names and joins many-to-many tables as owner_property_other', () => {
    expect(typeormDefaultTableName('OrderItem')).toBe('order_item');
    expect(typeormDefaultTableName('APIKey')).toBe('api_key');
    expect(typeormJoinTableName('customer', 'groups', 'customer_group')).toBe('customer_groups_customer_group');
  });

  it("Kysely's CamelCasePlugin snake_cases names, no underscore inside a run of capitals", () => {
    expect(kyselySnakeCase('boardMembers')).toBe('board_members');
    expect(kyselySnakeCase('users')).toBe('users');
    expect(kyselySnakeCase('fooBAR')).toBe('foo_bar');
  });
});

describe('schema.prisma', () => {
  const schema: PrismaSchema = { models: new Map(), providers: [], files: [] };
  parsePrismaSchema(
    [
      'datasource db {',
      '  provider = "sqlite" // local',
      '}',
      'model Author {',
      '  id    Int    @id',
      '  books Book[] @relation("Writing")',
      '  tags  Tag[]',
      '  @@map("authors")',
      '}',
      'model Book {',
      '  id      Int      @id',
      '  authors Author[] @relation("Writing")',
      '  @@schema("library")',
      '}',
      'model Tag {',
      '  id      Int      @id',
      '  authors Author[]',
      '}',
      'enum Role {',
      '  ADMIN',
      '}',
    ].join('\n'),
    schema,
  );

  it('maps models to tables (@@map, @@schema) and reads the provider', () => {
    expect([...schema.models.values()].map((m) => `${m.name}=${m.table}`)).toEqual(['Author=authors', 'Book=library.Book', 'Tag=Tag']);
    expect(schema.providers).toEqual(['sqlite']);
  });

  it('names implicit many-to-many join tables after the relation, or the two models in order', () => {
    const author = schema.models.get('Author')!;
    expect(implicitJoinTable(schema, author, author.fields.get('books')!)).toBe('_Writing');
    expect(implicitJoinTable(schema, author, author.fields.get('tags')!)).toBe('_AuthorToTag');
  });
});

describe('table identity', () => {
  it('knows system catalogs and the engines\u2019 own tables', () => {
    for (const name of ['sqlite_master', 'sqlite_sequence', 'pg_tables', 'pg_stat_activity', 'information_schema.columns', 'pg_catalog.pg_class', 'mysql.user', 'dual']) expect([name, isSystemTable(name)]).toEqual([name, true]);
    for (const name of ['users', 'audit.events', 'pages', 'sqlitemaster']) expect([name, isSystemTable(name)]).toEqual([name, false]);
  });

  it('takes the dialect from the drivers and Prisma providers (Postgres rules win a mix)', () => {
    expect(detectDialect(['better-sqlite3'])).toBe('case-insensitive');
    expect(detectDialect(['mysql2', 'express'])).toBe('case-insensitive');
    expect(detectDialect(['pg', 'better-sqlite3'])).toBe('postgres');
    expect(detectDialect([], ['postgresql'])).toBe('postgres');
    expect(detectDialect(['express'])).toBe('unknown');
    expect(tableKey('Users', 'case-insensitive')).toBe(tableKey('users', 'case-insensitive'));
    expect(tableKey('Users', 'postgres')).not.toBe(tableKey('users', 'postgres'));
  });
});
