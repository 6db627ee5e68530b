import type { RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '@shared/errors';
import { ctxOf } from '@shared/http';
import { verifyAccessToken } from '@shared/security';
import type { AuthUser, Role } from './auth.types';
import { findActiveSession } from './auth.repository';

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

/** Every domain's routers use this, which is why auth is the most depended-on module after the shared kernel. */
export const requireAuth: RequestHandler = (req, res, next) => {
  const token = bearerToken(req.headers.authorization);
  if (!token) throw new UnauthorizedError('Missing bearer token in the Authorization header');
  const { db, config } = ctxOf(req);
  const claims = verifyAccessToken(token, config.jwtSecret);
  const session = findActiveSession(db, claims.sid);
  if (!session || String(session.user_id) !== claims.sub) throw new UnauthorizedError('Session has ended; log in again');
  const user: AuthUser = { id: session.user_id, role: session.role, sessionId: session.id };
  res.locals.user = user;
  next();
};

export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    const user = res.locals.user as AuthUser | undefined;
    if (!user) throw new UnauthorizedError();
    if (user.role !== role) throw new ForbiddenError(`This needs the ${role} role`);
    next();
  };
}

const adminOnly = requireRole('admin');

/** requireAuth then the admin role, as one handler so routes stay `router.get(path, requireAdmin, handler)`. */
export const requireAdmin: RequestHandler = (req, res, next) => {
  requireAuth(req, res, () => adminOnly(req, res, next));
};

export function currentUser(res: Response): AuthUser {
  const user = res.locals.user as AuthUser | undefined;
  if (!user) throw new UnauthorizedError();
  return user;
}
