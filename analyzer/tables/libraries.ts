import fs from 'node:fs';
import path from 'node:path';

/**
 * The data libraries whose access forms the collector reads. Raw SQL in strings is always read; the
 * other forms only when the project uses the library: a `db('users')` call is a knex table only in a
 * project with knex, `x.selectFrom('t')` Kysely only with Kysely, `User.findAll()` a model only with
 * an ORM that declares models. This is what keeps the walk off library code like effect or rxjs.
 */
export interface DataLibraries {
  knex: boolean;
  kysely: boolean;
  prisma: boolean;
  /** TypeORM or Sequelize (with their Nest modules): model classes, repositories, query builders. */
  orm: boolean;
  /** Drizzle ORM: `pgTable('x')` / `sqliteTable` / `mysqlTable` declarations, query builders, relational queries. */
  drizzle: boolean;
}

export const ALL_LIBRARIES: DataLibraries = { knex: true, kysely: true, prisma: true, orm: true, drizzle: true };
export const NO_LIBRARIES: DataLibraries = { knex: false, kysely: false, prisma: false, orm: false, drizzle: false };

const KEYS = Object.keys(ALL_LIBRARIES) as (keyof DataLibraries)[];

const PACKAGES: Record<keyof DataLibraries, string[]> = {
  knex: ['knex'],
  kysely: ['kysely'],
  prisma: ['@prisma/client', 'prisma'],
  orm: ['typeorm', '@nestjs/typeorm', 'sequelize', 'sequelize-typescript', '@nestjs/sequelize'],
  drizzle: ['drizzle-orm'],
};

function fromNames(names: Iterable<string>): DataLibraries {
  const set = new Set(names);
  const out = { ...NO_LIBRARIES };
  for (const key of KEYS) out[key] = PACKAGES[key].some((p) => set.has(p));
  return out;
}

/**
 * The libraries the project declares: dependencies of every package.json from the analyzed directory
 * up to the file system root (a workspace package, then the monorepo root). A prediction, made before
 * parsing; `missedLibraries` checks it against the imports parsing found.
 */
export function declaredLibraries(root: string): DataLibraries {
  const names: string[] = [];
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        const deps = pkg[field];
        if (deps && typeof deps === 'object') names.push(...Object.keys(deps));
      }
    } catch {
      // no package.json here, or an unreadable one: nothing declared at this level
    }
    if (dir === path.dirname(dir)) break;
  }
  return fromNames(names);
}

/**
 * The libraries the parsed files import (packages, and a generated Prisma client imported by path),
 * minus those already read: non-empty when the prediction missed one, so the files must be read again.
 */
export function missedLibraries(read: DataLibraries, modules: Iterable<{ packages: ReadonlySet<string>; imports: readonly { specifier: string }[] }>): DataLibraries | undefined {
  const names = new Set<string>();
  let prismaPath = false;
  for (const m of modules) {
    for (const p of m.packages) names.add(p);
    if (!read.prisma && !prismaPath) prismaPath = m.imports.some((i) => i.specifier.includes('prisma') || i.specifier.includes('Prisma'));
  }
  const used = fromNames(names);
  if (prismaPath) used.prisma = true;
  if (!KEYS.some((k) => used[k] && !read[k])) return undefined;
  const out = { ...NO_LIBRARIES };
  for (const k of KEYS) out[k] = read[k] || used[k];
  return out;
}

export function anyLibrary(libs: DataLibraries): boolean {
  return KEYS.some((k) => libs[k]);
}

/** A key for a set of libraries (cached facts are valid for the key they were read with); undefined stands for all. */
export function librariesKey(libs: DataLibraries | undefined): string {
  const l = libs ?? ALL_LIBRARIES;
  return KEYS.map((k) => +l[k]).join('');
}
