/**
 * Default table names of the ORMs we read, when the code does not name the table itself.
 */

/**
 * Sequelize pluralizes model names by default (`User` → `Users`, via the `inflection` package). This
 * covers the regular English rules, not inflection's irregular words (person → people).
 */
export function sequelizeDefaultTableName(modelName: string): string {
  if (/[^aeiou]y$/i.test(modelName)) return `${modelName.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(modelName)) return `${modelName}es`;
  return `${modelName}s`;
}

/** TypeORM's DefaultNamingStrategy: the entity class name in snake_case (`OrderItem` → `order_item`). */
export function typeormDefaultTableName(className: string): string {
  // the same expression TypeORM's StringUtils.snakeCase uses
  return className.replace(/(?:([a-z])([A-Z]))|(?:((?!^)[A-Z])([a-z]))/g, '$1_$3$2$4').toLowerCase();
}

/**
 * Prisma's client accessor (`prisma.orderItem`) is the model name with a lower-case first letter; a
 * model's table is the model name unless `@@map` renames it (schema.prisma is not read).
 */
export function prismaModelTable(accessor: string): string {
  return accessor.charAt(0).toUpperCase() + accessor.slice(1);
}

export const PRISMA_READS = new Set(['findMany', 'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'count', 'aggregate', 'groupBy']);
export const PRISMA_WRITES = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany']);
