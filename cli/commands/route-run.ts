import Table from 'cli-table3';
import pc from 'picocolors';
import { request } from 'undici';
import { CliError } from '../errors';
import type { RoutesAnswer, RouteView } from '../../facade/admin/app';
import type { WeightChange } from '../../facade/control/controller';

import { DEFAULT_ADMIN, type AdminFlags } from './route-options';

/** Where the admin API listens unless told otherwise, for messages about the wrong address. */
const WHERE = `the admin API listens on ${DEFAULT_ADMIN} unless admin.host/admin.port in routes.yaml (or --admin-host/--admin-port) say otherwise; point --admin at it`;

function adminUrl(flags: AdminFlags, path: string): URL {
  try {
    return new URL(path, flags.admin.endsWith('/') ? flags.admin : `${flags.admin}/`);
  } catch {
    throw new CliError(`--admin: not a URL: "${flags.admin}"`);
  }
}

/** Calls the admin API; every failure becomes one line the user can act on (exit 2). */
export async function call(flags: AdminFlags, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<{ status: number; data: unknown }> {
  const token = flags.token ?? process.env.STRANGLER_ADMIN_TOKEN;
  const url = adminUrl(flags, path);
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
    throw new CliError(`cannot reach the admin API at ${flags.admin}: ${e.code ?? e.message} (is \`strangler facade\` running? ${WHERE})`);
  }
  const text = await res.body.text();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const error = (data as { error?: unknown } | undefined)?.error;
  if (res.statusCode === 401)
    throw new CliError(token ? 'admin API refused the token (check --token or STRANGLER_ADMIN_TOKEN)' : 'admin API requires a token: pass --token or set STRANGLER_ADMIN_TOKEN');
  if (res.statusCode === 404 && Array.isArray((data as { routes?: unknown } | undefined)?.routes)) throw new CliError(String(error));
  // The admin API's own refusals carry a one-line `error` string; anything else answered is not the admin API.
  if ((res.statusCode === 409 || res.statusCode === 500) && typeof error === 'string') {
    if ((data as Partial<WeightChange>).weight === undefined) throw new CliError(`admin API: ${error}`);
  } else if (res.statusCode >= 400) {
    throw new CliError(`${method} ${url.href} answered ${res.statusCode} ${summary(data, text)}: not the strangler admin API? (${WHERE})`);
  }
  return { status: res.statusCode, data };
}

/** A short, readable account of an answer body (JSON error messages, else the first bytes of text). */
function summary(data: unknown, text: string): string {
  const error = (data as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return `"${error}"`;
  const message = (error as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string') return `"${message}"`;
  const t = text.replace(/\s+/g, ' ').trim();
  return t === '' ? '(empty body)' : JSON.stringify(t.length > 80 ? `${t.slice(0, 80)}…` : t);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export async function list(flags: AdminFlags): Promise<void> {
  const { data } = await call(flags, 'GET', 'routes');
  const answer = data as Partial<RoutesAnswer> | undefined;
  if (!Array.isArray(answer?.routes)) throw new CliError(`GET ${adminUrl(flags, 'routes').href} answered without a route list: not the strangler admin API? (${WHERE})`);
  const routes = answer.routes;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(routes, null, 2)}\n`);
    return;
  }
  if (routes.length === 0) {
    process.stdout.write('no routes configured\n');
    return;
  }
  const style = pc.isColorSupported ? {} : { head: [], border: [] };
  const head = ['route', 'service', 'weight', 'share 1 min / total', 'requests', 'error rate', 'fallbacks', 'breaker', 'healthy', 'ejections'];
  const table = new Table({ style, head });
  for (const r of routes)
    table.push([
      r.name,
      r.service,
      `${r.weight}%${r.inMemoryOnly ? ' *' : ''}`,
      // the share of the route's requests sent to the service: over the last minute, and since start
      `${r.recent.requests === 0 ? '-' : pct(r.recent.serviceShare)} / ${pct(r.serviceShare)}`,
      String(r.requests.legacy + r.requests.service),
      pct(r.errorRate),
      String(r.fallbacks),
      r.breaker,
      `${r.instances.healthy}/${r.instances.total}`,
      String(r.ejections),
    ]);
  const notes = footnotes(routes, answer.file);
  process.stdout.write(`${table.toString()}\n${notes.map((n) => `${n}\n`).join('')}`);
}

/** What the table alone cannot say: weights not in the file, an invalid file, services with nothing healthy. */
function footnotes(routes: RouteView[], file: RoutesAnswer['file'] | undefined): string[] {
  const out: string[] = [];
  const memoryOnly = routes.filter((r) => r.inMemoryOnly);
  if (memoryOnly.length > 0) {
    const says = memoryOnly.map((r) => `${r.name} ${r.fileWeight === null ? 'absent' : `${r.fileWeight}%`}`).join(', ');
    out.push(`* in memory only: ${file?.path ?? 'the config file'} says ${says}. The file wins the next time it is read (an edit, a touch, SIGHUP or POST /reload).`);
  }
  if (file && !file.valid) out.push(`${file.path} on disk is invalid, the last good config keeps serving: ${file.problems.join('; ')}`);
  for (const r of routes) if (r.instances.total > 0 && r.instances.healthy === 0) out.push(`route ${r.name}: service ${r.service} has no healthy instance; its requests go to legacy.`);
  return out;
}

export async function change(flags: AdminFlags, method: 'PUT' | 'POST', path: string, body?: unknown): Promise<void> {
  const { data } = await call(flags, method, path, body);
  const c = data as WeightChange & { error?: string };
  if (typeof c?.route !== 'string' || typeof c.weight !== 'number')
    throw new CliError(`${method} ${adminUrl(flags, path).href} answered without a weight change: not the strangler admin API? (${WHERE})`);
  if (flags.json) process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
  else process.stdout.write(`route ${c.route}: weight ${c.previous} -> ${c.weight}${c.persisted ? ` (saved to ${c.file})` : ''}\n`);
  if (!c.persisted) {
    // The facade serves the new weight, but a restart would lose it: that is a failure to report.
    process.stderr.write(`warning: ${c.error ?? 'the change was not saved to the config file'}\n`);
    process.exitCode = 1;
  }
}
