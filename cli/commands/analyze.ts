import type { Command } from 'commander';
import { FORMATS, type AnalyzeFlags } from './analyze-options';

export function register(program: Command): void {
  program
    .command('analyze')
    .description('build the module graph of a TypeScript monolith and rank extraction candidates')
    .argument('<dir>', 'the project to analyze')
    .option('--format <format>', `output format: ${FORMATS.join('|')} (default: table on a terminal, json when piped or by --out extension)`)
    .option('--out <file>', 'write the output to this file instead of stdout')
    .option('--top <n>', 'how many candidates the table/md formats show')
    .option('--tsconfig <path>', 'tsconfig to read (default: <dir>/tsconfig.json)')
    .option('--exclude <glob>', 'leave out files matching this glob, relative to <dir> (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--fail-on-cycles', 'exit 1 when runtime import cycles exist')
    .option('--include-non-runtime', 'rank and measure test files, package.json-only scripts, tool configs and browser-side code like runtime modules (they are listed in the report either way)')
    .option('--crosscheck', 'compare the edges with madge and explain every difference (exit 1 on an unexplained one)')
    .option('--quiet', 'no progress on stderr')
    .action(async (dir: string, flags: AnalyzeFlags) => {
      // Loaded here: only this command needs TypeScript and the analyzer, so the others start fast.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runAnalyze } = require('./analyze-run') as typeof import('./analyze-run');
      await runAnalyze(dir, flags);
    });
}

