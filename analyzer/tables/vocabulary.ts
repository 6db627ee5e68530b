import type { Access } from './facts';

/**
 * Operation names of the ORMs and query builders, and what each does to the table. The collector
 * records a call only when its name is here (or starts with a data verb); composing classifies it once
 * the ORM of the model is known.
 */

const set = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

/** Sequelize model statics. */
export const SEQUELIZE_STATIC_READS = set('findAll findOne findByPk findAndCountAll findAndCount count max min sum aggregate findOrBuild');
export const SEQUELIZE_STATIC_WRITES = set('create bulkCreate update destroy upsert truncate restore increment decrement findOrCreate findCreateFind');
/** Return the model again (`User.scope('active').findAll()`). */
export const SEQUELIZE_TRANSPARENT = set('scope unscoped schema');
/** Sequelize instance methods that touch the database (`set`, `get`, `toJSON` do not). */
export const SEQUELIZE_INSTANCE_WRITES = set('save update destroy restore increment decrement');
export const SEQUELIZE_INSTANCE_READS = set('reload');
/** sequelize-typescript relation helpers on an instance: the first argument names the relation. */
export const SEQUELIZE_RELATION_READS = set('$get $count $has');
export const SEQUELIZE_RELATION_WRITES = set('$set $add $remove $create');

/** TypeORM Repository / EntityManager / BaseEntity operations (`create` and `merge` only build objects). */
export const TYPEORM_READS = set(
  'find findBy findOne findOneBy findOneOrFail findOneByOrFail findAndCount findAndCountBy findByIds count countBy exist exists existsBy ' +
    'sum average minimum maximum preload findTrees findRoots findDescendants findDescendantsTree findAncestors findAncestorsTree ' +
    'countDescendants countAncestors',
);
/** Tree-repository reads that go through a closure table. */
export const TYPEORM_TREE_READS = set('findTrees findRoots findDescendants findDescendantsTree findAncestors findAncestorsTree countDescendants countAncestors');
export const TYPEORM_WRITES = set('save insert update upsert delete remove softDelete softRemove restore recover increment decrement clear');
/** Calls that hand back a repository of the entity among their arguments. */
export const REPOSITORY_GETTERS = set('getRepository getTreeRepository getMongoRepository getCustomRepository withRepository');
/** Query-builder joins; the `AndMap` ones take the property to map onto first. */
export const TYPEORM_JOINS = set(
  'leftJoin leftJoinAndSelect innerJoin innerJoinAndSelect leftJoinAndMapOne leftJoinAndMapMany innerJoinAndMapOne innerJoinAndMapMany',
);
export const TYPEORM_QB_WRITES = set('update insert delete softDelete restore');

export const PRISMA_READS = set('findMany findUnique findUniqueOrThrow findFirst findFirstOrThrow count aggregate groupBy');
export const PRISMA_WRITES = set('create createMany createManyAndReturn update updateMany updateManyAndReturn upsert delete deleteMany');

export const KNEX_WRITES = set('insert update del delete truncate upsert increment decrement');
export const KNEX_TABLE_METHODS = set('from into table');
export const KNEX_JOINS = set('join innerJoin leftJoin leftOuterJoin rightJoin rightOuterJoin fullOuterJoin crossJoin');
export const KNEX_SCHEMA = set('createTable createTableIfNotExists alterTable dropTable dropTableIfExists renameTable table');
/** Methods that start a knex query on an instance (`db.select(...).from(T)`). */
export const KNEX_STARTERS = set('select first from into table insert update del delete where count distinct pluck with withRecursive withMaterialized');
/** Names a knex instance conventionally goes by. */
export const KNEX_NAMES = set('knex db trx tx');

/** Kysely: the statement starters (their table is written, but `selectFrom`) and the reads around them. */
export const KYSELY_TARGETS = new Map<string, Access>([
  ['selectFrom', 'read'],
  ['insertInto', 'write'],
  ['replaceInto', 'write'],
  ['updateTable', 'write'],
  ['deleteFrom', 'write'],
  ['mergeInto', 'write'],
]);
export const KYSELY_READS = set(
  'innerJoin leftJoin rightJoin fullJoin crossJoin innerJoinLateral leftJoinLateral crossJoinLateral using from',
);
export const KYSELY_CTES = set('with withRecursive withMaterialized withNotMaterialized');

/** A method name made of a data verb: custom statics, repository methods and wrappers (`findByEmail`, `getEntityOrThrow`, `saveWithCtx`). */
const WRITE_VERB = /^(?:findOrCreate|save|create|insert|update|upsert|delete|remove|destroy|softDelete|softRemove|restore|increment|decrement|truncate|bulk[A-Z]\w*)(?![a-z])/;
const READ_VERB = /^(?:find|get|count|exists?|load|fetch|search|list|select|query|read)(?![a-z])/;
/** Calls that name an entity without touching its table. */
const NOT_DATA = /metadata|Metadata/;

export function verbAccess(op: string): Access | undefined {
  if (NOT_DATA.test(op)) return undefined;
  if (WRITE_VERB.test(op)) return 'write';
  if (READ_VERB.test(op)) return 'read';
  return undefined;
}

/** Whether the collector should record a call with this name on something that may be a model or repository. */
export function mayBeModelOp(op: string): boolean {
  return (
    SEQUELIZE_STATIC_READS.has(op) ||
    SEQUELIZE_STATIC_WRITES.has(op) ||
    SEQUELIZE_INSTANCE_WRITES.has(op) ||
    SEQUELIZE_INSTANCE_READS.has(op) ||
    SEQUELIZE_RELATION_READS.has(op) ||
    SEQUELIZE_RELATION_WRITES.has(op) ||
    TYPEORM_READS.has(op) ||
    TYPEORM_WRITES.has(op) ||
    verbAccess(op) !== undefined
  );
}
