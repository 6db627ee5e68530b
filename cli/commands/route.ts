import { InvalidArgumentError, type Command } from 'commander';
import type { AdminFlags } from './route-run';

const DEFAULT_ADMIN = 'http://127.0.0.1:8081';

// The HTTP client and table renderer load when a route command runs, not on every `strangler` start.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const run = (): typeof import('./route-run') => require('./route-run') as typeof import('./route-run');

function parseWeight(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected a number from 0 to 100');
  return n;
}

function withAdminOptions(cmd: Command): Command {
  return cmd
    .option('--admin <url>', 'admin API of the running facade', DEFAULT_ADMIN)
    .option('--token <token>', 'admin bearer token (default: $STRANGLER_ADMIN_TOKEN)')
    .option('--json', 'print JSON');
}

export function register(program: Command): void {
  const route = program.command('route').description("drive a running facade's admin API: list, set weight, promote, roll back");
  withAdminOptions(route.command('list').description('list routes with weights, live traffic shares, error rates and breaker state')).action((flags: AdminFlags) => run().list(flags));
  withAdminOptions(
    route
      .command('set')
      .argument('<route>')
      .requiredOption('--weight <n>', 'share of traffic (0-100) moved to the service', parseWeight)
      .description("set a route's weight (saved to the config file)"),
  ).action((name: string, flags: AdminFlags & { weight: number }) => run().change(flags, 'PUT', `routes/${encodeURIComponent(name)}/weight`, { weight: flags.weight }));
  withAdminOptions(route.command('promote').argument('<route>').description('move a route fully to its service (weight 100)')).action((name: string, flags: AdminFlags) =>
    run().change(flags, 'POST', `routes/${encodeURIComponent(name)}/promote`),
  );
  withAdminOptions(
    route
      .command('rollback')
      .argument('<route>')
      .option('--previous', 'restore the weight the route had before its last change instead of 0')
      .description('send a route back to legacy (weight 0)'),
  ).action((name: string, flags: AdminFlags & { previous?: boolean }) =>
    run().change(flags, 'POST', `routes/${encodeURIComponent(name)}/rollback`, flags.previous ? { to: 'previous' } : undefined),
  );
}
