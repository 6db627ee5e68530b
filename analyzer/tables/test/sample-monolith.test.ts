import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { collectTableAccesses } from '../index';

const root = path.resolve(__dirname, '../../../sample-monolith');

interface GroundTruth {
  tables: { name: string; readers: string[]; writers: string[] }[];
  tableDefinitions: { name: string; module: string }[];
}

function moduleIds(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const id = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...moduleIds(id));
    else if (e.name.endsWith('.ts')) out.push(id);
  }
  return out;
}

describe('tables of sample-monolith', () => {
  const truth = JSON.parse(fs.readFileSync(path.join(root, 'ground-truth.json'), 'utf8')) as GroundTruth;
  const byModule = new Map(
    moduleIds('src').map((id) => {
      const sf = ts.createSourceFile(id, fs.readFileSync(path.join(root, id), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      return [id, collectTableAccesses(sf)] as const;
    }),
  );

  it('readers and writers (schema definitions aside) equal the ground truth exactly', () => {
    const usage = new Map<string, { readers: Set<string>; writers: Set<string> }>();
    for (const [id, accesses] of byModule) {
      for (const a of accesses) {
        if (a.definition) continue;
        const u = usage.get(a.name) ?? { readers: new Set<string>(), writers: new Set<string>() };
        usage.set(a.name, u);
        (a.access === 'read' ? u.readers : u.writers).add(id);
      }
    }
    const mine = [...usage].map(([name, u]) => ({ name, readers: [...u.readers].sort(), writers: [...u.writers].sort() }));
    const sortByName = <T extends { name: string }>(l: T[]): T[] => [...l].sort((a, b) => (a.name < b.name ? -1 : 1));
    const theirs = truth.tables.map((t) => ({ name: t.name, readers: [...t.readers].sort(), writers: [...t.writers].sort() }));
    expect(sortByName(mine)).toEqual(sortByName(theirs));
  });

  it('schema definitions are where the ground truth says tables are defined', () => {
    const defined = new Set<string>();
    for (const [id, accesses] of byModule) for (const a of accesses) if (a.definition) defined.add(`${a.name} ${id}`);
    expect([...defined].sort()).toEqual(truth.tableDefinitions.map((d) => `${d.name} ${d.module}`).sort());
  });
});
