import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../analyze';
import { validateReport } from '../schema';
import type { Report } from '../types';
import { fixture, FIXTURES, workspaceCopy } from './helpers';

describe('report.schema.json', () => {
  const cases = fs.readdirSync(FIXTURES).filter((d) => d !== 'workspace');

  it.each(cases)('accepts the report of fixture %s', async (name) => {
    expect(validateReport(await analyze(fixture(name)))).toEqual([]);
  });

  it('accepts the reports of the workspace fixture and of sample-monolith', async () => {
    const ws = workspaceCopy();
    try {
      expect(validateReport(await analyze(ws))).toEqual([]);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
    expect(validateReport(await analyze(path.resolve(__dirname, '..', '..', 'sample-monolith')))).toEqual([]);
  });

  it('rejects a report that breaks the contract, saying where', async () => {
    const report = (await analyze(fixture('cycles'))) as Report;
    const bad = JSON.parse(JSON.stringify(report)) as Record<string, unknown> & Report;
    (bad.edges[0] as { kind: string }).kind = 'import';
    delete (bad.modules[1] as Partial<Report['modules'][number]>).blastRadius;
    bad.summary.cycles = -1;
    expect(validateReport(bad)).toEqual([
      '/summary/cycles: must be >= 0',
      "/modules/1: must have required property 'blastRadius'",
      '/edges/0/kind: must be equal to one of the allowed values',
    ]);
  });
});
