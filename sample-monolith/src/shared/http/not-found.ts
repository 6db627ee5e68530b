import type { RequestHandler } from 'express';

/** Distinct from a handler's NOT_FOUND: this means no route matched at all. */
export const routeNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'ROUTE_NOT_FOUND', message: `No route for ${req.method} ${req.path}` } });
};
