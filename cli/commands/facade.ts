import type { Command } from 'commander';
import { notImplemented } from '../errors';

export function register(program: Command): void {
  program
    .command('facade')
    .description('run the strangler facade: a routing proxy in front of the legacy app')
    .option('-c, --config <file>', 'the routes config (YAML or JSON)', 'routes.yaml')
    .action(() => notImplemented('facade'));
}
