import type { Command } from 'commander';
import { notImplemented } from '../errors';

export function register(program: Command): void {
  program
    .command('view')
    .description('(not implemented yet) the web graph viewer of a report.json')
    .argument('<report>', 'a report.json written by `strangler analyze`')
    .action(() => notImplemented('view'));
}
