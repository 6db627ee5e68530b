import express, { type Express } from 'express';
import { openDatabase, type Db } from '@shared/db';
import { loadConfig, type AppConfig } from '@shared/config';
import { createLogger, type Logger } from '@shared/logger';
import { errorHandler, requestLogger, routeNotFound, type AppContext } from '@shared/http';
import { authRouter } from './auth';
import { usersRouter } from './users';
import { notificationsRouter } from './notifications';
import { catalogRouter } from './catalog';
import { cartRouter } from './cart';
import { ordersRouter } from './orders';
import { paymentsRouter } from './payments';
import { inventoryRouter } from './inventory';
import { reviewsRouter } from './reviews';
import { feedRouter } from './feed';
import { reportsRouter } from './reports';

export interface AppOptions {
  db: Db;
  config?: AppConfig;
  logger?: Logger;
}

/** The composition root: every domain router is mounted here, under /api. */
export function createApp(options: AppOptions): Express {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.logLevel);
  const ctx: AppContext = { db: options.db, config, logger };

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.locals.ctx = ctx;
  app.use(express.json({ limit: '256kb' }));
  app.use(requestLogger);

  app.get('/health', (req, res) => {
    const row = ctx.db.prepare('SELECT 1 AS ok').get() as { ok: number };
    res.json({ status: row.ok === 1 ? 'ok' : 'degraded', uptimeSeconds: Math.round(process.uptime()) });
  });

  app.use('/api/auth', authRouter);
  app.use('/api/users', usersRouter);
  app.use('/api/catalog', catalogRouter);
  app.use('/api/cart', cartRouter);
  app.use('/api/orders', ordersRouter);
  app.use('/api/payments', paymentsRouter);
  app.use('/api/inventory', inventoryRouter);
  app.use('/api/reviews', reviewsRouter);
  app.use('/api/feed', feedRouter);
  app.use('/api/notifications', notificationsRouter);
  app.use('/api/admin', reportsRouter);

  app.use(routeNotFound);
  app.use(errorHandler);
  return app;
}

export { openDatabase };
