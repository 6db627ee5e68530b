import { InvalidArgumentError, type Command } from 'commander';
import { CliError } from '../errors';

interface FacadeFlags {
  config: string;
  host?: string;
  port?: number;
  adminHost?: string;
  adminPort?: number;
  logLevel?: string;
  shutdownTimeout: number;
  watch: boolean;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function port(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

export function register(program: Command): void {
  program
    .command('facade')
    .description('run the strangler facade: a routing proxy in front of the legacy app, with an admin API')
    .option('-c, --config <file>', 'the routes config (YAML or JSON); watched and hot-reloaded', 'routes.yaml')
    .option('--host <host>', 'override listen.host')
    .option('--port <port>', 'override listen.port (0 = any free port)', port)
    .option('--admin-host <host>', 'override admin.host')
    .option('--admin-port <port>', 'override admin.port (0 = any free port)', port)
    .option('--log-level <level>', `JSON log level on stdout, overrides logging.level (${LEVELS.join(', ')})`)
    .option('--no-watch', 'do not watch the config file; reload on SIGHUP or POST /reload only')
    .option('--shutdown-timeout <ms>', 'on SIGTERM/SIGINT, how long in-flight requests may take to finish', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of milliseconds');
      return n;
    }, 10_000)
    .action(async (flags: FacadeFlags) => {
      if (flags.logLevel !== undefined && !LEVELS.includes(flags.logLevel)) throw new CliError(`--log-level: expected one of ${LEVELS.join(', ')}, got "${flags.logLevel}"`);
      // Loaded here, not at the top: only this command needs pino and the facade, and the other commands start faster.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const pino = require('pino') as typeof import('pino');
      const { ConfigFileError } = require('../../facade/control/config-file') as typeof import('../../facade/control/config-file');
      const { StartError } = require('../../facade/admin/token') as typeof import('../../facade/admin/token');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const logger = pino({ level: flags.logLevel ?? 'info', name: 'strangler-facade' }, pino.destination({ dest: 1, sync: false }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startFacade } = require('../../facade/control/run') as typeof import('../../facade/control/run');
      let running;
      try {
        running = await startFacade({
          file: flags.config,
          logger,
          logLevelFromFlag: flags.logLevel !== undefined,
          watch: flags.watch,
          overrides: { host: flags.host, port: flags.port, adminHost: flags.adminHost, adminPort: flags.adminPort },
        });
      } catch (err) {
        logger.flush();
        if (err instanceof ConfigFileError) throw new CliError(err.problems.join('\n'));
        if (err instanceof StartError) throw new CliError(`strangler facade: ${err.message}`);
        throw err;
      }
      const url = (a: { address: string; port: number }): string => `http://${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`;
      process.stderr.write(
        `strangler facade listening on ${url(running.proxy)}, ${running.admin ? `admin API on ${url(running.admin)}` : 'admin API off'}${running.adminOpen ? ' (NO TOKEN)' : ''}\n`,
      );

      const onHup = (): void => {
        logger.info({ event: 'signal', signal: 'SIGHUP' }, 'SIGHUP: reloading the config');
        running.controller.reload('signal').catch((err: unknown) => logger.error({ err }, 'config reload failed'));
      };
      process.on('SIGHUP', onHup);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      process.off('SIGHUP', onHup);
      logger.info({ event: 'signal', signal }, `${signal}: finishing in-flight requests (up to ${flags.shutdownTimeout} ms)`);
      const graceful = await running.close(flags.shutdownTimeout);
      if (graceful) logger.info({ event: 'stopped' }, 'strangler facade stopped');
      else logger.warn({ event: 'stopped' }, `in-flight requests did not finish within ${flags.shutdownTimeout} ms; exiting anyway`);
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
      // A keep-alive socket the data plane could not close must not keep the process alive after a stop.
      setTimeout(() => process.exit(graceful ? 0 : 1), 2000).unref();
      if (!graceful) process.exitCode = 1;
    });
}
