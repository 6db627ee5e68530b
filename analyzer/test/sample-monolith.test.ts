import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../analyze';
import { validateReport } from '../schema';
import type { EdgeKind, Report, Route, TableUsage } from '../types';

/** sample-monolith/ground-truth.json: what the sample's author states about its own code. */
interface GroundTruth {
  runtimeCycles: string[][];
  typeOnlyCycles: string[][];
  routes: { method: string; path: string; module?: string }[];
  tables: TableUsage[];
  tableDefinitions: { name: string; module: string }[];
  edges: { from: string; to: string; kind: EdgeKind; line: number; specifier: string }[];
}

const SAMPLE = path.resolve(__dirname, '..', '..', 'sample-monolith');

describe('sample-monolith against its ground truth', () => {
  let report: Report;
  let truth: GroundTruth;
  beforeAll(async () => {
    truth = JSON.parse(fs.readFileSync(path.join(SAMPLE, 'ground-truth.json'), 'utf8')) as GroundTruth;
    report = await analyze(SAMPLE);
  });

  it('produces a schema-valid report without warnings', () => {
    expect(validateReport(report)).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('finds exactly the runtime cycles and the type-only cycles', () => {
    const sorted = (cs: string[][]) => cs.map((c) => [...c].sort()).sort((a, b) => a[0].localeCompare(b[0]));
    expect(report.cycles).toEqual(sorted(truth.runtimeCycles));
    expect(report.typeOnlyCycles).toEqual(sorted(truth.typeOnlyCycles));
  });

  it('has every notable edge with its kind, line and specifier', () => {
    const have = new Set(report.edges.filter((e) => !e.via).map((e) => `${e.from} -> ${e.to} ${e.kind} L${e.line} ${e.specifier}`));
    const missing = truth.edges.map((e) => `${e.from} -> ${e.to} ${e.kind} L${e.line} ${e.specifier}`).filter((e) => !have.has(e));
    expect(missing).toEqual([]);
  });

  it('lists the route table the running app serves', () => {
    const key = (r: Pick<Route, 'method' | 'path'> & { module?: string }) => `${r.method} ${r.path}${r.module ? ` ${r.module}` : ''}`;
    const withModules = truth.routes.every((r) => r.module);
    const mine = report.routes.map((r) => key(withModules ? r : { method: r.method, path: r.path })).sort();
    expect(mine).toEqual(truth.routes.map(key).sort());
  });

  it('lists each table with its readers and writers', () => {
    expect(report.tables.map(({ name, readers, writers }) => ({ name, readers, writers }))).toEqual([...truth.tables].sort((a, b) => a.name.localeCompare(b.name)));
  });

  it('names the migration that defines each table, apart from readers and writers', () => {
    const definedBy = Object.fromEntries(report.tables.map((t) => [t.name, t.definedBy]));
    const expected: Record<string, string[]> = {};
    for (const d of truth.tableDefinitions) (expected[d.name] ??= []).push(d.module);
    expect(definedBy).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v.sort()])));
  });
});
