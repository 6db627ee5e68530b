import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ExportFlags } from './export-run';

// The converters load when the command runs, not on every `strangler` start.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const run = (): typeof import('./export-run') => require('./export-run') as typeof import('./export-run');

// Kept here rather than imported from export/, which would load it at start-up.
const TARGETS = ['gateway-api', 'istio', 'argo-rollouts', 'flagger', 'nginx', 'kubernetes'];

function targets(value: string): string[] {
  const list = value === 'all' ? TARGETS : value.split(',').map((t) => t.trim());
  const bad = list.filter((t) => !TARGETS.includes(t));
  if (bad.length || list.length === 0) throw new InvalidArgumentError(`expected one or more of ${TARGETS.join(', ')} (comma-separated) or all; got "${value}"`);
  return [...new Set(list)];
}

function replicas(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('compile the routes config to Gateway API, Istio, Argo Rollouts, Flagger, nginx, or Kubernetes manifests for the facade')
    .requiredOption('--target <targets>', `${TARGETS.join(', ')} (comma-separated) or all`, targets)
    .option('-c, --config <file>', 'the routes config (YAML or JSON)', 'routes.yaml')
    .option('--out <dir>', 'write one file per target into this directory (default: the one target to stdout)')
    .option('--namespace <ns>', 'metadata.namespace of every Kubernetes object (default: none, as kubectl -n decides)')
    .option('--gateway <[ns/]name>', 'the Gateway the HTTPRoutes attach to', 'strangler')
    .option('--hostname <host>', 'a host name the routes answer for (repeatable); with Istio, routes at the gateway', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .addOption(new Option('--routing <engine>', 'traffic routing under argo-rollouts and flagger').choices(['gateway-api', 'istio']).default('gateway-api'))
    .option('--image <image>', 'image of the facade (kubernetes target)', 'strangler:latest')
    .option('--replicas <n>', 'facade replicas (kubernetes target)', replicas, 3)
    .option('--prometheus <url>', 'the Prometheus the rollout analyses query (argo-rollouts, flagger targets)', 'http://prometheus.monitoring:9090')
    .option('--json', 'with --out: print what was written as JSON on stdout')
    .action((flags: ExportFlags) => run().exportCommand(flags));
}
