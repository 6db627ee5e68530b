/**
 * Prints a draft of ground-truth.json from the code (routes from the live router, the rest from
 * source-facts). The committed file is reviewed by hand; ground-truth.test.ts checks it stays true.
 * Run: cd sample-monolith && npx tsx test/support/build-ground-truth.ts > ground-truth.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '@shared/db';
import { loadConfig } from '@shared/config';
import { createApp } from '../../src/app';
import { sourceFacts, MONOLITH_ROOT } from './source-facts';
import { servedRoutes } from './router-walk';

const facts = sourceFacts();
const app = createApp({ db: openDatabase(':memory:'), config: loadConfig({ NODE_ENV: 'test' }) });

const byName = new Map<string, { name: string; readers: string[]; writers: string[] }>();
for (const [module, access] of facts.tables) {
  for (const [names, key] of [[access.reads, 'readers'], [access.writes, 'writers']] as const) {
    for (const name of names) {
      const entry = byName.get(name) ?? byName.set(name, { name, readers: [], writers: [] }).get(name)!;
      entry[key].push(module);
    }
  }
}
/** Where each table's CREATE TABLE lives: DDL, which the ground truth counts as neither read nor write. */
const definedIn = new Map<string, string>();
for (const module of facts.modules.filter((m) => m.startsWith('src/shared/db/'))) {
  const text = fs.readFileSync(path.join(MONOLITH_ROOT, module), 'utf8');
  for (const m of text.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g)) definedIn.set(m[1], module);
}
const tables = [...byName.values()]
  .map((t) => ({ name: t.name, readers: t.readers.sort(), writers: t.writers.sort() }))
  .sort((a, b) => a.name.localeCompare(b.name));
const tableDefinitions = [...definedIn].map(([name, module]) => ({ name, module })).sort((a, b) => a.name.localeCompare(b.name));

const domainOf = (id: string) => {
  const m = /^src\/([^/]+)\//.exec(id);
  return m ? m[1] : 'app';
};
const domains = new Map<string, string[]>();
for (const id of facts.modules) (domains.get(domainOf(id)) ?? domains.set(domainOf(id), []).get(domainOf(id))!).push(id);

const truth = {
  runtimeCycles: facts.runtimeCycles,
  typeOnlyCycles: facts.typeOnlyCycles,
  routes: servedRoutes(app).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
  tables,
  tableDefinitions,
  edges: facts.edges
    .filter((e) => e.kind !== 'static' || e.specifier.startsWith('@shared/'))
    .map(({ from, to, kind, line, specifier }) => ({ from, to, kind, line, specifier })),
  domains: [...domains].map(([name, modules]) => ({ name, modules })),
  bestFirstExtraction: 'feed',
};
process.stdout.write(JSON.stringify(truth, null, 2) + '\n');
