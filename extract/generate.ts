/**
 * Fills the virtual tree with the service: code, package files, the generated entry point and data
 * scripts (templates in ./templates), container, Kubernetes, compose and CI files, MIGRATION.md and
 * the facade route entries. Pure: reads the plan, writes only into the tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { stringify } from 'yaml';
import { serviceCode, type Rewrite } from './code';
import { composeFile } from './manifests/compose';
import { kubernetesManifests } from './manifests/kubernetes';
import { facadeRoutes, type RouteEntry } from './facade-routes';
import { importOf } from './source/composition';
import { ROOT_SLACK, type ExtractPlan, type ServiceModule } from './plan';
import type { Tree } from './tree';

export const SERVICE_PORT = 8080;
export const DEFAULT_BASE_IMAGE = 'node:20-bookworm-slim';
const SECRET = /SECRET|PASSWORD|PASSWD|PRIVATE_KEY|CREDENTIAL|API_?KEY|_TOKEN$/;

const TEMPLATES = [path.join(__dirname, 'templates'), path.join(__dirname, '..', '..', 'extract', 'templates')].find((d) => fs.existsSync(d))!;

function render(file: string, data: Record<string, unknown>): string {
  return ejs.render(fs.readFileSync(path.join(TEMPLATES, file), 'utf8'), data, { filename: path.join(TEMPLATES, file), escape: (s: unknown) => String(s) });
}

export interface Generated {
  rewrites: Rewrite[];
  routes: RouteEntry[];
  secrets: string[];
  files: string[];
}

export interface GenerateOptions {
  /** The service directory relative to the repository the CI workflow runs in (for `paths:` filters). */
  dirInRepo: string;
  /** Where the monolith's SQLite file is in the monolith's container (for compose and Kubernetes). */
  monolithDbFile: string;
  /** Relative path from the out dir to the monolith's folder and to strangler's own folder (for compose). */
  monolithDir: string;
  stranglerDir: string;
  serviceUrl: string;
}

export function generate(plan: ExtractPlan, tree: Tree, opts: GenerateOptions): Generated {
  const code = serviceCode(plan);
  for (const [id, text] of code.files) tree.write(id, text);
  const esm = plan.moduleType === 'module';
  const ext = esm ? '.js' : '';
  const name = plan.name;
  const sharedNames = plan.shared.map((t) => t.name);
  const ownedNames = plan.owned.map((t) => t.name);
  const secrets = plan.env.filter((e) => SECRET.test(e));
  const sqlite = plan.database.sqlite;
  const defaultDatabase = `data/${name}.db`;

  // the entry point: the pruned composition root, or the routers mounted on a plain app
  const comp = plan.composition;
  const imports: string[] = [];
  let mount: string;
  if (comp.root && comp.factory) {
    const spec = `../${comp.root.replace(/\.[cm]?tsx?$/, esm ? '.js' : '')}`;
    imports.push(`import { ${comp.factory.name} } from '${spec}';`);
    if (comp.factory.kind === 'value') mount = `app.use(${comp.factory.name});`;
    else {
      const opts2 = comp.factory.options;
      if (opts2 === null) throw new Error(`extract: ${comp.root}: ${comp.factory.name} takes several parameters; extract passes one options object`);
      const required = opts2.filter((o) => !o.optional && !o.database);
      if (required.length) throw new Error(`extract: ${comp.root}: ${comp.factory.name} needs ${required.map((o) => o.name).join(', ')}, which extract cannot provide (it provides the database)`);
      const dbOpt = opts2.find((o) => o.database);
      mount = `// the monolith's own app, with this service's routers only (see MIGRATION.md)\napp.use(${comp.factory.name}(${dbOpt ? `{ ${dbOpt.name}: db }` : ''}));`;
    }
  } else {
    imports.push(...comp.mounts.map((m) => importOf(m.router, `../${m.router.module.replace(/\.[cm]?tsx?$/, ext)}`)));
    const around = plan.app.notApplied.length ? `\n// the monolith applies ${plan.app.notApplied.length} more middleware and settings around these routers: see MIGRATION.md (The app)` : '';
    mount = [`// the service's own app: ${plan.app.reason}${around}`, 'app.use(express.json());', ...comp.mounts.map((m) => `app.use('${m.prefix}', ${m.router.name});`)].join('\n');
  }
  const common = { name, candidate: plan.candidate.name, ext, port: SERVICE_PORT, defaultDatabase, dirname: esm ? 'import.meta.dirname' : '__dirname', sqlite, dataLibraries: plan.database.libraries, lock: Boolean(plan.packages.lock) };
  tree.write('service/server.ts', render('service/server.ts.ejs', { ...common, imports, mount }));
  // the service's own SQLite file, its migrations and copy-data: only where the monolith's data is SQLite's
  if (sqlite) {
    tree.write('service/database.ts', render('service/database.ts.ejs', { ...common, shared: sharedNames, owned: ownedNames }));
    tree.write(
      'service/migrations.ts',
      render('service/migrations.ts.ejs', { ...common, statements: plan.schema.statements, order: plan.schema.order, escape: (s: string) => s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') }),
    );
    tree.write('service/copy-data.ts', render('service/copy-data.ts.ejs', { ...common, order: plan.schema.order }));
  }
  tree.write('service/smoke.test.ts', render('service/smoke.test.ts.ejs', common));

  tree.write('package.json', `${JSON.stringify(packageJson(plan), null, 2)}\n`);
  if (plan.packages.lock) tree.write('package-lock.json', `${JSON.stringify(plan.packages.lock, null, 2)}\n`);
  tree.write('tsconfig.json', `${JSON.stringify(tsconfig(plan), null, 2)}\n`);
  tree.write('.gitignore', 'node_modules\ndist\ndata\n');
  tree.write('Dockerfile', render('Dockerfile.ejs', { ...common, baseImage: DEFAULT_BASE_IMAGE, native: plan.nativePackages, shared: sharedNames.length > 0, monolithDbFile: opts.monolithDbFile, secrets }));
  tree.write('.dockerignore', render('dockerignore.ejs', common));

  const k8s = kubernetesManifests(plan, { port: SERVICE_PORT, sqlite, secrets, monolithDbFile: opts.monolithDbFile });
  for (const [file, doc] of Object.entries(k8s)) tree.write(`k8s/${file}`, typeof doc === 'string' ? doc : stringify(doc));

  const routes = facadeRoutes(plan);
  tree.write('routes.yaml', routesFragment(plan, routes, opts.serviceUrl));
  tree.write('compose.yaml', stringify(composeFile(plan, { port: SERVICE_PORT, ...opts, secrets, routes, sqlite })));
  tree.write('compose.routes.yaml', stringify(composeRoutes(plan, routes)));
  tree.write(`.github/workflows/${name}.yml`, render('workflow.yml.ejs', { ...common, dir: opts.dirInRepo }));

  tree.write('MIGRATION.md', migrationDoc(plan, code.rewrites, secrets, sqlite, defaultDatabase));
  tree.write('README.md', render('README.md.ejs', common));
  tree.write('strangler.service.json', `${JSON.stringify(serviceManifest(plan, routes, secrets), null, 2)}\n`);
  return { rewrites: code.rewrites, routes, secrets, files: tree.changes().map((c) => c.path) };
}

function packageJson(plan: ExtractPlan): Record<string, unknown> {
  return {
    name: `${plan.name}-service`,
    version: '1.0.0',
    private: true,
    description: `${plan.candidate.name} of the monolith, as its own service (generated by strangler extract; see MIGRATION.md)`,
    ...(plan.moduleType === 'module' ? { type: 'module' } : {}),
    scripts: {
      build: 'tsc -p tsconfig.json',
      start: 'node dist/service/server.js',
      ...(plan.database.sqlite ? { 'copy-data': 'node dist/service/copy-data.js' } : {}),
      test: 'node --test dist/service/',
    },
    engines: { node: '>=20.12' },
    // npm 11 asks before running install scripts: native addons need theirs
    ...(plan.nativePackages.length ? { allowScripts: Object.fromEntries(plan.nativePackages.map((p) => [p, true])) } : {}),
    dependencies: plan.packages.dependencies,
    devDependencies: plan.packages.devDependencies,
  };
}

/** The monolith's compiler settings, minus what only the monolith needs (aliases, no-emit), plus an output folder. */
function tsconfig(plan: ExtractPlan): Record<string, unknown> {
  const pick = ['target', 'module', 'moduleResolution', 'lib', 'strict', 'esModuleInterop', 'resolveJsonModule', 'skipLibCheck', 'forceConsistentCasingInFileNames', 'experimentalDecorators', 'emitDecoratorMetadata', 'jsx', 'noImplicitAny', 'strictNullChecks'];
  const raw = readTsconfigOptions(plan);
  const compilerOptions: Record<string, unknown> = {};
  for (const k of pick) if (raw[k] !== undefined) compilerOptions[k] = raw[k];
  Object.assign(compilerOptions, { rootDir: '.', outDir: 'dist', noEmit: false, sourceMap: true, types: ['node'] });
  return { compilerOptions, include: ['src', 'service'] };
}

function readTsconfigOptions(plan: ExtractPlan): Record<string, unknown> {
  if (!plan.report.tsconfig) return { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true };
  // the tsconfig as written (with extends resolved by TypeScript), so enum values stay the strings a person wrote
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const file = path.join(plan.report.root, plan.report.tsconfig);
  const read = ts.readConfigFile(file, ts.sys.readFile);
  let options = (read.config?.compilerOptions ?? {}) as Record<string, unknown>;
  let ext = read.config?.extends as string | undefined;
  let dir = path.dirname(file);
  while (typeof ext === 'string' && ext.startsWith('.')) {
    const parent = path.resolve(dir, ext.endsWith('.json') ? ext : `${ext}.json`);
    const r = ts.readConfigFile(parent, ts.sys.readFile);
    options = { ...(r.config?.compilerOptions ?? {}), ...options };
    ext = r.config?.extends;
    dir = path.dirname(parent);
  }
  return options;
}

function routesFragment(plan: ExtractPlan, routes: RouteEntry[], serviceUrl: string): string {
  return [
    `# The facade route entries for ${plan.name} (weight 0, shadowed), added to the routes config by strangler extract --routes.`,
    `# Merge them into routes.yaml by hand, or run: strangler extract ${plan.candidate.id} --routes routes.yaml ...`,
    stringify({ services: { [plan.name]: { urls: [serviceUrl], healthCheck: { path: '/health' } } }, routes }),
  ].join('\n');
}

function composeRoutes(plan: ExtractPlan, routes: RouteEntry[]): Record<string, unknown> {
  return {
    listen: { host: '0.0.0.0', port: 8080 },
    legacy: { urls: ['http://monolith:3000'], healthCheck: { path: '/health' } },
    services: { [plan.name]: { urls: [`http://${plan.name}:${SERVICE_PORT}`], healthCheck: { path: '/health' } } },
    routes,
    admin: { host: '0.0.0.0', port: 8081, tokenEnv: 'STRANGLER_ADMIN_TOKEN' },
  };
}

function serviceManifest(plan: ExtractPlan, routes: RouteEntry[], secrets: string[]): Record<string, unknown> {
  return {
    name: plan.name,
    candidate: plan.candidate.id,
    port: SERVICE_PORT,
    image: `localhost/${plan.name}:dev`,
    database: { path: `/data/${plan.name}.db`, owned: plan.owned.map((t) => t.name), shared: plan.shared.map((t) => t.name) },
    secrets,
    routes: plan.candidate.routes.map((r) => ({ method: r.method, path: r.path })),
    facadeRoutes: routes.map((r) => r.name),
  };
}

function migrationDoc(plan: ExtractPlan, rewrites: Rewrite[], secrets: string[], sqlite: boolean, defaultDatabase: string): string {
  const why = (m: ServiceModule): string => {
    if (m.role === 'moved') return 'the candidate';
    if (m.role === 'root') return 'the composition root: the service runs the monolith\'s own app';
    if (m.role === 'types') return 'imported for types only (erased at runtime)';
    const parts: string[] = [];
    if (m.tables.length) parts.push(`touches ${m.tables.map((t) => `${t.name} (${t.access})`).join(', ')}: ${m.tables.every((t) => plan.owned.some((o) => o.name === t.name)) ? 'owned by the service now' : 'shared database'}`);
    if (m.state.length) parts.push(`process state: ${m.state.join('; ')}`);
    return parts.length ? parts.join('; ') : 'pure code (no tables, no process state)';
  };
  const debt: string[] = [];
  for (const t of plan.shared)
    debt.push(
      `Shared table \`${t.name}\`: the service ${[...new Set(t.service.map((s) => (s.access === 'write' ? 'writes' : 'reads')))].join(' and ')} it in the monolith's database. ` +
        (t.monolithWriters.length ? `The monolith writes it (${t.monolithWriters.join(', ')}): ` : '') +
        'give it one owner and an API, then drop MONOLITH_DATABASE_PATH.',
    );
  for (const b of plan.boundary.filter((x) => x.decision === 'shared-database' && x.servedOn.length))
    debt.push(`\`${b.from}:${b.line}\` uses ${b.names.join(', ')} from \`${b.to}\` (shared data); the monolith serves it on ${b.servedOn.map((r) => `GET ${r.path} (${r.module}:${r.line})`).join(', ')}: call that route through a typed HTTP client instead.`);
  for (const m of plan.modules.filter((x) => x.state.length)) debt.push(`\`${m.id}\` holds process state (${m.state.join('; ')}): the monolith and the service each have their own now.`);
  for (const c of plan.schema.cut) debt.push(`\`${c.table}.${c.column}\` referenced \`${c.references}\` in the monolith: nothing enforces it across the two databases.`);
  for (const w of plan.warnings) debt.push(w);
  return render('MIGRATION.md.ejs', {
    app: plan.app,
    rootSlack: ROOT_SLACK,
    packages: plan.packages,
    lockfileName: plan.packages.lockfile ? path.basename(plan.packages.lockfile) : '',
    dataLibraries: plan.database.libraries,
    name: plan.name,
    candidate: plan.candidate,
    report: plan.report,
    monolith: path.basename(plan.report.root),
    mounts: plan.composition.mounts,
    root: plan.composition.root,
    factoryName: plan.composition.factory?.name ?? '',
    dropped: plan.composition.dropped,
    modules: plan.modules,
    moved: plan.modules.filter((m) => m.role === 'moved'),
    copied: plan.modules.filter((m) => m.role === 'copied' || m.role === 'root'),
    types: plan.modules.filter((m) => m.role === 'types'),
    why,
    rewrites,
    boundary: plan.boundary,
    owned: plan.owned,
    schemaOf: (t: string) => plan.schema.statements.filter((s) => s.table === t.toLowerCase() && /^CREATE/i.test(s.sql)),
    cut: plan.schema.cut,
    shared: plan.shared,
    monolithChanges: plan.monolithChanges,
    debt,
    port: SERVICE_PORT,
    defaultDatabase,
    env: plan.env,
    secrets,
    sqlite,
  });
}
