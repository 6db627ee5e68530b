import type { Request } from 'express';
import type { Db } from '../db';
import type { AppConfig } from '../config';
import type { Logger } from '../logger';

/** What every handler needs; built once in the composition root and kept in app.locals. */
export interface AppContext {
  db: Db;
  config: AppConfig;
  logger: Logger;
}

export function ctxOf(req: Request): AppContext {
  return req.app.locals.ctx as AppContext;
}
