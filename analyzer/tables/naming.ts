import { pluralize, underscore } from 'inflection';

/**
 * Default table names of the ORMs, when the code does not name the table itself, computed the way
 * each ORM computes them.
 */

/**
 * Sequelize: the model name pluralized with the `inflection` package (the one Sequelize uses:
 * `Category` → `Categories`, `Person` → `People`), underscored with `underscored: true`, or the name
 * itself with `freezeTableName: true`.
 */
export function sequelizeDefaultTableName(modelName: string, options: { freezeTableName?: boolean; underscored?: boolean } = {}): string {
  if (options.freezeTableName) return modelName;
  const plural = pluralize(modelName);
  return options.underscored ? underscore(plural) : plural;
}

/** TypeORM's DefaultNamingStrategy: the entity class name in snake_case (`OrderItem` → `order_item`). */
export function typeormDefaultTableName(className: string): string {
  // the same expression TypeORM's StringUtils.snakeCase uses
  return className.replace(/(?:([a-z])([A-Z]))|(?:((?!^)[A-Z])([a-z]))/g, '$1_$3$2$4').toLowerCase();
}

/** TypeORM's default many-to-many join table: `snakeCase(<owner table>_<property>_<other table>)`. */
export function typeormJoinTableName(ownerTable: string, property: string, otherTable: string): string {
  return typeormDefaultTableName(`${ownerTable}_${property.replace(/\./g, '_')}_${otherTable}`);
}

/**
 * Prisma's client accessor (`prisma.orderItem`) is the model name with a lower-case first letter;
 * without schema.prisma, the table is taken to be the model name.
 */
export function prismaModelTable(accessor: string): string {
  return accessor.charAt(0).toUpperCase() + accessor.slice(1);
}

/**
 * Kysely's CamelCasePlugin (default options): `userAccount` → `user_account`; an upper-case letter
 * right after another one gets no underscore (`fooBAR` → `foo_bar`).
 */
export function kyselySnakeCase(name: string): string {
  if (name.length === 0) return name;
  const upper = name.toUpperCase();
  const lower = name.toLowerCase();
  let out = lower[0];
  for (let i = 1; i < name.length; i++) {
    const c = name[i];
    const isUpper = c === upper[i] && upper[i] !== lower[i];
    const prevUpper = name[i - 1] === upper[i - 1] && upper[i - 1] !== lower[i - 1];
    out += isUpper ? (prevUpper ? lower[i] : `_${lower[i]}`) : c;
  }
  return out;
}

/** `users as u` → `users`, `public.users` → `users`; undefined for what is not a plain name. */
export function plainTableName(text: string): string | undefined {
  const name = text.trim().split(/\s+as\s+|\s+/i)[0].replace(/^(?:public|main|dbo)\./, '');
  return /^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?$/.test(name) ? name : undefined;
}
