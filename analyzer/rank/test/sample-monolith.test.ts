/**
 * The ranking on the real sample monolith: its ground truth names the domain that should be
 * extracted first; the weights must keep putting it on top (docs/ranking.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../analyze';

const sample = path.resolve(__dirname, '../../../sample-monolith');
const truth = JSON.parse(fs.readFileSync(path.join(sample, 'ground-truth.json'), 'utf8')) as { bestFirstExtraction: string };

test("the first candidate is the ground truth's best first extraction, whole, with one prefix rule", async () => {
  const report = await analyze(sample);
  const first = report.candidates[0];
  const folder = `src/${truth.bestFirstExtraction}`;
  expect(first.id).toBe(`folder:${folder}`);
  expect(first.label).toBe('service');
  expect(first.pathPrefixes).toHaveLength(1);
  expect(first.terms.find((t) => t.name === 'routePrefix')!.contribution).toBe(0);
  expect(first.terms.find((t) => t.name === 'cycleCut')!.value).toBe(0);
  // Every module of the folder moves, nothing else.
  expect(first.modules).toEqual(report.modules.map((m) => m.id).filter((id) => id.startsWith(`${folder}/`)));
  // Shared kernels rank after it, as libraries.
  const shared = report.candidates.find((c) => c.id === 'folder:src/shared')!;
  expect(shared.label).toBe('library');
  expect(shared.rank).toBeGreaterThan(report.candidates.length / 2);
});
