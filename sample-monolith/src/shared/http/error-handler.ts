import type { ErrorRequestHandler } from 'express';
import { HttpError } from '../errors';
import { ctxOf } from './context';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** better-sqlite3's SqliteError carries the extended result code, e.g. SQLITE_CONSTRAINT_FOREIGNKEY. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  SQLITE_CONSTRAINT_UNIQUE: 'This already exists',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'This already exists',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'Other records still refer to this, or it refers to something missing',
};

/** The one place errors become HTTP responses: `{ error: { code, message, details? } }`. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    return;
  }
  const sqliteCode = (err as { code?: unknown }).code;
  if (typeof sqliteCode === 'string' && CONSTRAINT_MESSAGES[sqliteCode]) {
    res.status(409).json({ error: { code: 'CONFLICT', message: CONSTRAINT_MESSAGES[sqliteCode] } });
    return;
  }
  const parseError = err as BodyParserError;
  if (parseError.type === 'entity.parse.failed') {
    res.status(400).json({ error: { code: 'INVALID_JSON', message: 'The request body is not valid JSON' } });
    return;
  }
  if (parseError.type === 'entity.too.large') {
    res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' } });
    return;
  }
  ctxOf(req).logger.error('unhandled error', { err: String(err instanceof Error ? err.stack : err), method: req.method, url: req.originalUrl });
  res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong' } });
};
