import fs from 'node:fs';
import path from 'node:path';
import { TRUTH_CORPORA } from '../corpora';
import { routeKey } from '../match';
import { readTruthFile, TruthFileError } from '../truth-file';

const DIR = path.join(__dirname, '..');

// The committed truth files themselves: well-formed, one per corpus, no entry listed twice.
describe('truth files', () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.truth.json'));

  it('has one truth file per corpus, named after it', () => {
    expect(files.map((f) => f.replace('.truth.json', '')).sort()).toEqual(TRUTH_CORPORA.map((c) => c.name).sort());
  });

  it.each(files)('%s parses, meets the issue\'s minimums and lists no entry twice', (file) => {
    const t = readTruthFile(path.join(DIR, file));
    expect(t.corpus).toBe(file.replace('.truth.json', ''));
    const modulesWithTables = new Set(t.tables.map((x) => x.module));
    expect(modulesWithTables.size).toBeGreaterThanOrEqual(15);
    // vendure serves its API as GraphQL: its minimum is in operations instead of routes
    if (t.corpus === 'vendure') expect(t.graphql?.length ?? 0).toBeGreaterThanOrEqual(25);
    else expect(t.routes.length).toBeGreaterThanOrEqual(25);
    const routeKeys = t.routes.map((r) => routeKey(r.method, r.path));
    expect(new Set(routeKeys).size).toBe(routeKeys.length);
    const tableKeys = t.tables.map((x) => `${x.module} ${x.table} ${x.access}`);
    expect(new Set(tableKeys).size).toBe(tableKeys.length);
  });

  it('rejects a malformed truth file with the file and the entry named', () => {
    const bad = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'truth-bad-')), 'x.truth.json');
    fs.writeFileSync(bad, JSON.stringify({ corpus: 'x', notes: '', routes: [{ method: 'get', path: '/a', module: 'a.ts', line: 1, evidence: 'e' }], tables: [] }));
    expect(() => readTruthFile(bad)).toThrow(TruthFileError);
    expect(() => readTruthFile(bad)).toThrow(`${bad}: routes.0.method`);
  });
});
