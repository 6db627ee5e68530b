import type { Command } from 'commander';
import { notImplemented } from '../errors';

export function register(program: Command): void {
  program
    .command('extract')
    .description('(not implemented yet) turn a candidate of the report into a service')
    .argument('<candidate>', 'a candidate id or module path from the report')
    .action(() => notImplemented('extract'));
}
