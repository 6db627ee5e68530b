import type { Command } from 'commander';

export interface ExtractFlags {
  report?: string;
  out?: string;
  name?: string;
  routes?: string;
  serviceUrl?: string;
  legacyUrl?: string;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

export interface EngineFlags {
  engine?: string;
  tag?: string;
  baseImage?: string;
  port?: string;
  name?: string;
  env: string[];
  data?: string;
  monolithDb?: string;
  copyData?: boolean;
  json?: boolean;
}

/** `--name` and `--json` are also options of `extract` itself, which takes them wherever they stand: hand them down. */
function withParent(flags: EngineFlags, parent: Command): EngineFlags {
  const p = parent.opts<{ name?: string; json?: boolean }>();
  return { ...flags, name: flags.name ?? p.name, json: flags.json ?? p.json };
}

const collect = (v: string, acc: string[]) => [...acc, v];

export function register(program: Command): void {
  const cmd = program
    .command('extract')
    .description('turn a candidate of the report into a service: code, data split, Dockerfile, Kubernetes, compose, CI, facade routes')
    .argument('<candidate>', 'a candidate id, name or rank from the report, or module paths (comma-separated; a folder means the modules under it)')
    .argument('[dir]', 'the monolith to analyze, when no --report is given')
    .option('--report <file>', 'the report of `strangler analyze --out` (default: analyze [dir])')
    .option('--out <dir>', 'where the service goes (default: services/<name>)')
    .option('--name <name>', 'the service name (default: from the candidate)')
    .option('--routes <file>', 'a facade routes config to add the service and its routes to (weight 0, shadowed); created when missing')
    .option('--service-url <url>', 'where the facade reaches the service (default: the next free http://127.0.0.1:4001+ in --routes)')
    .option('--legacy-url <url>', 'the monolith, for a new routes config', 'http://127.0.0.1:3000')
    .option('--dry-run', 'print the plan (files, imports rewritten, tables, routes, decisions) and write nothing')
    .option('--force', 'replace an existing output directory and existing route entries')
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      `
Then, from the service's folder:
  strangler extract build <service-dir> [--engine auto|docker|podman|none] [--base-image IMG] [--tag T]
  strangler extract run <service-dir> [--port N] [--data DIR] [--monolith-db FILE] [--copy-data] [--env K=V]...
  strangler extract stop <service-dir>
--engine auto takes docker, then podman; where neither exists the same steps run as processes (npm ci,
npm run build, node dist/service/server.js) and say so.

Exit codes: 0 done; 1 a build or run step failed; 2 bad input (unknown candidate, a library candidate,
an existing output without --force, an invalid routes config), with nothing written.`,
    )
    .action(async (candidate: string, dir: string | undefined, flags: ExtractFlags) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runExtract } = require('./extract-run') as typeof import('./extract-run');
      await runExtract(candidate, dir, flags);
    });

  const engineOptions = (c: Command) =>
    c
      .option('--engine <engine>', 'auto, docker, podman or none (processes)', 'auto')
      .option('--json', 'print the result as JSON');
  engineOptions(
    cmd
      .command('build')
      .description("build the service's image with docker or podman (or npm ci + npm run build without an engine)")
      .argument('<service-dir>', 'a folder written by strangler extract')
      .option('--tag <tag>', 'the image tag (default: localhost/<name>:dev)')
      .option('--base-image <image>', "the Dockerfile's BASE_IMAGE (default: the Dockerfile's own, or $STRANGLER_BASE_IMAGE)"),
  ).action(async (dir: string, flags: EngineFlags) => {
    flags = withParent(flags, cmd);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runBuild } = require('./extract-engine') as typeof import('./extract-engine');
    await runBuild(dir, flags);
  });
  engineOptions(
    cmd
      .command('run')
      .description('run the service: a container from its image, or `node dist/service/server.js` without an engine')
      .argument('<service-dir>', 'a folder written by strangler extract')
      .option('--port <port>', 'the port on 127.0.0.1 the service answers on', '4001')
      .option('--name <name>', 'the container name (default: the service name)')
      .option('--tag <tag>', 'the image (default: localhost/<name>:dev)')
      .option('--data <dir>', "a folder for the service's own database (default: <service-dir>/data)")
      .option('--monolith-db <file>', "the monolith's SQLite file, for the tables the service still shares")
      .option('--copy-data', "first copy the owned tables' rows from --monolith-db into the service's database (npm run copy-data)")
      .option('--env <K=V>', 'an environment variable for the service (repeatable)', collect, [] as string[]),
  ).action(async (dir: string, flags: EngineFlags) => {
    flags = withParent(flags, cmd);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runService } = require('./extract-engine') as typeof import('./extract-engine');
    await runService(dir, flags);
  });
  engineOptions(
    cmd
      .command('stop')
      .description('stop the service started by `strangler extract run` (SIGTERM: it finishes requests in flight)')
      .argument('<service-dir>', 'a folder written by strangler extract')
      .option('--name <name>', 'the container name (default: the service name)'),
  ).action(async (dir: string, flags: EngineFlags) => {
    flags = withParent(flags, cmd);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { stopService } = require('./extract-engine') as typeof import('./extract-engine');
    await stopService(dir, flags);
  });
}
