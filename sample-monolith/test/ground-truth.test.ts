import fs from 'node:fs';
import path from 'node:path';
import { listTablesForTest } from './support/schema';
import { startApp, type TestApp } from './helpers';
import { createApp } from '../src/app';
import { openDatabase } from '@shared/db';
import { loadConfig } from '@shared/config';
import { servedRoutes } from './support/router-walk';
import { sourceFacts, MONOLITH_ROOT, type SourceFacts } from './support/source-facts';

interface GroundTruth {
  runtimeCycles: string[][];
  typeOnlyCycles: string[][];
  routes: { method: string; path: string; module: string }[];
  tables: { name: string; readers: string[]; writers: string[] }[];
  tableDefinitions: { name: string; module: string }[];
  edges: { from: string; to: string; kind: string; line: number; specifier: string }[];
  domains: { name: string; modules: string[] }[];
  bestFirstExtraction: string;
}

const truth: GroundTruth = JSON.parse(fs.readFileSync(path.join(MONOLITH_ROOT, 'ground-truth.json'), 'utf8'));
const key = (r: { method: string; path: string; module?: string }) => `${r.method} ${r.path}${r.module ? ` ${r.module}` : ''}`;

describe('ground-truth.json against the running app', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startApp();
    admin = await t.login('admin@shop.test');
  });
  afterAll(() => t.close());

  it('lists exactly the routes the app serves, each with the module that registers it', () => {
    const app = createApp({ db: openDatabase(':memory:'), config: loadConfig({ NODE_ENV: 'test' }) });
    expect(servedRoutes(app).map((r) => key(r)).sort()).toEqual(truth.routes.map((r) => key(r)).sort());
    expect(truth.routes.length).toBeGreaterThanOrEqual(40);
  });

  it('every listed route answers its method over HTTP, and the same path with another method does not', async () => {
    const fill = (p: string) => p.replace(':slug', 'coffee').replace(/:[A-Za-z]+/g, '2');
    // Destructive routes last (logout at the very end), so the admin session and the seeded rows survive the others.
    const weight = (r: { method: string; path: string }) => (r.path === '/api/auth/logout' ? 2 : r.method === 'DELETE' ? 1 : 0);
    const ordered = [...truth.routes].sort((a, b) => weight(a) - weight(b));
    for (const route of ordered) {
      const url = fill(route.path);
      const wrong = await t.request('PATCH', url, { token: admin, body: {} });
      expect(`${url} PATCH → ${wrong.body?.error?.code}`).toBe(`${url} PATCH → ROUTE_NOT_FOUND`);
      const r = await t.request(route.method, url, { token: admin, body: route.method === 'GET' ? undefined : {} });
      expect(`${route.method} ${url} → ${r.status} ${r.body?.error?.code ?? ''}`).not.toMatch(/ROUTE_NOT_FOUND/);
    }
  });

  it('lists exactly the tables the migrations create, each defined where it says', () => {
    expect(listTablesForTest(t.db)).toEqual(truth.tables.map((x) => x.name).sort());
    expect(truth.tableDefinitions.map((x) => x.name)).toEqual(truth.tables.map((x) => x.name));
    for (const table of truth.tableDefinitions) {
      expect(fs.readFileSync(path.join(MONOLITH_ROOT, table.module), 'utf8')).toMatch(new RegExp(`CREATE TABLE (IF NOT EXISTS )?${table.name} \\(`));
    }
  });
});

describe('ground-truth.json against the source', () => {
  let facts: SourceFacts;
  beforeAll(() => {
    facts = sourceFacts();
  });

  it('has the runtime cycles and the type-only cycle the import graph has', () => {
    expect(facts.runtimeCycles).toEqual(truth.runtimeCycles);
    expect(facts.typeOnlyCycles).toEqual(truth.typeOnlyCycles);
    expect(truth.runtimeCycles).toContainEqual(['src/orders/orders.service.ts', 'src/payments/payments.service.ts']);
    expect(truth.runtimeCycles).toContainEqual(['src/notifications/notifications.service.ts', 'src/users/users.service.ts']);
  });

  it('has exact per-module table readers and writers', () => {
    const fromSource = new Map<string, { readers: string[]; writers: string[] }>();
    for (const [module, access] of facts.tables) {
      for (const name of access.reads) (fromSource.get(name) ?? fromSource.set(name, { readers: [], writers: [] }).get(name)!).readers.push(module);
      for (const name of access.writes) (fromSource.get(name) ?? fromSource.set(name, { readers: [], writers: [] }).get(name)!).writers.push(module);
    }
    for (const table of truth.tables) {
      const found = fromSource.get(table.name) ?? { readers: [], writers: [] };
      expect({ name: table.name, readers: found.readers.sort(), writers: found.writers.sort() }).toEqual(table);
    }
    expect([...fromSource.keys()].sort()).toEqual(truth.tables.map((x) => x.name).sort());
    const shared = truth.tables.find((x) => x.name === 'stock_movements')!;
    expect(shared.writers).toEqual(['src/inventory/inventory.repository.ts', 'src/orders/orders.repository.ts']);
  });

  it('has every alias, type-only, dynamic, require and re-export edge, with its line', () => {
    const notable = facts.edges.filter((e) => e.kind !== 'static' || e.specifier.startsWith('@shared/'));
    expect(notable.map((e) => `${e.from}:${e.line} ${e.kind} ${e.specifier} → ${e.to}`).sort()).toEqual(
      truth.edges.map((e) => `${e.from}:${e.line} ${e.kind} ${e.specifier} → ${e.to}`).sort(),
    );
    const kinds = new Set(truth.edges.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['dynamic', 're-export', 'require', 'static', 'type-only']);
    expect(truth.edges).toContainEqual(expect.objectContaining({ from: 'src/reports/reports.service.ts', to: 'src/orders/orders.types.ts', kind: 'type-only', specifier: '../orders/orders.types' }));
  });

  it('partitions every module into domains, and the best first extraction is self-contained', () => {
    const all = truth.domains.flatMap((d) => d.modules).sort();
    expect(all).toEqual(facts.modules);
    const best = truth.domains.find((d) => d.name === truth.bestFirstExtraction)!;
    const inside = new Set(best.modules);
    // One path prefix for all its routes.
    const prefixes = new Set(truth.routes.filter((r) => inside.has(r.module)).map((r) => r.path.split('/').slice(0, 3).join('/')));
    expect([...prefixes]).toEqual([`/api/${best.name}`]);
    // Its tables are touched by nobody else.
    for (const table of truth.tables.filter((x) => [...x.readers, ...x.writers].some((m) => inside.has(m)))) {
      expect({ table: table.name, outside: [...table.readers, ...table.writers].filter((m) => !inside.has(m)) }).toEqual({ table: table.name, outside: [] });
    }
    // Only the composition root and the seed script depend on it.
    const dependents = new Set(facts.edges.filter((e) => inside.has(e.to) && !inside.has(e.from)).map((e) => e.from));
    expect([...dependents].sort()).toEqual(['src/app.ts', 'src/seed.ts']);
  });
});
