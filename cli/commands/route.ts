import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_ADMIN, type AdminFlags } from './route-options';

// The HTTP client and table renderer load when a route command runs, not on every `strangler` start.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const run = (): typeof import('./route-run') => require('./route-run') as typeof import('./route-run');

function parseWeight(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected a number from 0 to 100');
  return n;
}

const FORCE = '--force';
const FORCE_HELP = 'raise the weight even when the service has no healthy instance';

export function withAdminOptions(cmd: Command): Command {
  return cmd
    .option('--admin <url>', 'admin API of the running facade', DEFAULT_ADMIN)
    .option('--token <token>', 'admin bearer token (default: $STRANGLER_ADMIN_TOKEN)')
    .option('--json', 'print JSON');
}

export function register(program: Command): void {
  const route = program.command('route').description("drive a running facade's admin API: list, set weight, promote, roll back");
  withAdminOptions(
    route.command('list').description('list routes: weights, service share over the last minute and since start, error rates, breakers, healthy instances'),
  ).action((flags: AdminFlags) => run().list(flags));
  withAdminOptions(
    route
      .command('set')
      .argument('<route>')
      .requiredOption('--weight <n>', 'share of traffic (0-100) moved to the service', parseWeight)
      .option(FORCE, FORCE_HELP)
      .description("set a route's weight (saved to the config file)"),
  ).action((name: string, flags: AdminFlags & { weight: number; force?: boolean }) =>
    run().change(flags, 'PUT', `routes/${encodeURIComponent(name)}/weight`, { weight: flags.weight, ...(flags.force ? { force: true } : {}) }),
  );
  withAdminOptions(route.command('promote').argument('<route>').option(FORCE, FORCE_HELP).description('move a route fully to its service (weight 100)')).action(
    (name: string, flags: AdminFlags & { force?: boolean }) => run().change(flags, 'POST', `routes/${encodeURIComponent(name)}/promote`, flags.force ? { force: true } : undefined),
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
