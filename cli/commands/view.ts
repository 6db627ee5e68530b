import type { Command } from 'commander';
import { notImplemented } from '../errors';

export function register(program: Command): void {
  program
    .command('view')
    .description('open the web graph viewer on a report.json, or export it as a self-contained HTML file')
    .argument('<report>', 'a report.json written by `strangler analyze`')
    .action(() => notImplemented('view'));
}
