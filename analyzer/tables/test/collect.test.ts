import ts from 'typescript';
import { collectTableAccesses } from '../index';

function accesses(text: string): string[] {
  const sf = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return collectTableAccesses(sf).map((a) => `${a.line} ${a.definition ? 'define' : a.access} ${a.name}`);
}

const lines = (...l: string[]): string => l.join('\n');

describe('table accesses in a file', () => {
  it('reads SQL in string literals and templates, with the line of each table name', () => {
    expect(
      accesses(
        lines(
          "db.prepare('SELECT * FROM users WHERE id = ?').get(id);",
          'db.prepare(`',
          '  SELECT o.id',
          '  FROM orders o',
          '  JOIN order_items i ON i.order_id = o.id',
          '`).all();',
          'db.exec("DELETE FROM sessions");',
        ),
      ),
    ).toEqual(['1 read users', '4 read orders', '5 read order_items', '7 write sessions']);
  });

  it('uses the static parts of templates with substitutions and of + concatenations', () => {
    expect(
      accesses(
        lines(
          'const where = id ? `WHERE id = ?` : ``;',
          'db.query(`SELECT * FROM products ${where} ORDER BY name`);',
          'db.query(`UPDATE ${table} SET x = 1`);',
          "db.query('INSERT INTO audit_log (msg) ' +",
          "  'SELECT msg FROM ' + source + ' JOIN events e ON 1');",
        ),
      ),
    ).toEqual(['2 read products', '4 write audit_log', '5 read events']);
  });

  it('does not need parent pointers in the tree', () => {
    const text = lines('const q = `SELECT * FROM orders`;', "db.run('INSERT INTO audit (x) ' + 'VALUES (?)', x);");
    const sf = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    expect(collectTableAccesses(sf).map((a) => `${a.line} ${a.access} ${a.name}`)).toEqual(['1 read orders', '2 write audit']);
  });

  it('reads tagged templates (sql`...`) and quoted SQL in JavaScript-style double quotes', () => {
    expect(
      accesses(
        lines(
          'const rows = await sql`SELECT * FROM "Order Items" WHERE id = ${id}`;',
          'await sql`INSERT INTO ${sql(table)} ${sql(values)}`;',
          'pool.query("UPDATE main.accounts SET balance = balance - $1 WHERE id = $2", [a, b]);',
        ),
      ),
    ).toEqual(['1 read Order Items', '3 write accounts']);
  });

  it('leaves prose, import paths and lone keywords alone', () => {
    expect(
      accesses(
        lines(
          "import { update } from './update-user';",
          "const label = 'Select items from the list below';",
          "const action: 'update' | 'delete' = 'update';",
          "throw new Error('Update failed: try again');",
          "const s = 'selected from the menu';",
        ),
      ),
    ).toEqual([]);
  });

  it('reads a quote followed by many comments (no exponential backtracking) as having no tables', () => {
    // a quote, then 40 adjacent block comments, then no SQL keyword: this once took forever to reject
    const comments = Array.from({ length: 40 }, (_, i) => `/** doc ${i} */`).join('\n');
    expect(accesses(`const text = \`\n${comments}\nthe end\`;`)).toEqual([]);
  });

  it('reads Sequelize define / init with and without tableName', () => {
    expect(
      accesses(
        lines(
          "import { Sequelize, Model, DataTypes } from 'sequelize';",
          "const sequelize = new Sequelize('sqlite::memory:');",
          "sequelize.define('User', { name: DataTypes.STRING }, { tableName: 'app_users' });",
          "sequelize.define('Category', { name: DataTypes.STRING });",
          "sequelize.define('Tax', {}, { freezeTableName: true });",
          'class Order extends Model {}',
          "Order.init({ total: DataTypes.INTEGER }, { sequelize, tableName: 'orders_v2' });",
          'class Box extends Model {}',
          'Box.init({}, { sequelize });',
        ),
      ),
    ).toEqual(['3 define app_users', '4 define Categories', '5 define Tax', '7 define orders_v2', '9 define Boxes']);
  });

  it('reads sequelize-typescript @Table and TypeORM @Entity', () => {
    expect(
      accesses(
        lines(
          "import { Table, Model } from 'sequelize-typescript';",
          "import { Entity as OrmEntity, Column } from 'typeorm';",
          "@Table({ tableName: 'wishlists' })",
          'export class Wishlist extends Model {}',
          '@Table',
          'export class Coupon extends Model {}',
          "@OrmEntity('shipments')",
          'export class Shipment {}',
          "@OrmEntity({ name: 'refunds' })",
          'export class Refund {}',
          '@OrmEntity()',
          'export class OrderItem {}',
        ),
      ),
    ).toEqual(['3 define wishlists', '5 define Coupons', '7 define shipments', '9 define refunds', '11 define order_item']);
  });

  it('reads knex query chains and schema builder calls', () => {
    expect(
      accesses(
        lines(
          "import knexFactory from 'knex';",
          'const pg = knexFactory({ client: "pg" });',
          "export const list = () => db('users').where({ active: true }).select('*');",
          "export const rename = (id: number) => db('users as u').where({ id }).update({ name: 'x' });",
          "export const report = () => pg.select('o.id').from('orders as o').leftJoin('users', 'users.id', 'o.user_id');",
          "export const add = () => knex.insert({ a: 1 }).into('audit_log');",
          "export const clear = (trx: Knex) => trx('sessions').del();",
          "export const migrate = () => knex.schema.createTable('invoices', (t) => t.increments());",
          "export const notKnex = () => other('users').select();",
          "export const sqlite = () => db.prepare('SELECT 1').all();",
        ),
      ),
    ).toEqual(['3 read users', '4 write users', '5 read orders', '5 read users', '6 write audit_log', '7 write sessions', '8 define invoices']);
  });

  it('reads Prisma client calls, through this.prisma and transaction clients', () => {
    expect(
      accesses(
        lines(
          "import { PrismaClient } from '@prisma/client';",
          'const db = new PrismaClient();',
          'export class Repo {',
          '  constructor(private prisma: PrismaClient) {}',
          '  list() { return this.prisma.orderItem.findMany(); }',
          '  async pay() {',
          '    await db.$transaction(async (tx) => {',
          '      await tx.payment.create({ data: {} });',
          '      await tx.order.update({ where: { id: 1 }, data: {} });',
          '    });',
          '    await db.user.count();',
          "    await db.$queryRaw`SELECT 1`;",
          '    await other.user.findMany();',
          '  }',
          '}',
        ),
      ),
    ).toEqual(['5 read OrderItem', '8 write Payment', '9 write Order', '11 read User']);
  });
});
