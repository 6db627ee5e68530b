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
// Wall time depends on what else runs on the machine; CPU time (user + system) much less.
const wall: number[] = [];
const cpu: number[] = [];
let candidates = 0;
for (let i = 0; i < 7; i++) {
  const start = performance.now();
  const startCpu = process.cpuUsage();
  candidates = rankCandidates(input).candidates.length;
  const used = process.cpuUsage(startCpu);
  wall.push(performance.now() - start);
  cpu.push((used.user + used.system) / 1000);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `${candidates} candidates; rankCandidates wall: first ${wall[0].toFixed(0)} ms, median ${median(wall).toFixed(0)} ms; CPU: first ${cpu[0].toFixed(0)} ms, median ${median(cpu).toFixed(0)} ms`,
);
