import type { Command } from 'commander';
import { notImplemented } from '../errors';

export function register(program: Command): void {
  program
    .command('analyze')
    .description('build the module graph of a TypeScript monolith and rank extraction candidates')
    .argument('<dir>', 'the project to analyze')
    .action(() => notImplemented('analyze'));
}
