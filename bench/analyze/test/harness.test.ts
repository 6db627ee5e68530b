import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/repo';
import type { Corpus } from '../corpora';
import { benchCorpus } from '../harness';
import { formatCorpus } from '../report';
import { writeSynthetic } from '../synthetic';

// Runs the real peers and the compiled floor (dist/bench/analyze, built by `npm test`) on a small generated corpus.
describe('benchCorpus', () => {
  const dir = path.join(REPO_ROOT, '.tmp', `bench-harness-${process.pid}`);
  let corpus: Corpus;
  beforeAll(() => {
    const r = writeSynthetic(dir, { modules: 100, seed: 11 });
    corpus = { name: 'synthetic', dir, tsconfig: path.join(dir, 'tsconfig.json'), files: r.modules, lines: 0, notes: ['a small test corpus'] };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('times every tool, pairs the ratios with dependency-cruiser, and agrees on the edges', () => {
    const logs: string[] = [];
    const result = benchCorpus(corpus, { tools: ['floor', 'madge', 'depcruise'], rounds: 2, budgetMs: 60_000, log: (l) => logs.push(l) });
    expect(result.rounds).toBe(2);
    const byTool = Object.fromEntries(result.tools.map((t) => [t.tool, t]));
    for (const t of result.tools) {
      expect([t.tool, t.status, t.message]).toEqual([t.tool, 'ok', undefined]);
      expect(t.wallMs).toHaveLength(2);
      expect(t.medianMs).toBeGreaterThan(0);
      expect(t.medianCpuMs).toBeGreaterThan(0);
      expect(t.rssMb).toBeGreaterThan(20);
      expect(t.edges).toBeGreaterThan(100);
    }
    expect(byTool.depcruise.timeRatio).toBe(1);
    expect(byTool.depcruise.memRatio).toBe(1);
    expect(byTool.floor.timeRatio).toBeGreaterThan(0);
    // the floor and dependency-cruiser see the same graph; madge misses the require() edges only
    expect(byTool.floor.edges).toBe(byTool.depcruise.edges);
    expect(byTool.madge.edges).toBeLessThan(byTool.depcruise.edges!);
    expect(result.checks).toContain('madge: TypeScript detective confirmed in use (typescript-estree parsed the files)');
    // alternating order: round 2 runs the tools in reverse
    expect(logs.find((l) => l.includes('round 2/2'))).toMatch(/depcruise .* madge .* floor/);

    const text = formatCorpus(result);
    expect(text).toContain('median ms');
    expect(text).toContain('verdict: strangler not run');
  });
});
