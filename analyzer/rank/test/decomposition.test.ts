import { rankCandidates } from '..';
import { buildInput } from './fixtures/build-input';
import { generateInput } from './fixtures/generate';

describe('decomposition quality figures', () => {
  // Two folders; a1 imports a2 twice (two import records), b is a triangle, one import a2 → b1.
  const input = buildInput(
    { 'a/a1.ts': {}, 'a/a2.ts': {}, 'b/b1.ts': {}, 'b/b2.ts': {}, 'b/b3.ts': {}, 'b/readme-example.ts': {} },
    ['a/a1.ts -> a/a2.ts', 'a/a1.ts -> a/a2.ts', 'b/b1.ts -> b/b2.ts', 'b/b2.ts -> b/b3.ts', 'b/b1.ts -> b/b3.ts', 'a/a2.ts -> b/b1.ts', 'a/a1.ts -> b/b2.ts : type-only'],
  );
  const { decomposition } = rankCandidates(input);

  test('services follow the communities; a module without imports joins its folder', () => {
    expect(decomposition.services.map((s) => s.modules)).toEqual([
      ['a/a1.ts', 'a/a2.ts'],
      ['b/b1.ts', 'b/b2.ts', 'b/b3.ts', 'b/readme-example.ts'],
    ]);
    expect(decomposition.services.map((s) => s.name)).toEqual(['a', 'b']);
  });

  test('modularity, SM, ICP and IFN match the hand-computed values', () => {
    // Undirected weights: a1-a2 2, b1-b2 1, b2-b3 1, b1-b3 1, a2-b1 1; m = 6.
    // Degrees: A = 2+3 = 5, B = 3+2+2 = 7. Q = 2/6 - (5/12)² + 3/6 - (7/12)² = 23/72.
    expect(decomposition.modularity).toBeCloseTo(23 / 72, 6);
    // Distinct dependencies: A has 1 inside over 2 modules, B 3 over 4 modules, 1 between.
    // SM = ½(1/2² + 3/4²) − 1/(2·2·4) = ½(1/4 + 3/16) − 1/16 = 7/32 − 2/32 = 5/32.
    expect(decomposition.structuralModularity).toBeCloseTo(5 / 32, 6);
    // 6 runtime import records, 1 crosses.
    expect(decomposition.icp).toBeCloseTo(1 / 6, 6);
    // One module (b1) is called from another service.
    expect(decomposition.ifn).toBe(1);
  });
});

describe('a generated 3,000-module monolith', () => {
  const input = generateInput(3000, 8);

  test('every module lands in exactly one service, cycles stay whole, and the ranking is reproducible', () => {
    const out = rankCandidates(input);
    const assigned = out.decomposition.services.flatMap((s) => s.modules);
    expect(assigned.length).toBe(input.modules.length);
    expect(new Set(assigned).size).toBe(input.modules.length);
    const serviceOf = new Map(out.decomposition.services.flatMap((s) => s.modules.map((m) => [m, s.id] as const)));
    for (const cycle of input.cycles) expect(new Set(cycle.map((m) => serviceOf.get(m))).size).toBe(1);
    expect(out.decomposition.icp).toBeGreaterThan(0);
    expect(out.decomposition.icp).toBeLessThan(1);
    expect(out.candidates.length).toBeGreaterThan(300);
    expect(rankCandidates(input)).toEqual(out);
  });
});
