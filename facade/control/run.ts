/**
 * Starts everything `strangler facade` runs: the data plane from the config file, the admin API on
 * its own port, and the file watcher; and stops them in the reverse order.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { collectDefaultMetrics } from 'prom-client';
import { createFacade, type Facade } from '../index';
import { createAdminApp } from '../admin/app';
import { listenAdmin, type AdminServer } from '../admin/server';
import { StartError, checkAdminExposure, resolveAdminToken } from '../admin/token';
import { loadConfigFile } from './config-file';
import { applyOverrides, ConfigController, type AddressOverrides } from './controller';
import { watchConfigFile, type ConfigWatcher } from './watch';
import { RolloutManager } from '../rollout/manager';

/** Where a config's rollout state lives: beside it. */
export const rolloutStateFile = (configFile: string): string => `${configFile}.rollout.json`;

export interface StartOptions {
  file: string;
  logger: Logger;
  /** When false, the logger follows the file's `logging.level` (also on reload). */
  logLevelFromFlag?: boolean;
  overrides?: AddressOverrides;
  /** Watch the file (default); when false, reload only on SIGHUP or POST /reload. */
  watch?: boolean;
  env?: NodeJS.ProcessEnv;
  /** This replica's name in the rollout state (default host:pid:random). */
  replicaId?: string;
}

export interface RunningFacade {
  facade: Facade;
  controller: ConfigController;
  rollouts: RolloutManager;
  proxy: AddressInfo;
  /** Undefined when `admin.enabled` is false. */
  admin?: AddressInfo;
  /** True when the admin API runs without a token (loopback only). */
  adminOpen: boolean;
  /** Graceful stop: resolves true if in-flight requests finished within `timeoutMs`. */
  close(timeoutMs?: number): Promise<boolean>;
}

/** Throws ConfigFileError (bad config) or StartError (unsafe admin binding, unreadable token, port taken). */
export async function startFacade(options: StartOptions): Promise<RunningFacade> {
  const { logger } = options;
  const file = path.resolve(options.file);
  const source = await loadConfigFile(file);
  const config = applyOverrides(source.config, options.overrides ?? {});
  if (!options.logLevelFromFlag) logger.level = config.logging.level;

  const token = config.admin.enabled ? resolveAdminToken(config.admin, options.env) : undefined;
  if (config.admin.enabled) checkAdminExposure(config.admin, token);

  const facade = createFacade(config, { logger });
  if (!facade.registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: facade.registry });
  const controller = new ConfigController(facade, source, { logger, overrides: options.overrides, followLogLevel: !options.logLevelFromFlag });
  const rollouts = new RolloutManager(facade, controller, logger, { stateFile: rolloutStateFile(file), id: options.replicaId });

  let proxy: AddressInfo;
  try {
    proxy = await facade.listen();
  } catch (err) {
    await facade.close().catch(() => undefined);
    throw new StartError(`the facade cannot listen on ${config.listen.host}:${config.listen.port}: ${(err as Error).message}`);
  }

  let admin: AdminServer | undefined;
  if (config.admin.enabled) {
    try {
      admin = await listenAdmin(createAdminApp({ facade, controller, token, logger, rollouts }), config.admin.host, config.admin.port);
    } catch (err) {
      await facade.close().catch(() => undefined);
      throw new StartError(`the admin API cannot listen on ${config.admin.host}:${config.admin.port}: ${(err as Error).message}`);
    }
    if (!token)
      logger.warn(
        { event: 'admin_open' },
        `admin API on ${config.admin.host}:${admin.address.port} has NO TOKEN: any local process can change routing. Set ${config.admin.tokenEnv} or admin.tokenFile.`,
      );
  }

  const watcher: ConfigWatcher | undefined =
    options.watch === false
      ? undefined
      : watchConfigFile(file, () => void controller.reload('file').catch((err: unknown) => logger.error({ err }, 'config reload failed')), {
          onError: (err) => logger.warn({ err }, 'cannot watch the config directory; reload with SIGHUP or POST /reload'),
        });
  rollouts.start();
  logger.info({ event: 'started', file, proxy, admin: admin?.address, replica: rollouts.id }, 'strangler facade started');

  return {
    facade,
    controller,
    rollouts,
    proxy,
    admin: admin?.address,
    adminOpen: config.admin.enabled && !token,
    async close(timeoutMs = 10_000): Promise<boolean> {
      watcher?.close();
      await rollouts.close().catch((err: unknown) => logger.warn({ err }, 'rollouts did not stop cleanly'));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const graceful = await Promise.race([Promise.all([facade.close(), admin?.close()]).then(() => true as const), timedOut]);
      clearTimeout(timer);
      return graceful;
    },
  };
}
