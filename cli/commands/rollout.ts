import type { Command } from 'commander';
import type { AdminFlags } from './route-options';
import { withAdminOptions } from './route';

// The HTTP client and table renderer load when a rollout command runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const run = (): typeof import('./rollout-run') => require('./rollout-run') as typeof import('./rollout-run');

const COMMANDS = {
  start: "start the route's rollout plan from its first step (routes.yaml `rollout:`)",
  pause: 'stop taking steps; the weight stays where it is',
  resume: 'continue a paused rollout from the weight the route has now',
  abort: 'stop the rollout and send the route back to legacy (weight 0)',
} as const;

export function register(program: Command): void {
  const rollout = program
    .command('rollout')
    .description("drive a running facade's rollouts: the weight moves step by step while the gates pass, and back to 0 when they fail");
  withAdminOptions(rollout.command('status').argument('[route]').description('the step, the weight, every gate\'s last value against its threshold, the last decision and recent events')).action(
    (name: string | undefined, flags: AdminFlags & { events?: string }) => run().status(flags, name),
  ).option('--events <n>', 'how many recent decisions to show', '5');
  for (const [cmd, description] of Object.entries(COMMANDS))
    withAdminOptions(rollout.command(cmd).argument('<route>').description(description)).action((name: string, flags: AdminFlags) =>
      run().command(flags, name, cmd as keyof typeof COMMANDS),
    );
}
