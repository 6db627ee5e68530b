import type { Command } from 'commander';
import { notImplemented } from '../errors';

export function register(program: Command): void {
  const route = program.command('route').description("drive a running facade's admin API: list, set weight, promote, roll back");
  route.command('list').description('list routes with live traffic shares').action(() => notImplemented('route list'));
  route.command('set').argument('<route>').requiredOption('--weight <n>', 'share of traffic (0-100) moved to the service').description("set a route's weight").action(() => notImplemented('route set'));
  route.command('promote').argument('<route>').description('move a route fully to its service').action(() => notImplemented('route promote'));
  route.command('rollback').argument('<route>').description('send a route back to legacy').action(() => notImplemented('route rollback'));
}
