/**
 * Times rankCandidates on a generated monolith (not a test: timings belong in a report, not in
 * an assertion). Usage: npx tsx analyzer/rank/test/measure-speed.ts [modules] [importsPerModule]
 */
import { rankCandidates } from '..';
import { generateInput } from './fixtures/generate';

const modules = Number(process.argv[2] ?? 3000);
const perModule = Number(process.argv[3] ?? 8);
const input = generateInput(modules, perModule);
const runtime = input.edges.filter((e) => e.kind !== 'type-only').length;
console.log(`${input.modules.length} modules, ${input.edges.length} edges (${runtime} runtime), largest cycle ${Math.max(0, ...input.cycles.map((c) => c.length))} modules`);
const times: number[] = [];
let candidates = 0;
for (let i = 0; i < 7; i++) {
  const start = performance.now();
  candidates = rankCandidates(input).candidates.length;
  times.push(performance.now() - start);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`${candidates} candidates; rankCandidates first run ${times[0].toFixed(0)} ms, median ${sorted[3].toFixed(0)} ms, best ${sorted[0].toFixed(0)} ms`);
