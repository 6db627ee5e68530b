/**
 * The ground-truth corpora: real open-source TypeScript backends at pinned commits. Their source never
 * enters this repository; `layout.ts` extracts each pinned commit from a local bare mirror into
 * bench/.corpora/truth/<name> (gitignored). What each app serves and which tables it touches was written
 * down by reading the source, in `<name>.truth.json` beside this file.
 */

export interface TruthCorpus {
  name: string;
  /** GitHub owner/name. */
  repo: string;
  /** The pinned commit (40 hex digits). */
  commit: string;
  /** The backend folder, relative to the repository root: what `strangler analyze` is pointed at. Truth paths are relative to it. */
  dir: string;
  /** The tsconfig handed to `--tsconfig`, relative to the repository root. */
  tsconfig: string;
  /** `--exclude` globs, relative to `dir`: tests and other code that is not the running backend. */
  exclude: string[];
  framework: string;
  orm: string;
  /**
   * Files the layout writes after extracting, relative to the repository root: only where the pinned tree
   * cannot be analyzed as checked out because it leans on an installed package (say why in `notes`).
   */
  write?: Record<string, string>;
  notes: string;
  /**
   * Added after the issue 8 analyzer work, by someone who had not seen the analyzer's code, and never shown
   * to the people who improved it: the scorer reports these apart ("held out") so the visible corpora's
   * figure cannot flatter the analyzer.
   */
  heldOut?: boolean;
}

const TESTS = ['**/*.spec.ts', '**/*.test.ts', '**/*.e2e-spec.ts'];

export const TRUTH_CORPORA: readonly TruthCorpus[] = [
  {
    name: 'unleash',
    repo: 'Unleash/unleash',
    commit: 'ceeb5a9ca6d0beb0cabf041d6a27ffd2d6501859',
    dir: 'src',
    tsconfig: 'tsconfig.json',
    exclude: [...TESTS, 'test/**', 'migrations/**', 'test-setup.ts', 'server-dev.ts'],
    framework: 'Express 5, routes through its own Controller base class (`this.route({ method, path, handler })`)',
    orm: 'knex (table names from constants)',
    notes: 'The frontend (frontend/) is not under src/. Routers are composed in src/lib/routes/* and mounted under a configurable baseUriPath (empty by default).',
  },
  {
    name: 'outline',
    repo: 'outline/outline',
    commit: 'd77dcdf853868c5d5fe125c895c9b71f0eff5c68',
    dir: 'server',
    tsconfig: 'tsconfig.json',
    exclude: [...TESTS, 'test/**', '__mocks__/**', 'migrations/**', 'scripts/**'],
    framework: 'Koa with koa-router (nested routers, `prefix`), koa-mount',
    orm: 'Sequelize through sequelize-typescript (`@Table`, model statics)',
    notes: 'The root tsconfig covers app/, shared/ and plugins/ too; only server/ is analyzed (imports of @shared/* leave it). Plugins under plugins/*/server register more routes: not in the truth.',
  },
  {
    name: 'logto',
    repo: 'logto-io/logto',
    commit: '1fbc55441fd28d9e3e7d69c1522e7654dccfe99c',
    dir: 'packages/core',
    tsconfig: 'packages/core/tsconfig.json',
    exclude: [...TESTS, 'src/__mocks__/**', 'src/test-utils/**', '*.config.ts', '*.setup.ts'],
    framework: 'Koa with koa-router (routers built per area and mounted under /api), koa-mount',
    orm: 'Slonik (`sql` tagged templates, identifiers from the schema package\'s table names)',
    write: {
      // packages/core/tsconfig.json extends "@silverhand/ts-config/tsconfig.base", an npm package the
      // uninstalled tree lacks; this is that package's tsconfig.base.json (silverhand-io/configs,
      // packages/ts-config), so TypeScript resolves `extends` exactly as in an installed checkout.
      'node_modules/@silverhand/ts-config/tsconfig.base.json': `${JSON.stringify(
        {
          compilerOptions: {
            target: 'es2022',
            esModuleInterop: true,
            allowSyntheticDefaultImports: true,
            strict: true,
            forceConsistentCasingInFileNames: true,
            noFallthroughCasesInSwitch: true,
            noUncheckedIndexedAccess: true,
            module: 'esnext',
            moduleResolution: 'nodenext',
            resolveJsonModule: true,
            isolatedModules: true,
            skipLibCheck: true,
            declaration: true,
          },
        },
        null,
        2,
      )}\n`,
    },
    notes: 'Table names come from @logto/schemas (packages/schemas, generated from SQL in packages/schemas/tables/*.sql), outside the analyzed folder. The tsconfig\'s `extends` package is written into node_modules by the layout (see `write`).',
  },
  {
    name: 'docmost',
    repo: 'docmost/docmost',
    commit: '549cf7c0053bb4f4c3c4e08d588b1f0c69297daf',
    dir: 'apps/server',
    tsconfig: 'apps/server/tsconfig.json',
    exclude: [...TESTS, 'test/**'],
    framework: 'NestJS on the Fastify adapter, setGlobalPrefix("api", { exclude })',
    orm: 'Kysely with CamelCasePlugin (repositories in src/database/repos)',
    notes: 'Enterprise code under src/ee is part of the tree when present.',
  },
  {
    name: 'hoppscotch',
    repo: 'hoppscotch/hoppscotch',
    commit: 'afc2cf181c16e56647b099e5d18cfe55710c6cdd',
    dir: 'packages/hoppscotch-backend',
    tsconfig: 'packages/hoppscotch-backend/tsconfig.json',
    exclude: [...TESTS, 'test/**'],
    framework: 'NestJS (Express), URI versioning per controller (`version: "1"`), GraphQL code-first resolvers',
    orm: 'Prisma (schema in prisma/schema.prisma, `@@map` not used for most models)',
    notes: 'Most of the API is GraphQL, served on /graphql.',
  },
  {
    name: 'ghostfolio',
    repo: 'ghostfolio/ghostfolio',
    commit: 'c542997d27990365b607c7a6c9fe4bc8835a55c8',
    dir: 'apps/api',
    tsconfig: 'apps/api/tsconfig.app.json',
    exclude: [...TESTS],
    framework: 'NestJS (Express), enableVersioning URI with defaultVersion "1", setGlobalPrefix("api", { exclude }), @Version',
    orm: 'Prisma (schema in prisma/schema.prisma at the repository root)',
    notes: 'apps/api/tsconfig.json is solution-style (files: [], references); tsconfig.app.json is the one the app builds with.',
  },
  {
    name: 'vendure',
    repo: 'vendure-ecommerce/vendure',
    commit: '1633446f4ee203e5e3fbca628bee952893bffa5b',
    dir: 'packages/core',
    tsconfig: 'packages/core/tsconfig.json',
    exclude: [...TESTS, 'e2e/**', 'mock-data/**', 'build/**'],
    framework: 'NestJS, GraphQL (schema-first .graphql files, @Resolver classes) on /admin-api and /shop-api, a few REST controllers',
    orm: 'TypeORM behind its own TransactionalConnection (`this.connection.getRepository(ctx, Entity)`)',
    notes: 'Its API is GraphQL: the truth lists 1 REST route (/health) and 45 operations. Entity tables follow TypeORM\'s DefaultNamingStrategy (snake_case of the class name; @ChildEntity rows in the parent\'s table).',
  },
  {
    name: 'storage',
    repo: 'supabase/storage',
    commit: '4fa61fba9371c4bd40cbb81509f07bcb3af21683',
    dir: '.',
    tsconfig: 'tsconfig.json',
    exclude: [...TESTS, 'src/test/**', 'migrations/**'],
    framework: 'Fastify (`register(plugin, { prefix })` nesting, route shorthands and `route({ method, url })`)',
    orm: 'raw SQL through pg (schema-qualified storage.* names in template literals, identifier helpers, CTEs)',
    notes: 'Supabase Storage API server. At this commit its database layer is raw SQL over pg (no knex); the admin server (src/admin-app.ts) is not in the truth.',
  },
  {
    name: 'flowise',
    repo: 'FlowiseAI/Flowise',
    commit: 'ababf4c8ebc0263e03aeeb917832251d3fd785e4',
    dir: 'packages/server',
    tsconfig: 'packages/server/tsconfig.json',
    exclude: [...TESTS, 'test/**'],
    framework: 'Express 4 (routers per area under src/routes, mounted at /api/v1)',
    orm: 'TypeORM (`appServer.AppDataSource.getRepository(Entity)`, entities in src/database/entities)',
    notes: 'The UI (packages/ui) and the node components (packages/components) are not analyzed.',
  },
  {
    name: 'hedgedoc',
    repo: 'hedgedoc/hedgedoc',
    // The last commit before the backend moved from TypeORM to knex (9539cfc4, 2025-11): TypeORM with
    // @InjectRepository is the form this corpus is here for.
    commit: '6aa16f4956176318d19b4965c784da5cc9a0ed52',
    dir: 'backend',
    tsconfig: 'backend/tsconfig.json',
    exclude: [...TESTS, 'test/**', 'src/migrations/**', 'src/seed.ts', 'src/ormconfig.ts', '**/*.mock.ts', '**/test-utils/**', '**/mock-*.ts'],
    framework: 'NestJS (Express), `RouterModule.register(routes)` prefixes (/api/v2, /api/private, /media) over nested modules',
    orm: 'TypeORM through `@InjectRepository(Entity) Repository<Entity>`, entities with @Entity() (DefaultNamingStrategy), many-to-many join tables',
    write: {
      // backend/tsconfig.json extends "@tsconfig/node18/tsconfig.json", an npm package the uninstalled
      // tree lacks; this is that package's tsconfig.json at the version backend/package.json pins (18.2.4).
      'backend/node_modules/@tsconfig/node18/tsconfig.json': `${JSON.stringify(
        {
          _version: '18.2.0',
          compilerOptions: { lib: ['es2023'], module: 'node16', target: 'es2022', strict: true, esModuleInterop: true, skipLibCheck: true, moduleResolution: 'node16' },
        },
        null,
        2,
      )}\n`,
    },
    notes: 'HedgeDoc 2 backend (the collaborative markdown editor). The frontend (frontend/) and the shared commons package are not analyzed.',
    heldOut: true,
  },
  {
    name: 'papra',
    repo: 'papra-hq/papra',
    commit: '2b110a4ce175cddfd18f3f4c44c16068037542c8',
    dir: 'apps/papra-server',
    tsconfig: 'apps/papra-server/tsconfig.json',
    exclude: [...TESTS, 'test/**', 'src/migrations/**', 'src/scripts/**', '**/*.test-utils.ts', '*.config.ts'],
    framework: 'Hono: `setupXRoutes({ app, ... })` functions registering `app.get/post/...` with full paths',
    orm: 'Drizzle (`sqliteTable(\'name\', ...)` tables; `db.select().from(t)`, `db.insert(t)`, `db.update(t)`, `db.delete(t)`, joins) behind repository factories',
    notes: 'Papra document-archiving server. The client (apps/papra-client) and the workspace packages are not analyzed.',
    heldOut: true,
  },
  {
    name: 'tianji',
    repo: 'msgbyte/tianji',
    commit: '1a7907ffb281db76570f2f12469267db431263c6',
    dir: 'src/server',
    tsconfig: 'src/server/tsconfig.json',
    exclude: [...TESTS, 'tests/**', '**/__test__/**', 'prisma/scripts/**', 'clickhouse/scripts/**'],
    framework: 'Express 4 (`app.use(\'/api/x\', router)` mounts of express Routers) beside tRPC procedures exposed as REST by trpc-to-openapi under /open',
    orm: 'Prisma (schema in src/server/prisma/schema.prisma, no `@@map`: tables are the model names), `$transaction` clients, nested writes, `$queryRaw` templates',
    notes: 'Tianji (website analytics, uptime monitor, telemetry). The client (src/client) is not analyzed.',
    heldOut: true,
  },
];

export function corpusByName(name: string): TruthCorpus | undefined {
  return TRUTH_CORPORA.find((c) => c.name === name);
}
