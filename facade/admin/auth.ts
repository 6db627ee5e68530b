/** Bearer-token check for the admin API, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { isLoopbackHost } from './token';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Hashing first gives equal-length buffers, so neither the token nor its length leaks through timing. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export function requireToken(token: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (token === undefined) {
      // Open mode (loopback, no token): keep web pages out. A page can reach 127.0.0.1 through the
      // user's browser (cross-site requests, DNS rebinding); the CLI and curl send neither header.
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (!isLoopbackHost(host) || req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined) {
        res.status(403).json({ error: 'the admin API runs without a token and only answers local non-browser clients; set a token to use it otherwise' });
        return;
      }
      next();
      return;
    }
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m || !tokenMatches(m[1].trim(), token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="strangler-admin"');
      res.status(401).json({ error: m ? 'invalid bearer token' : 'missing bearer token (Authorization: Bearer <token>)' });
      return;
    }
    next();
  };
}
