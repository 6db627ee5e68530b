/**
 * What one file says about database tables, as plain JSON-serializable data (a parse worker sends it
 * back). `collectTableFacts` produces it per file without a type checker; `composeTables` joins the
 * files: model classes to their declarations, table-name constants to their values, Prisma accessors
 * to schema.prisma, and names to the database's identity rules.
 */

export type Access = 'read' | 'write';

/** A binding of this file (`User`, `models`), optionally one member of it (`models.User`, `T.users`). */
export interface NameRef {
  local: string;
  member?: string;
}

/** A table whose name this file alone tells. */
export interface KnownAccess {
  name: string;
  access: Access;
  /** 1-based line of the table name (of the ORM call or decorator for ORM accesses). */
  line: number;
  /** Schema statements and model definitions: not data access (see README). */
  definition?: true;
  /** From a Kysely call: the name goes through CamelCasePlugin when the project installs it. */
  kysely?: true;
}

/**
 * What a model use reaches besides the model itself: an included / joined model, named by a class
 * (`include: [Team]`, `leftJoin(Photo, 'p')`) or by relation properties from the used model
 * (`relations: ['variants.options']`, `leftJoinAndSelect('product.variants', 'v')`).
 */
export interface Reach {
  ref?: NameRef;
  /** Relation property names, from the model the reach hangs on. */
  path?: string[];
  /** Reaches from the model this one names. */
  sub?: Reach[];
  /** `ref.local` is a model or entity name (`leftJoin('user', 'u')`), not a binding. */
  byName?: true;
  access?: Access;
}

/**
 * A use of something another file may define. `table`: a string constant naming a table (`db(TABLE)`,
 * `FROM ${USERS_TABLE}`). `model`: a model class, entity or repository class (`User.findAll()`,
 * `getRepository(User)`, `this.users.find()` with `users: Repository<User>`), classified by its
 * operation once the ORM of the model is known.
 */
export interface RefUse {
  ref: NameRef;
  /** `drizzle`: a Drizzle table object (`db.select().from(users)`), kept only when `ref` is one. */
  as: 'table' | 'model' | 'drizzle';
  /**
   * How the model is reached: its class (static calls), an instance, a repository, a type's generic
   * argument, a lazy relation awaited on an instance of it (`reach` holds the relation path), or handed
   * to a function as an argument (`to`).
   */
  via?: 'static' | 'instance' | 'repository' | 'argument' | 'lazy' | 'handed';
  /** The operation called (`findAll`, `save`), or a fixed access. */
  op?: string;
  access?: Access;
  line: number;
  reach?: Reach[];
  kysely?: true;
  /** A constant substituted into SQL text: an unquoted name, folded to lower case. */
  fold?: true;
  /** A template naming the table (`${T.ROLES} as r`): `ref` is its first substitution, `template` all of it. */
  template?: { parts: string[]; refs: NameRef[] };
  /** `this.<member>` names the table: the class it is used in (its constructor or a subclass's may set it). */
  ofClass?: string;
  /** The model's name as a string (`getRepository('User')`, `sequelize.models.User`): matched against model names. */
  byName?: true;
  /** `via: 'handed'`: the function the model's repository or the Drizzle table is handed to, and in which argument. */
  to?: HandedTo;
}

/** A call a repository or table is handed to: `helper({ table: users })`, `new TypeormStore().connect(repo)`. */
export interface HandedTo {
  /** The binding the callee is reached from (`helper`, `TypeormStore`, `lib` in `lib.fn(...)`). */
  callee: NameRef;
  /** The callee as written, for messages (`new TypeormStore(…).connect`). */
  text: string;
  index: number;
  /** The property of an object argument (`{ table: users }`). */
  prop?: string;
}

export interface RelationFact {
  target: NameRef;
  /** Many-to-many through a model (`@BelongsToMany(() => A, () => Through)`) or a table name. */
  through?: NameRef | { table: string };
  /** TypeORM `@ManyToMany`; with `@JoinTable()` on this side, `joinTable` is its name or `''` (the default name). */
  manyToMany?: true;
  joinTable?: string;
  /** TypeORM lazy relation (typed `Promise<X>`, or `{ lazy: true }`): awaiting the property queries the target. */
  lazy?: true;
}

/** A model class / entity / `define`d model declared in this file. */
export interface ModelFact {
  orm: 'sequelize' | 'typeorm';
  /** Local name of the class (or variable of `sequelize.define`); `default` for an anonymous default class. */
  local: string;
  /** The model's name: class name, Sequelize `modelName` / `define` name. */
  modelName: string;
  /** An explicit table name (`tableName`, `@Entity('x')`, `@Table({ tableName })`). */
  table?: string;
  /** Sequelize per-model options that change the default name. */
  freezeTableName?: boolean;
  underscored?: boolean;
  /** The class it extends: TypeORM `@ChildEntity()` uses its parent's table; `BaseEntity` gives static and instance methods. */
  base?: NameRef;
  child?: true;
  activeRecord?: true;
  /** TypeORM `@Tree('closure-table')`: one more table, `<name>_closure` (or `<closureTableName>_closure`). */
  closure?: string;
  line: number;
  relations: Record<string, RelationFact>;
}

/** Sequelize `A.hasMany(B, { as, through })` and the like, wherever they are called. */
export interface AssociationFact {
  owner: NameRef;
  target: NameRef;
  kind: 'hasMany' | 'hasOne' | 'belongsTo' | 'belongsToMany';
  as?: string;
  through?: NameRef | { table: string };
}

/** A class that is a repository of an entity (`class UserRepository extends Repository<User>`, `@EntityRepository(User)`). */
export interface RepositoryClassFact {
  local: string;
  entity: NameRef;
}

/** A nested Prisma argument: relation-field candidates (schema.prisma decides which are relations). */
export interface PrismaShape {
  [field: string]: { access: Access; sub?: PrismaShape };
}

/**
 * A class that extends another or sets members from constructor parameters, for table names handed
 * up through constructors (`class TagStore extends CRUDStore { constructor(db) { super('tags', db) } }`).
 */
export interface ClassFact {
  base?: NameRef;
  /** `super(...)` arguments: a string, a constructor parameter (by index), or neither (null). */
  superArgs?: (string | { param: number } | null)[];
  /** `this.member = <parameter>` in the constructor: member → parameter index. */
  members?: Record<string, number>;
  /** Line of the `super(...)` call, else of the class. */
  line: number;
}

export interface PrismaUse {
  /** The client accessor (`orderItem` in `prisma.orderItem.findMany`). */
  accessor: string;
  access: Access;
  line: number;
  shape?: PrismaShape;
}

/** A Drizzle table or view declared here (`export const users = pgTable('users', …)`); `name` is the database's. */
export interface DrizzleTableFact {
  local: string;
  name: string;
  line: number;
}

/**
 * Drizzle relations of one table: `relations(users, ({ many }) => ({ posts: many(posts) }))` (bindings),
 * or `defineRelations(schema, (r) => ({ users: { posts: r.many.posts() } }))` (schema keys, `byKey`).
 */
export interface DrizzleRelationsFact {
  owner: NameRef;
  byKey?: true;
  relations: Record<string, { target: NameRef; through?: NameRef }>;
}

/** A parameter of a top-level function that a Drizzle query uses as its table (`function count({ db, table }) { db.select().from(table) }`). */
export interface TableParamFact {
  index: number;
  prop?: string;
  /** The parameter's name, for messages. */
  name: string;
  access: Access;
  line: number;
}

export interface DrizzleFacts {
  tables?: DrizzleTableFact[];
  relations?: DrizzleRelationsFact[];
  /** `drizzle(client, { schema: { key: table } })`: relational-query keys that are not export names. */
  schemaKeys?: Record<string, NameRef>;
  /** Top-level function (local name) → the parameters it queries as tables. */
  tableParams?: Record<string, TableParamFact[]>;
}

/** A database access whose table could not be read (a table name from a variable, an ORM we do not read). */
export interface TableGap {
  line: number;
  what: string;
}

export interface ImportBinding {
  from: string;
  /** Exported name, `default`, or `*` (namespace import / `require`). */
  name: string;
}

export interface TableFacts {
  known: KnownAccess[];
  uses: RefUse[];
  models: ModelFact[];
  associations: AssociationFact[];
  repositories: RepositoryClassFact[];
  classes?: Record<string, ClassFact>;
  prisma: PrismaUse[];
  gaps: TableGap[];
  drizzle?: DrizzleFacts;
  /** Only when the file holds uses or models: the bindings composing needs. */
  imports?: Record<string, ImportBinding>;
  /** Exported name → local name, for locally declared exports (`export default Pin`, `export class X`). */
  exports?: Record<string, string>;
  /** Top-level string constants, `NAME` and `NAME.member` (objects, enums), for other files' table names. */
  constants?: Record<string, string>;
  /**
   * CTE names of query builders here (`.with('ranked', …)`): not tables anywhere in the file (the query
   * joining one is often built in a helper beside the one declaring it, or in raw SQL inside it).
   */
  ctes?: string[];
  /** Project-wide settings seen here. */
  settings?: TableSettings;
}

export interface TableSettings {
  /** `new CamelCasePlugin()` (Kysely): camelCase names in code are snake_case in the database. */
  kyselyCamelCase?: true;
  /** `new Sequelize(..., { define: { freezeTableName, underscored } })`. */
  sequelizeFreeze?: true;
  sequelizeUnderscored?: true;
}

export function emptyTableFacts(): TableFacts {
  return { known: [], uses: [], models: [], associations: [], repositories: [], prisma: [], gaps: [] };
}

/** A fact record's own entry: the records are plain objects, so `imports['toString']` would otherwise find Object.prototype's function. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
