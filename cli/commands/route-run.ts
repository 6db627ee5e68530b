import Table from 'cli-table3';
import pc from 'picocolors';
import { request } from 'undici';
import { CliError } from '../errors';
import type { WeightChange } from '../../facade/control/controller';

export interface AdminFlags {
  admin: string;
  token?: string;
  json?: boolean;
}

interface RouteRow {
  name: string;
  service: string;
  weight: number;
  serviceShare: number;
  requests: { legacy: number; service: number; shadow: number };
  errorRate: number;
  fallbacks: number;
  breaker: string;
}



/** Calls the admin API; every failure becomes one line the user can act on (exit 2). */
async function call(flags: AdminFlags, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<{ status: number; data: unknown }> {
  const token = flags.token ?? process.env.STRANGLER_ADMIN_TOKEN;
  let url: URL;
  try {
    url = new URL(path, flags.admin.endsWith('/') ? flags.admin : `${flags.admin}/`);
  } catch {
    throw new CliError(`--admin: not a URL: "${flags.admin}"`);
  }
  let res;
  try {
    res = await request(url, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
  } catch (err) {
    const e = err as { code?: string; message: string };
    throw new CliError(`cannot reach the admin API at ${flags.admin}: ${e.code ?? e.message} (is \`strangler facade\` running? see --admin)`);
  }
  const text = await res.body.text();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = { error: text.slice(0, 200) };
  }
  if (res.statusCode === 401)
    throw new CliError(token ? 'admin API refused the token (check --token or STRANGLER_ADMIN_TOKEN)' : 'admin API requires a token: pass --token or set STRANGLER_ADMIN_TOKEN');
  if (res.statusCode === 404 && Array.isArray((data as { routes?: unknown }).routes)) throw new CliError(String((data as { error: string }).error));
  if (res.statusCode >= 400 && res.statusCode !== 409) throw new CliError(`admin API: ${res.statusCode} ${String((data as { error?: string }).error ?? text)}`);
  return { status: res.statusCode, data };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export async function list(flags: AdminFlags): Promise<void> {
  const { data } = await call(flags, 'GET', 'routes');
  const routes = (data as { routes: RouteRow[] }).routes;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(routes, null, 2)}\n`);
    return;
  }
  const style = pc.isColorSupported ? {} : { head: [], border: [] };
  const table = new Table({ style, head: ['route', 'service', 'weight', 'observed share', 'requests', 'error rate', 'fallbacks', 'breaker'] });
  for (const r of routes)
    table.push([r.name, r.service, `${r.weight}%`, pct(r.serviceShare), String(r.requests.legacy + r.requests.service), pct(r.errorRate), String(r.fallbacks), r.breaker]);
  process.stdout.write(`${routes.length ? table.toString() : 'no routes configured'}\n`);
}

export async function change(flags: AdminFlags, method: 'PUT' | 'POST', path: string, body?: unknown): Promise<void> {
  const { status, data } = await call(flags, method, path, body);
  const c = data as WeightChange & { error?: string };
  if (status === 409 && c.weight === undefined) throw new CliError(`admin API: ${c.error ?? 'conflict'}`);
  if (flags.json) process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
  else process.stdout.write(`route ${c.route}: weight ${c.previous} -> ${c.weight}${c.persisted ? ` (saved to ${c.file})` : ''}\n`);
  if (!c.persisted) {
    // The facade serves the new weight, but a restart would lose it: that is a failure to report.
    process.stderr.write(`warning: ${c.error ?? 'the change was not saved to the config file'}\n`);
    process.exitCode = 1;
  }
}
