import type { Command } from 'commander';
import { notImplemented } from '../errors';

export function register(program: Command): void {
  program
    .command('extract')
    .description('turn a module or candidate of the report into a service (server entry, Dockerfile, k8s, facade routes)')
    .argument('<candidate>', 'a candidate id or module path from the report')
    .action(() => notImplemented('extract'));
}
