/**
 * The admin API (express 5, its own port). `express.json()` is mounted here and only here: the
 * proxy path must never run a body parser, or it would consume request bodies before forwarding.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Facade, RouteStat } from '../index';
import { ChangeRefusedError, NoPreviousWeightError, RouteNotFoundError, type ConfigController, type WeightChange } from '../control/controller';
import { RolloutError, type RolloutCommand, type RolloutManager } from '../rollout/manager';
import { requireToken } from './auth';

export interface AdminDeps {
  facade: Facade;
  controller: ConfigController;
  /** Undefined only in open loopback mode (see token.ts). */
  token: string | undefined;
  logger: Logger;
  /** Absent: the rollout endpoints answer 404. */
  rollouts?: RolloutManager;
}

export interface RouteView {
  name: string;
  service: string;
  match: Record<string, unknown>;
  /** The weight the facade is running. */
  weight: number;
  /** The weight in the config file (null: the route is not in it); differs from `weight` after a change that could not be saved. */
  fileWeight: number | null;
  inMemoryOnly: boolean;
  fallback: boolean;
  shadow: boolean;
  /** Observed share of the route's requests sent to the service since start (0..1). */
  serviceShare: number;
  /** The same over the last minute. */
  recent: RouteStat['recent'];
  requests: RouteStat['requests'];
  errors: RouteStat['errors'];
  errorRate: number;
  fallbacks: number;
  shadowCompared: number;
  shadowMismatches: number;
  breaker: RouteStat['breaker'];
  /** The service's instances: healthy / configured, and how often health checks took one out. */
  instances: RouteStat['instances'];
  ejections: number;
}

export interface RoutesAnswer {
  routes: RouteView[];
  /** The config file: `valid` false while the file on disk is invalid (the last good config serves). */
  file: { path: string; valid: boolean; problems: string[] };
}

export function routesAnswer(facade: Facade, controller: ConfigController): RoutesAnswer {
  const stats = new Map(facade.stats().map((s) => [s.name, s]));
  const file = controller.fileState();
  const routes = controller.current().routes.map((r): RouteView => {
    const s = stats.get(r.name);
    const requests = s?.requests ?? { legacy: 0, service: 0, shadow: 0 };
    const errors = s?.errors ?? { legacy: 0, service: 0 };
    const served = requests.legacy + requests.service;
    const fileWeight = file.weights.get(r.name) ?? null;
    return {
      name: r.name,
      service: r.service,
      match: r.match as Record<string, unknown>,
      weight: r.weight,
      fileWeight,
      inMemoryOnly: fileWeight !== r.weight,
      fallback: r.fallback,
      shadow: r.shadow !== undefined,
      serviceShare: s?.serviceShare ?? 0,
      recent: s?.recent ?? { requests: 0, serviceShare: 0 },
      requests,
      errors,
      errorRate: served > 0 ? (errors.legacy + errors.service) / served : 0,
      fallbacks: s?.fallbacks ?? 0,
      shadowCompared: s?.shadowCompared ?? 0,
      shadowMismatches: s?.shadowMismatches ?? 0,
      breaker: s?.breaker ?? 'closed',
      instances: s?.instances ?? { healthy: 0, total: 0 },
      ejections: s?.ejections ?? 0,
    };
  });
  return { routes, file: { path: file.file, valid: file.valid, problems: file.problems } };
}

/** 200 when the file was updated; 409 when the change is live but could not be written (e.g. read-only ConfigMap). */
function sendChange(res: Response, change: WeightChange): void {
  res.status(change.persisted ? 200 : 409).json(change);
}

const COMMANDS: readonly RolloutCommand[] = ['start', 'pause', 'resume', 'abort'];

export function createAdminApp({ facade, controller, token, logger, rollouts }: AdminDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const ready = facade.ready();
    res.status(ready ? 200 : 503).json({ ready });
  });

  app.use(requireToken(token));
  app.use(express.json({ limit: '16kb' }));

  app.get('/routes', (_req, res) => {
    res.json(routesAnswer(facade, controller));
  });

  app.put('/routes/:name/weight', async (req, res) => {
    const { weight, force } = (req.body ?? {}) as { weight?: unknown; force?: unknown };
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 100 || (force !== undefined && typeof force !== 'boolean')) {
      res.status(400).json({ error: `body must be {"weight": <number from 0 to 100>, "force"?: true}, got ${JSON.stringify(req.body ?? null)}` });
      return;
    }
    sendChange(res, await controller.setWeight(req.params.name, weight, { force: force === true }));
  });

  app.post('/routes/:name/promote', async (req, res) => {
    const force: unknown = (req.body as { force?: unknown } | undefined)?.force;
    if (force !== undefined && typeof force !== 'boolean') {
      res.status(400).json({ error: `"force" must be true or false, got ${JSON.stringify(force)}` });
      return;
    }
    sendChange(res, await controller.setWeight(req.params.name, 100, { force: force === true }));
  });

  // Default: back to 0 (all traffic on legacy). {"to": "previous"} restores the weight before the last change.
  app.post('/routes/:name/rollback', async (req, res) => {
    const to: unknown = (req.body as { to?: unknown } | undefined)?.to;
    if (to !== undefined && to !== 'previous' && to !== 0) {
      res.status(400).json({ error: `"to" must be "previous" or absent, got ${JSON.stringify(to)}` });
      return;
    }
    sendChange(res, to === 'previous' ? await controller.rollbackToPrevious(req.params.name) : await controller.setWeight(req.params.name, 0));
  });

  if (rollouts) {
    app.get('/rollouts', async (_req, res) => {
      res.json({ rollouts: await rollouts.views() });
    });
    app.get('/routes/:name/rollout', async (req, res) => {
      res.json(await rollouts.view(req.params.name));
    });
    app.post('/routes/:name/rollout/:command', async (req, res) => {
      const cmd = req.params.command as RolloutCommand;
      if (!COMMANDS.includes(cmd)) {
        res.status(404).json({ error: `no such rollout command "${req.params.command}" (commands: ${COMMANDS.join(', ')})` });
        return;
      }
      res.json(await rollouts.command(req.params.name, cmd));
    });
  }

  app.post('/reload', async (_req, res) => {
    const r = await controller.reload('admin');
    res.status(r.result === 'rejected' ? 422 : 200).json(r);
  });

  app.get('/config', (_req, res) => {
    res.json({ file: controller.file, config: controller.current() });
  });

  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', facade.registry.contentType);
    res.send(await facade.registry.metrics());
  });

  app.use((req, res) => {
    res.status(404).json({ error: `no such admin endpoint: ${req.method} ${req.path}` });
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof RouteNotFoundError) {
      res.status(404).json({ error: err.message, routes: err.routes });
      return;
    }
    if (err instanceof RolloutError) {
      res.status(err.status).json({ error: err.message, ...(err.routes ? { routes: err.routes } : {}) });
      return;
    }
    if (err instanceof NoPreviousWeightError) {
      res.status(409).json({ error: err.message });
      return;
    }
    if (err instanceof ChangeRefusedError) {
      res.status(err.reason === 'no_healthy_instance' ? 409 : 500).json({ error: err.message, refused: err.reason });
      return;
    }
    const e = err as { status?: number; type?: string; message?: string };
    if (e.type === 'entity.parse.failed' || e.type === 'entity.too.large') {
      res.status(e.status ?? 400).json({ error: `bad request body: ${e.message}` });
      return;
    }
    logger.error({ err }, 'admin API error');
    res.status(500).json({ error: e.message ?? 'internal error' });
  });
  return app;
}
