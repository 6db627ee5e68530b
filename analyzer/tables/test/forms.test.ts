import path from 'node:path';
import { analyze } from '../../analyze';
import { validateReport } from '../../schema';
import type { Report } from '../../types';

/**
 * Every access form on a small project written for it (test/fixtures/<form>), analyzed whole: the
 * expected tables per module were worked out by hand from the fixture's source and each ORM's rules.
 */

const FIXTURES = path.join(__dirname, 'fixtures');

interface ModuleTables {
  /** `r:name` / `w:name`, sorted. */
  tables: string[];
  defines: string[];
  gaps: string[];
}

async function tablesOf(fixture: string): Promise<{ report: Report; modules: Record<string, ModuleTables> }> {
  const report = await analyze(path.join(FIXTURES, fixture));
  const modules: Record<string, ModuleTables> = {};
  for (const m of report.modules) {
    const entry: ModuleTables = {
      tables: m.tables.map((t) => `${t.access[0]}:${t.name}`).sort(),
      defines: [...(m.definesTables ?? [])].sort(),
      gaps: (m.tableGaps ?? []).map((g) => `${g.line} ${g.what}`),
    };
    if (entry.tables.length + entry.defines.length + entry.gaps.length > 0) modules[m.id] = entry;
  }
  return { report, modules };
}

const t = (tables: string[], defines: string[] = [], gaps: string[] = []): ModuleTables => ({ tables: [...tables].sort(), defines: [...defines].sort(), gaps });
const def = (...tables: string[]): ModuleTables => t([], tables);

describe('table accesses through ORMs and query builders', () => {
  it('sequelize-typescript: statics through a barrel, scopes, includes (also from variables and spreads), typed instances, associations through a join model', async () => {
    const { modules } = await tablesOf('sequelize-ts');
    expect(modules).toEqual({
      // Book has no tableName: pluralized; Club freezes its modelName; Person pluralizes irregularly
      'src/models/Book.ts': def('Books'),
      'src/models/Club.ts': def('club'),
      'src/models/ClubMember.ts': def('club_members'),
      'src/models/Loan.ts': def('loans'),
      // its own static `this.findOne` reads its table
      'src/models/Member.ts': t(['r:members'], ['members']),
      'src/models/Person.ts': def('People'),
      // Book.findByPk; Loan.build(...).save(); member.update() on a `{ member }: Props` parameter
      'src/commands/lend.ts': t(['r:Books', 'w:loans', 'w:members']),
      // include [{ model: Member }] from a const; include ['clubs'] through ClubMember; { ...options } with Book; destroy
      'src/commands/overdue.ts': t(['r:loans', 'r:members', 'r:club', 'r:club_members', 'r:Books', 'w:loans']),
      'src/routes/people.ts': t(['r:People']),
      // Nest's @InjectModel(Member) with `typeof Member`; an include by association name
      'src/services/member.service.ts': t(['r:members', 'r:loans']),
    });
  });

  it('Sequelize define / init, a global freezeTableName, belongsToMany through a table name, models reached through an object and sequelize.models', async () => {
    const { modules } = await tablesOf('sequelize-classic');
    expect(modules).toEqual({
      'src/models/post.ts': def('posts'),
      'src/models/tag.ts': def('Tag'),
      'src/services/blog.ts': t(['w:posts', 'r:posts', 'r:Tag', 'r:post_tags']),
    });
  });

  it('TypeORM: injected and wrapped repositories, the entity manager, query builders with relation joins, join and closure tables, child entities, ActiveRecord, custom repositories', async () => {
    const { modules } = await tablesOf('typeorm');
    expect(modules).toEqual({
      'src/entity/AuditEvent.ts': def('audit_event'),
      'src/entity/CardPayment.ts': def('payment'),
      'src/entity/Category.ts': def('category'),
      'src/entity/Customer.ts': def('customers'),
      'src/entity/Order.ts': def('order'),
      'src/entity/OrderLine.ts': def('order_lines'),
      'src/entity/Payment.ts': def('payment'),
      'src/entity/Product.ts': def('product'),
      'src/entity/Segment.ts': def('segment'),
      // the wrapper itself only sees entities chosen by its callers
      'src/connection.ts': t([], [], ['8 a repository of an entity chosen at run time (`target`)', '12 a repository of an entity chosen at run time (`target`)']),
      // find relations lines / lines.product; getEntityOrThrow(ctx, Customer); getRepository(ctx, Order).save;
      // o.customer and c.segments joins (the default join table customers_segments_segment); manager.delete;
      // manager.getRepository(Order).update; createQueryBuilder().update(Order)
      'src/services/order.service.ts': t(['r:order', 'r:order_lines', 'r:product', 'r:customers', 'w:order', 'r:customers_segments_segment', 'r:segment', 'w:order_lines']),
      // findTrees reads the closure table; p.categories goes through the join table its owner names
      'src/services/catalog.service.ts': t(['r:category', 'r:category_closure', 'r:product', 'r:product_categories']),
      'src/repositories/product.repository.ts': t(['r:product']),
      // new AuditEvent().save() and AuditEvent.findBy (BaseEntity); a child entity lives in its parent's table;
      // the global getRepository(Segment) and getManager().find(Product)
      'src/services/audit.ts': t(['w:audit_event', 'r:audit_event', 'r:payment', 'r:segment', 'r:product']),
    });
  });

  it('Prisma: accessors mapped by schema.prisma, includes (also from constants and spreads), nested writes, relation filters and the implicit many-to-many join table', async () => {
    const { modules } = await tablesOf('prisma');
    expect(modules).toEqual({
      // a select held in a constant (and spread into another): Doctor, its visits, their patient
      'src/doctors.service.ts': t(['r:Doctor', 'r:visits', 'r:patients']),
      'src/visits.service.ts': t([
        // forPatient: visits, include doctor and notes
        'r:visits',
        'r:Doctor',
        'r:Note',
        // book: connect patient and doctor (reads), create notes
        'w:visits',
        'r:patients',
        'w:Note',
        // seenBy: doctors: { some } reads Doctor through _DoctorToPatient
        'r:_DoctorToPatient',
        // archive in $transaction(tx); register(tx: Prisma.TransactionClient) upserts with connectOrCreate
        'w:patients',
        'w:Doctor',
        'w:_DoctorToPatient',
      ]),
    });
  });

  it('Kysely: statement starters, joins, aliases, CamelCasePlugin names, CTEs (also in raw SQL beside the builder) and destructured expression builders', async () => {
    const { modules } = await tablesOf('kysely');
    expect(modules).toEqual({
      'src/repos/board.repo.ts': t(['r:boards', 'r:board_members', 'w:boards', 'w:board_cards', 'r:board_cards', 'r:card_labels', 'r:card_tree_view']),
    });
  });

  it('knex: table constants (local, imported, object members, templates, conditionals), CTEs and a table name handed up through super()', async () => {
    const { modules } = await tablesOf('knex');
    expect(modules).toEqual({
      // the base store's queries belong to the subclass that names the table; the base has no access of its own
      'src/db/tag-store.ts': t(['r:tags', 'w:tags']),
      'src/db/user-store.ts': t(['r:users', 'r:roles', 'w:permissions', 'w:audit_log', 'r:sessions_daily', 'r:sessions', 'r:scores']),
    });
  });

  it('SQL tagged templates: identifiers from helpers and constants, a model\u2019s table name, postgres.js sql(name)', async () => {
    const { modules } = await tablesOf('sql-templates');
    expect(modules).toEqual({
      'src/models/invoice.ts': def('invoices'),
      'src/queries/invoices.ts': t(['w:invoices', 'r:invoices']),
      'src/queries/users.ts': t(['r:users', 'w:accounts', 'r:login_events']),
      'src/queries/events.ts': t(['r:events']),
    });
  });
});

describe('table identity', () => {
  it('SQLite compares names without case (one table, spelled as defined); catalogs and sentences are not tables', async () => {
    const { report, modules } = await tablesOf('identity-sqlite');
    expect(modules).toEqual({ 'src/db.ts': def('Users'), 'src/read.ts': t(['r:Users']), 'src/write.ts': t(['w:Users']) });
    expect(report.tables).toEqual([{ name: 'Users', readers: ['src/read.ts'], writers: ['src/write.ts'], definedBy: ['src/db.ts'] }]);
  });

  it('Postgres folds unquoted names and keeps quoted ones; catalogs, CTEs and substituted names are not tables (the last is a gap)', async () => {
    const { modules } = await tablesOf('identity-postgres');
    expect(modules).toEqual({ 'src/read.ts': t(['r:users', 'r:Users', 'r:orders'], [], ['8 SQL with its table name from `${tableName}`']) });
  });
});

describe('Drizzle and TypeORM forms read from the held-out corpora\'s misses (fixtures written for the project)', () => {
  it('Drizzle: a bare call named like an Object.prototype member (toString(), hasOwnProperty(), constructor()) is no import, and the analysis goes on', async () => {
    const { modules } = await tablesOf('prototype-names');
    expect(modules).toEqual({ 'src/schema.ts': def('users'), 'src/users.ts': t(['r:users']) });
  });

  it('Drizzle: table and view declarations (quoted, so kept as written; a pgSchema table is schema-qualified), builders, joins, transactions, relational queries with `with`, tables handed to a helper or a library', async () => {
    const { modules } = await tablesOf('drizzle');
    expect(modules).toEqual({
      // the view's own query reads Authors
      'src/db/schema.ts': t(['r:Authors'], ['Authors', 'notebooks', 'notebook_pages', 'archive.pages', 'busy_authors']),
      // countRows({ table: pages }) and remember(db, notebooks) are called from notes.repository: the queries are here;
      // purge(db, t) has no caller handing it a table
      'src/db/count.ts': t(['r:notebook_pages', 'w:notebooks'], [], ['17 a Drizzle query on `t`, a parameter of `purge` no caller the analyzer found hands a table to']),
      // from + innerJoin; tx.insert / tx.update in a transaction; delete on the archive schema's table; Array.from(items) is no table
      'src/notes/notes.repository.ts': t(['r:notebooks', 'r:Authors', 'w:notebook_pages', 'w:notebooks', 'w:archive.pages']),
      // query.authors with books (notebooks) with leaves (pages); `people` is a schema key for authors; the view by its name; drafts is no table
      'src/stats/stats.ts': t(['r:Authors', 'r:notebooks', 'r:notebook_pages', 'r:busy_authors'], [], ['16 a Drizzle relational query on `drafts`, which the analyzer cannot find in the schema']),
      // handed to better-auth's adapter: what it does is not read, so read and write
      'src/auth/auth.ts': t(['r:Authors', 'w:Authors']),
    });
  });

  it('TypeORM: awaited lazy relations (typed instances, nested awaits, untyped values by relation name or a gap), a repository handed to a library', async () => {
    const { report, modules } = await tablesOf('typeorm-lazy');
    // a data library the analyzer does not read: a gap in the module, and one warning for the project
    expect(report.warnings.filter((w) => w.code === 'tables-unread-library')).toEqual([
      { file: 'src/legacy/notes.ts', line: 1, code: 'tables-unread-library', message: 'Mongoose (mongoose) is imported (1 file: src/legacy/notes.ts) but its table accesses are not read: those modules never say they share no table' },
    ]);
    expect(modules).toEqual({
      'src/legacy/notes.ts': t([], [], ['1 uses Mongoose (mongoose), whose table accesses the analyzer does not read']),
      'src/entity/Book.ts': def('book'),
      'src/entity/Label.ts': def('label'),
      'src/entity/Session.ts': def('web_sessions'),
      'src/entity/Shelf.ts': def('shelves'),
      // book.shelf (lazy by option) → shelves; shelf.labels (Promise, @JoinTable) → label and shelves_labels_label; (await book.shelf).books → book
      'src/shelves/titles.ts': t(['r:shelves', 'r:label', 'r:shelves_labels_label', 'r:book']),
      // untyped: `shelf` leads to shelves whichever entity it is, `books` only Shelf has, `status` no entity has, `tag` two do
      'src/labels/untyped.ts': t(['r:shelves', 'r:book'], [], ['18 awaits `.tag` on a value of no written type: a lazy relation of Book, Shelf, which the analyzer cannot tell apart']),
      // connect-typeorm's store gets the repository: read and write; audit() is the project's own and reads it itself
      'src/sessions/store.ts': t(['r:web_sessions', 'w:web_sessions']),
      'src/sessions/audit.ts': t(['r:web_sessions']),
    });
  });
});

describe('what could not be read', () => {
  it('is reported per module, and a candidate says "shares no table" only when every access in it was read', async () => {
    const { report, modules } = await tablesOf('gaps');
    expect(modules).toEqual({
      'src/notes/router.ts': t(['r:notes']),
      'src/stats/router.ts': t([], [], ['6 a table name from `req.params.table`']),
    });
    const reason = (id: string): string | undefined => report.candidates.find((c) => c.id === id)?.terms.find((x) => x.name === 'dataCoupling')?.reason;
    expect(reason('folder:src/stats')).toBe('No table shared with code outside it was found, but 1 database access in it could not be read: src/stats/router.ts:6 (a table name from `req.params.table`).');
    expect(reason('folder:src/about')).toBe('Shares no database table with code outside it.');
    // tableGaps are part of the report contract
    expect(validateReport(report)).toEqual([]);
  });
});
