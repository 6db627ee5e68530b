import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../cli/test/run-cli';
import { analyze } from '../analyze';
import { compareWithMadge, crosscheck, type CrosscheckResult } from '../crosscheck';
import { validateReport } from '../schema';
import type { Report } from '../types';
import { fixture, workspaceCopy } from './helpers';

const rules = (r: CrosscheckResult) => r.explained.map((d) => `${d.side} ${d.from} -> ${d.to} ${d.rule}`);

describe('madge as a second opinion', () => {
  it('explains every difference on the edge-kind fixture: type imports madge keeps or skips', async () => {
    const result = await crosscheck(await analyze(fixture('kinds')));
    expect(result.unexplained).toEqual([]);
    expect(result.agreed).toBe(10);
    expect(rules(result)).toEqual([
      'strangler-only src/main.ts -> src/b.ts type-only',
      'strangler-only src/main.ts -> src/c.ts type-only',
      'madge-only src/main.ts -> src/d.ts type-only', // plain import used only as a type: TS elides it
      'strangler-only src/main.ts -> src/i.ts type-only',
      'strangler-only src/main.ts -> src/j.ts type-only',
      'strangler-only src/main.ts -> src/k.ts type-only',
      'madge-only src/main.ts -> src/n.ts type-only',
      'madge-only src/main.ts -> src/q.ts type-only',
    ]);
  });

  it('explains barrel via-edges, parse errors, verbatimModuleSyntax, workspaces and #imports', async () => {
    const barrels = await crosscheck(await analyze(fixture('barrels')));
    expect(barrels.unexplained).toEqual([]);
    expect(rules(barrels)).toContain('strangler-only src/consumer.ts -> src/lib/x.ts barrel-via-edge');

    const misc = await crosscheck(await analyze(fixture('misc')));
    expect(misc.unexplained).toEqual([]);
    expect(rules(misc)).toContain('strangler-only src/broken.ts -> src/app.ts parse-error');

    const verbatim = await crosscheck(await analyze(fixture('verbatim')));
    expect(verbatim.unexplained).toEqual([]);
    expect(rules(verbatim)).toContain('strangler-only src/main.ts -> src/color.ts verbatim-module-syntax');

    const ws = workspaceCopy();
    try {
      const result = await crosscheck(await analyze(ws));
      expect(result.unexplained).toEqual([]);
      expect(rules(result)).toEqual([
        'strangler-only app/main.ts -> app/internal/secret.ts package-imports',
        'strangler-only app/main.ts -> packages/lib/src/index.ts workspace-package',
        'madge-only app/main.ts -> packages/lib/lib/index.d.ts not-a-project-module',
      ]);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });

  it.each(['aliases', 'cycles', 'allowjs', 'decorators'])('agrees with madge or explains why on fixture %s', async (name) => {
    expect((await crosscheck(await analyze(fixture(name)))).unexplained).toEqual([]);
  });

  it('explains every difference on sample-monolith', async () => {
    const result = await crosscheck(await analyze(path.resolve(__dirname, '..', '..', 'sample-monolith')));
    expect(result.unexplained).toEqual([]);
    expect(result.agreed).toBeGreaterThan(100);
  });

  it('reports a difference no rule explains', async () => {
    const report = await analyze(fixture('cycles'));
    // madge's answer made of our own runtime edges, plus one import nobody wrote
    const madgeGraph: Record<string, string[]> = {};
    for (const e of report.edges) if (!e.via && e.kind !== 'type-only') (madgeGraph[e.from] ??= []).push(e.to);
    madgeGraph['src/a.ts'].push('src/g.ts');
    const result = compareWithMadge(report, madgeGraph);
    expect(result.unexplained).toEqual([{ from: 'src/a.ts', to: 'src/g.ts', side: 'madge-only', detail: 'madge sees an import strangler does not' }]);
  });

  it('runs from the CLI with --crosscheck: a summary on stderr, every difference in the report', () => {
    const r = runCli(['analyze', fixture('kinds'), '--crosscheck', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^crosscheck: 10 module pairs agreed with madge, 8 differences explained, 0 unexplained$/m);
    expect(r.stderr).not.toContain('src/main.ts → src/d.ts');
    const report = JSON.parse(r.stdout) as Report;
    expect(report.crosscheck).toMatchObject({ tool: { name: 'madge' }, agreed: 10, unexplained: [] });
    expect(report.crosscheck!.explained).toHaveLength(8);
    expect(Object.values(report.crosscheck!.explainedByRule).reduce((a, b) => a + b, 0)).toBe(8);
    expect(validateReport(report)).toEqual([]);
    expect(report.crosscheck!.explained).toContainEqual({ from: 'src/main.ts', to: 'src/d.ts', side: 'madge-only', rule: 'type-only', detail: "src/main.ts:4 type-only './d': erased by TypeScript (only used as a type), madge keeps it" });
  });

  it('prints nothing of an all-explained crosscheck with --quiet', () => {
    const r = runCli(['analyze', fixture('kinds'), '--crosscheck', '--quiet', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
