import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '../errors';

export interface AccessClaims {
  sub: string;
  role: 'customer' | 'admin';
  sid: string;
}

export function signAccessToken(claims: AccessClaims, secret: string, ttlSeconds: number): string {
  return jwt.sign({ role: claims.role, sid: claims.sid }, secret, { subject: claims.sub, expiresIn: ttlSeconds, algorithm: 'HS256' });
}

export function verifyAccessToken(token: string, secret: string): AccessClaims {
  try {
    const decoded = jwt.verify(token, secret, { algorithms: ['HS256'] });
    if (typeof decoded === 'string' || typeof decoded.sub !== 'string') throw new UnauthorizedError('Malformed access token');
    const role = decoded.role === 'admin' ? 'admin' : 'customer';
    return { sub: decoded.sub, role, sid: String(decoded.sid) };
  } catch (err) {
    if (err instanceof UnauthorizedError) throw err;
    const reason = err instanceof jwt.TokenExpiredError ? 'Access token expired' : 'Invalid access token';
    throw new UnauthorizedError(reason);
  }
}
