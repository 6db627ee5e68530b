/** Where the admin API's bearer token comes from, and whether the admin API may start without one. */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { FacadeConfig } from '../config/schema';

/** The facade must not or cannot start as configured (unsafe admin binding, unreadable token, port taken). */
export class StartError extends Error {
  override name = 'StartError';
}

/** `admin.tokenFile` wins over the environment variable named by `admin.tokenEnv`. */
export function resolveAdminToken(admin: FacadeConfig['admin'], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (admin.tokenFile) {
    let token: string;
    try {
      token = readFileSync(admin.tokenFile, 'utf8').trim();
    } catch (err) {
      throw new StartError(`admin.tokenFile ${admin.tokenFile}: cannot read the admin token: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (!token) throw new StartError(`admin.tokenFile ${admin.tokenFile}: the file is empty`);
    return token;
  }
  const token = env[admin.tokenEnv]?.trim();
  return token ? token : undefined;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

/**
 * Policy: a token is required to bind the admin API anywhere but loopback. On loopback without a
 * token the API runs open to local processes (with a loud warning) but refuses browsers (see auth.ts).
 */
export function checkAdminExposure(admin: FacadeConfig['admin'], token: string | undefined): void {
  if (!token && !isLoopbackHost(admin.host))
    throw new StartError(
      `refusing to start the admin API on ${admin.host}:${admin.port} without a token: set ${admin.tokenEnv} or admin.tokenFile, or bind admin.host to 127.0.0.1`,
    );
}
