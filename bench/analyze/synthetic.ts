/**
 * A deterministic (seeded) generator of a large Express + TypeScript monolith for the analyzer benchmark.
 *
 * Shape, per domain folder: models (type-only cross-domain references), repositories (SQL strings on
 * the domain's tables, some joins on other domains' tables), validators, services (runtime imports of
 * other domains through their barrels, a few intra-domain cycles, dynamic `import()`s and `require`s),
 * handlers, express routers and barrels with `export *`. Shared code is reached through the tsconfig
 * `paths` aliases `@shared/*` and `@domains/*`. Same seed and size → byte-identical files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../../analyzer/rank/communities';

export const GENERATOR_VERSION = 1;

export interface SyntheticOptions {
  /** Minimum number of modules (.ts files); the generator rounds up to whole domains. */
  modules: number;
  seed: number;
}

export interface SyntheticResult {
  modules: number;
  domains: number;
  files: Map<string, string>;
}

/** Files outside the domain folders: src/shared/* (9), src/app.ts, src/server.ts, src/jobs/scheduler.ts. */
export const FIXED_MODULES = 12;
const COUNTS = { models: 12, repositories: 10, services: 16, handlers: 12, routers: 5, utils: 8, validators: 8 } as const;
/** models + repositories + services + handlers + routers + utils + validators + 4 barrels (domain, models, services, routes). */
export const MODULES_PER_DOMAIN =
  COUNTS.models + COUNTS.repositories + COUNTS.services + COUNTS.handlers + COUNTS.routers + COUNTS.utils + COUNTS.validators + 4;

const DOMAIN_NAMES = [
  'orders', 'customers', 'catalog', 'inventory', 'shipping', 'billing', 'payments', 'invoices', 'accounts', 'auth',
  'profiles', 'reviews', 'ratings', 'search', 'recommendations', 'notifications', 'messaging', 'feeds', 'posts', 'comments',
  'media', 'uploads', 'analytics', 'reports', 'audit', 'compliance', 'tax', 'pricing', 'promotions', 'coupons',
  'loyalty', 'subscriptions', 'carts', 'checkout', 'returns', 'warehouses', 'suppliers', 'purchasing', 'support', 'tickets',
  'chat', 'groups', 'events', 'calendar', 'scheduling', 'settings', 'admin', 'webhooks',
];
const ROUTE_SECTIONS = ['items', 'reports', 'admin', 'public', 'batch'];

// mulberry32, the same seeded PRNG the ranking uses for Louvain
const prng = seededRandom;

export function domainCount(modules: number): number {
  return Math.max(2, Math.ceil((modules - FIXED_MODULES) / MODULES_PER_DOMAIN));
}

function domainName(index: number): string {
  const base = DOMAIN_NAMES[index % DOMAIN_NAMES.length];
  const round = Math.floor(index / DOMAIN_NAMES.length);
  return round === 0 ? base : `${base}${round + 1}`;
}

const pascal = (s: string): string => s.replace(/(^|[-_])(\w)/g, (_m, _sep: string, c: string) => c.toUpperCase());
const camel = (s: string): string => {
  const p = pascal(s);
  return p.charAt(0).toLowerCase() + p.slice(1);
};
const upper = (s: string): string => s.replace(/-/g, '_').toUpperCase();

interface Domain {
  index: number;
  name: string;
  P: string;
  c: string;
  table: string;
}

/** Builds every file in memory (relative path → content); `writeSynthetic` puts them on disk. */
export function generateSynthetic(options: SyntheticOptions): SyntheticResult {
  const rand = prng(options.seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const chance = (p: number): boolean => rand() < p;
  const domainsN = domainCount(options.modules);
  const domains: Domain[] = Array.from({ length: domainsN }, (_, index) => {
    const name = domainName(index);
    return { index, name, P: pascal(name), c: camel(name), table: name.replace(/-/g, '_') };
  });
  // ~15% of domains reach "up" the layering to a later domain: that makes cross-domain cycles through barrels.
  const upward = new Set(domains.filter(() => chance(0.15)).map((d) => d.index));
  const files = new Map<string, string>();
  const put = (rel: string, lines: string[]): void => {
    files.set(rel, lines.join('\n') + '\n');
  };
  const other = (d: Domain, allowUp: boolean): Domain => {
    if (allowUp && d.index < domainsN - 1) return domains[d.index + 1 + int(domainsN - d.index - 1)];
    if (d.index === 0) return domains[1];
    return domains[int(d.index)];
  };
  /** Extra small functions so file sizes vary like real code does. */
  const helpers = (prefix: string, n: number): string[] => {
    const out: string[] = [];
    for (let k = 0; k < n; k++) {
      out.push(
        '',
        `export function ${prefix}Helper${k}(values: number[]): number {`,
        `  let acc = ${k};`,
        '  for (const value of values) {',
        `    acc = value > ${k * 3} ? acc + value : acc - value / ${k + 2};`,
        '  }',
        '  return Math.round(acc * 100) / 100;',
        '}',
      );
    }
    return out;
  };

  for (const d of domains) {
    const { P, c, name, table } = d;
    const base = `src/domains/${name}`;

    for (let i = 0; i < COUNTS.models; i++) {
      const lines = ["import type { Id, Timestamp } from '@shared/types';"];
      let related = '';
      if (chance(0.4)) {
        const o = other(d, chance(0.3));
        const m = int(COUNTS.models);
        lines.push(`import type { ${o.P}Record${m} } from '@domains/${o.name}/models';`);
        related = `  related?: ${o.P}Record${m};`;
      }
      lines.push(
        '',
        `/** A ${name} record (kind ${i}) as stored in the \`${table}\` tables. */`,
        `export interface ${P}Record${i} {`,
        '  id: Id;',
        '  name: string;',
        '  amount: number;',
        '  createdAt: Timestamp;',
        '  tags: string[];',
        ...(related ? [related] : []),
        '}',
        '',
        `export type ${P}Record${i}Input = Pick<${P}Record${i}, 'name' | 'amount'> & { tags?: string[] };`,
        '',
        `export const ${upper(name)}_RECORD${i}_FIELDS = ['id', 'name', 'amount', 'createdAt', 'tags'] as const;`,
        '',
        `export function describe${P}Record${i}(record: ${P}Record${i}): string {`,
        "  return `${record.name} (${record.amount.toFixed(2)})`;",
        '}',
        ...helpers(`${c}Record${i}`, int(3)),
      );
      put(`${base}/models/${name}-record-${i}.ts`, lines);
    }
    put(
      `${base}/models/index.ts`,
      Array.from({ length: COUNTS.models }, (_, i) => `export * from './${name}-record-${i}';`),
    );

    for (let i = 0; i < COUNTS.repositories; i++) {
      const lines = [
        "import { randomUUID } from 'node:crypto';",
        "import { db } from '@shared/db';",
        `import type { ${P}Record${i}, ${P}Record${i}Input } from '../models/${name}-record-${i}';`,
        '',
        "const COLUMNS = 'id, name, amount, created_at AS createdAt';",
        '',
        `export function find${P}Record${i}(id: string): ${P}Record${i} | undefined {`,
        `  return db.prepare(\`SELECT \${COLUMNS} FROM ${table} WHERE id = ?\`).get(id) as ${P}Record${i} | undefined;`,
        '}',
        '',
        `export function list${P}Record${i}(limit = 50): ${P}Record${i}[] {`,
        `  return db.prepare('SELECT id, name, amount, created_at AS createdAt FROM ${table}_items ORDER BY created_at DESC LIMIT ?').all(limit) as ${P}Record${i}[];`,
        '}',
        '',
        `export function save${P}Record${i}(input: ${P}Record${i}Input): string {`,
        '  const id = randomUUID();',
        `  db.prepare('INSERT INTO ${table} (id, name, amount, created_at) VALUES (?, ?, ?, ?)').run(id, input.name, input.amount, Date.now());`,
        '  for (const tag of input.tags ?? []) {',
        `    db.prepare('INSERT INTO ${table}_tags (record_id, tag) VALUES (?, ?)').run(id, tag);`,
        '  }',
        '  return id;',
        '}',
        '',
        `export function rename${P}Record${i}(id: string, name: string): number {`,
        `  return db.prepare('UPDATE ${table} SET name = ? WHERE id = ?').run(name, id).changes;`,
        '}',
        '',
        `export function remove${P}Record${i}(id: string): number {`,
        `  return db.prepare('DELETE FROM ${table}_events WHERE id = ?').run(id).changes;`,
        '}',
      ];
      if (chance(0.35)) {
        const o = other(d, false);
        lines.push(
          '',
          `export function count${P}Record${i}By${o.P}(otherId: string): number {`,
          `  const row = db.prepare('SELECT COUNT(*) AS n FROM ${table} t JOIN ${o.table} o ON o.id = t.${o.table}_id WHERE o.id = ?').get(otherId) as { n: number };`,
          '  return row.n;',
          '}',
        );
      }
      put(`${base}/repositories/${name}-repository-${i}.ts`, lines);
    }

    for (let i = 0; i < COUNTS.validators; i++) {
      put(`${base}/validators/${name}-validator-${i}.ts`, [
        `import type { ${P}Record${i}Input } from '../models';`,
        "import { ValidationError } from '@shared/errors';",
        '',
        `export function validate${P}Record${i}(input: unknown): ${P}Record${i}Input {`,
        `  if (typeof input !== 'object' || input === null) throw new ValidationError('${name} record ${i}: expected an object');`,
        '  const value = input as Record<string, unknown>;',
        `  if (typeof value.name !== 'string' || value.name.length === 0) throw new ValidationError('${name} record ${i}: name is required');`,
        `  if (typeof value.amount !== 'number' || !Number.isFinite(value.amount)) throw new ValidationError('${name} record ${i}: amount must be a number');`,
        "  const tags = Array.isArray(value.tags) ? value.tags.filter((t): t is string => typeof t === 'string') : [];",
        '  return { name: value.name, amount: value.amount, tags };',
        '}',
        ...helpers(`${c}Validator${i}`, int(2)),
      ]);
    }

    for (let u = 0; u < COUNTS.utils; u++) {
      const lines: string[] = [];
      if (u === 0) lines.push(`export * from './${name}-util-1';`, `export * from './${name}-util-2';`, '');
      if (chance(0.5)) lines.push("import { config } from '@shared/config';", '');
      const usesConfig = lines.some((l) => l.includes('@shared/config'));
      if (u === COUNTS.utils - 1) {
        // CommonJS style, as older corners of monoliths still are
        lines.push(`const { ${c}Checksum${u - 1} } = require('./${name}-util-${u - 1}') as { ${c}Checksum${u - 1}: (text: string) => number };`, '');
      }
      lines.push(
        `export function ${c}Format${u}(value: number): string {`,
        `  return \`\${${usesConfig ? 'config.currency' : "'EUR'"}} \${value.toFixed(2)}\`;`,
        '}',
        '',
        `export function ${c}Checksum${u}(text: string): number {`,
        `  let hash = ${u + 7};`,
        '  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;',
        u === COUNTS.utils - 1 ? `  return hash ^ ${c}Checksum${u - 1}(text);` : '  return hash;',
        '}',
        '',
        `export const ${upper(name)}_UTIL${u}_LIMIT = ${10 * (u + 1)};`,
        ...helpers(`${c}Util${u}`, int(4)),
      );
      put(`${base}/utils/${name}-util-${u}.ts`, lines);
    }

    for (let i = 0; i < COUNTS.services; i++) {
      const m = i % COUNTS.validators;
      const u = 1 + int(COUNTS.utils - 1);
      const lines = [
        `import { find${P}Record${m}, list${P}Record${m}, save${P}Record${m} } from '../repositories/${name}-repository-${m}';`,
        `import type { ${P}Record${m} } from '../models';`,
        `import { validate${P}Record${m} } from '../validators/${name}-validator-${m}';`,
        "import { logger } from '@shared/logger';",
        "import { NotFoundError } from '@shared/errors';",
      ];
      const body: string[] = [];
      if (chance(0.3)) {
        const o = other(d, upward.has(d.index) && chance(0.5));
        const k = int(COUNTS.services);
        lines.push(`import { ${o.P}Service${k} } from '@domains/${o.name}';`);
        body.push('', `  related(): number {`, `    return new ${o.P}Service${k}().list(10).length;`, '  }');
      }
      // Pairs (0,1), (5,6), (10,11): two services that call each other, a classic intra-domain cycle.
      const peer = i % 5 === 0 && i + 1 < COUNTS.services ? i + 1 : i % 5 === 1 ? i - 1 : -1;
      if (peer >= 0) {
        lines.push(`import { ${P}Service${peer} } from './${name}-service-${peer}';`);
        body.push('', '  peer(): number {', `    return new ${P}Service${peer}().list(1).length;`, '  }');
      }
      if (i % 4 === 3) {
        body.push(
          '',
          '  async exportReport(): Promise<string> {',
          `    const { ${c}Format${u} } = await import('../utils/${name}-util-${u}');`,
          `    return this.list().map((r) => ${c}Format${u}(r.amount)).join('\\n');`,
          '  }',
        );
      }
      if (i % 6 === 5) {
        lines.push('', `const checksum: (text: string) => number = require('../utils/${name}-util-${u}').${c}Checksum${u};`);
        body.push('', '  fingerprint(id: string): number {', '    return checksum(this.get(id).name);', '  }');
      }
      lines.push(
        '',
        `export class ${P}Service${i} {`,
        `  get(id: string): ${P}Record${m} {`,
        `    const record = find${P}Record${m}(id);`,
        `    if (!record) throw new NotFoundError(\`${name} record \${id}\`);`,
        '    return record;',
        '  }',
        '',
        `  list(limit = 50): ${P}Record${m}[] {`,
        `    return list${P}Record${m}(limit);`,
        '  }',
        '',
        '  create(input: unknown): string {',
        `    const id = save${P}Record${m}(validate${P}Record${m}(input));`,
        `    logger.info({ id }, '${name} record ${m} created');`,
        '    return id;',
        '  }',
        '',
        '  summarize(): { count: number; total: number } {',
        '    const records = this.list(1000);',
        '    return { count: records.length, total: records.reduce((sum, r) => sum + r.amount, 0) };',
        '  }',
        ...body,
        '}',
      );
      put(`${base}/services/${name}-service-${i}.ts`, lines);
    }
    put(
      `${base}/services/index.ts`,
      Array.from({ length: COUNTS.services }, (_, i) => `export * from './${name}-service-${i}';`),
    );

    for (let i = 0; i < COUNTS.handlers; i++) {
      put(`${base}/handlers/${name}-handler-${i}.ts`, [
        "import type { Request, Response, NextFunction } from 'express';",
        `import { ${P}Service${i} } from '../services/${name}-service-${i}';`,
        '',
        `const service = new ${P}Service${i}();`,
        '',
        `export async function ${c}Get${i}(req: Request, res: Response, next: NextFunction): Promise<void> {`,
        '  try {',
        '    res.json(service.get(String(req.params.id)));',
        '  } catch (err) {',
        '    next(err);',
        '  }',
        '}',
        '',
        `export async function ${c}List${i}(req: Request, res: Response, next: NextFunction): Promise<void> {`,
        '  try {',
        '    res.json(service.list(Number(req.query.limit ?? 50)));',
        '  } catch (err) {',
        '    next(err);',
        '  }',
        '}',
        '',
        `export async function ${c}Create${i}(req: Request, res: Response, next: NextFunction): Promise<void> {`,
        '  try {',
        '    res.status(201).json({ id: service.create(req.body) });',
        '  } catch (err) {',
        '    next(err);',
        '  }',
        '}',
      ]);
    }

    for (let r = 0; r < COUNTS.routers; r++) {
      const handlerIds = r === COUNTS.routers - 1 ? [2 * r, 2 * r + 1, 2 * r + 2, 2 * r + 3] : [2 * r, 2 * r + 1];
      const lines = ["import { Router } from 'express';", "import { requireAuth } from '@shared/http';"];
      for (const h of handlerIds) {
        lines.push(`import { ${c}Get${h}, ${c}List${h}, ${c}Create${h} } from '../handlers/${name}-handler-${h}';`);
      }
      lines.push('', `export const ${c}Router${r} = Router();`, '');
      for (const h of handlerIds) {
        lines.push(
          `${c}Router${r}.get('/record-${h}', ${c}List${h});`,
          `${c}Router${r}.get('/record-${h}/:id', ${c}Get${h});`,
          `${c}Router${r}.post('/record-${h}', requireAuth, ${c}Create${h});`,
        );
      }
      put(`${base}/routes/${name}-router-${r}.ts`, lines);
    }
    put(`${base}/routes/index.ts`, [
      "import { Router } from 'express';",
      ...Array.from({ length: COUNTS.routers }, (_, r) => `import { ${c}Router${r} } from './${name}-router-${r}';`),
      '',
      `export const ${c}Router = Router();`,
      ...Array.from({ length: COUNTS.routers }, (_, r) => `${c}Router.use('/${ROUTE_SECTIONS[r % ROUTE_SECTIONS.length]}', ${c}Router${r});`),
    ]);
    put(`${base}/index.ts`, ["export * from './models';", "export * from './services';", `export { ${c}Router } from './routes';`]);
  }

  put('src/shared/types.ts', ['export type Id = string;', '/** Milliseconds since the epoch. */', 'export type Timestamp = number;']);
  put('src/shared/config.ts', [
    'export const config = {',
    "  port: Number(process.env.PORT ?? 3000),",
    "  currency: process.env.CURRENCY ?? 'EUR',",
    "  databaseFile: process.env.DB_FILE ?? ':memory:',",
    '};',
  ]);
  put('src/shared/db.ts', [
    "import Database from 'better-sqlite3';",
    "import { config } from './config';",
    '',
    'export const db = new Database(config.databaseFile);',
    "db.pragma('journal_mode = WAL');",
  ]);
  put('src/shared/errors.ts', [
    'export class HttpError extends Error {',
    '  constructor(readonly status: number, message: string) {',
    '    super(message);',
    '  }',
    '}',
    '',
    'export class NotFoundError extends HttpError {',
    '  constructor(what: string) {',
    '    super(404, `${what} not found`);',
    '  }',
    '}',
    '',
    'export class ValidationError extends HttpError {',
    '  constructor(message: string) {',
    '    super(400, message);',
    '  }',
    '}',
  ]);
  put('src/shared/logger.ts', [
    'export const logger = {',
    '  info(fields: object, message: string): void {',
    '    process.stdout.write(JSON.stringify({ level: 30, ...fields, msg: message }) + "\\n");',
    '  },',
    '  error(fields: object, message: string): void {',
    '    process.stderr.write(JSON.stringify({ level: 50, ...fields, msg: message }) + "\\n");',
    '  },',
    '};',
  ]);
  put('src/shared/http.ts', [
    "import type { Request, Response, NextFunction } from 'express';",
    "import { HttpError } from './errors';",
    "import { logger } from './logger';",
    '',
    'export function requireAuth(req: Request, res: Response, next: NextFunction): void {',
    "  if (!req.headers.authorization) {",
    "    res.status(401).json({ error: 'authorization required' });",
    '    return;',
    '  }',
    '  next();',
    '}',
    '',
    'export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {',
    '  const status = err instanceof HttpError ? err.status : 500;',
    "  if (status === 500) logger.error({ err: String(err) }, 'unhandled');",
    '  res.status(status).json({ error: err instanceof Error ? err.message : String(err) });',
    '}',
  ]);
  put('src/shared/cache.ts', [
    'const entries = new Map<string, { value: unknown; expires: number }>();',
    '',
    'export function cached<T>(key: string, ttlMs: number, load: () => T): T {',
    '  const hit = entries.get(key);',
    '  if (hit && hit.expires > Date.now()) return hit.value as T;',
    '  const value = load();',
    '  entries.set(key, { value, expires: Date.now() + ttlMs });',
    '  return value;',
    '}',
  ]);
  put('src/shared/events.ts', [
    "import { EventEmitter } from 'node:events';",
    '',
    'export const events = new EventEmitter();',
  ]);
  put('src/shared/index.ts', [
    "export * from './types';",
    "export * from './config';",
    "export * from './errors';",
    "export * from './logger';",
    "export * from './http';",
    "export * from './cache';",
    "export * from './events';",
  ]);
  put('src/app.ts', [
    "import express from 'express';",
    "import { errorHandler } from '@shared/http';",
    ...domains.map((d) => `import { ${d.c}Router } from '@domains/${d.name}';`),
    '',
    'export const app = express();',
    'app.use(express.json());',
    ...domains.map((d) => `app.use('/api/${d.name}', ${d.c}Router);`),
    'app.use(errorHandler);',
  ]);
  put('src/server.ts', [
    "import { app } from './app';",
    "import { config } from '@shared/config';",
    "import { logger } from '@shared/logger';",
    '',
    'app.listen(config.port, () => {',
    "  logger.info({ port: config.port }, 'listening');",
    '});',
  ]);
  const jobs = domains.map((d) => {
    const k = COUNTS.services - 1 - int(4);
    return [
      `  {`,
      `    const { ${d.P}Service${k} } = await import('../domains/${d.name}/services/${d.name}-service-${k}');`,
      `    total += new ${d.P}Service${k}().summarize().count;`,
      '  }',
    ];
  });
  put('src/jobs/scheduler.ts', [
    '/** Nightly jobs load each domain lazily so the web process does not pay for them. */',
    'export async function runNightly(): Promise<number> {',
    '  let total = 0;',
    ...jobs.flat(),
    '  return total;',
    '}',
  ]);

  return { modules: files.size, domains: domainsN, files };
}

export const SYNTHETIC_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'commonjs',
    moduleResolution: 'node10',
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    baseUrl: '.',
    paths: { '@shared/*': ['src/shared/*'], '@domains/*': ['src/domains/*'] },
    types: ['node'],
  },
  include: ['src'],
};

/** Writes the corpus (sources + tsconfig.json + package.json) into an empty or absent `dir`. */
export function writeSynthetic(dir: string, options: SyntheticOptions): SyntheticResult {
  const result = generateSynthetic(options);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of result.files) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(SYNTHETIC_TSCONFIG, null, 2) + '\n');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      { name: 'synthetic-monolith', private: true, version: '0.0.0', dependencies: { 'better-sqlite3': '^12.0.0', express: '^5.0.0' } },
      null,
      2,
    ) + '\n',
  );
  return result;
}
