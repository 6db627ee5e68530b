import { InvalidArgumentError, type Command } from 'commander';
import Table from 'cli-table3';
import pc from 'picocolors';
import { request } from 'undici';
import { CliError } from '../errors';

interface AdminFlags {
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

interface WeightChange {
  route: string;
  weight: number;
  previous: number;
  persisted: boolean;
  file: string;
  error?: string;
}

const DEFAULT_ADMIN = 'http://127.0.0.1:8081';

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

async function list(flags: AdminFlags): Promise<void> {
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

async function change(flags: AdminFlags, method: 'PUT' | 'POST', path: string, body?: unknown): Promise<void> {
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

function parseWeight(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected a number from 0 to 100');
  return n;
}

function withAdminOptions(cmd: Command): Command {
  return cmd
    .option('--admin <url>', 'admin API of the running facade', DEFAULT_ADMIN)
    .option('--token <token>', 'admin bearer token (default: $STRANGLER_ADMIN_TOKEN)')
    .option('--json', 'print JSON');
}

export function register(program: Command): void {
  const route = program.command('route').description("drive a running facade's admin API: list, set weight, promote, roll back");
  withAdminOptions(route.command('list').description('list routes with weights, live traffic shares, error rates and breaker state')).action((flags: AdminFlags) => list(flags));
  withAdminOptions(
    route
      .command('set')
      .argument('<route>')
      .requiredOption('--weight <n>', 'share of traffic (0-100) moved to the service', parseWeight)
      .description("set a route's weight (saved to the config file)"),
  ).action((name: string, flags: AdminFlags & { weight: number }) => change(flags, 'PUT', `routes/${encodeURIComponent(name)}/weight`, { weight: flags.weight }));
  withAdminOptions(route.command('promote').argument('<route>').description('move a route fully to its service (weight 100)')).action((name: string, flags: AdminFlags) =>
    change(flags, 'POST', `routes/${encodeURIComponent(name)}/promote`),
  );
  withAdminOptions(
    route
      .command('rollback')
      .argument('<route>')
      .option('--previous', 'restore the weight the route had before its last change instead of 0')
      .description('send a route back to legacy (weight 0)'),
  ).action((name: string, flags: AdminFlags & { previous?: boolean }) =>
    change(flags, 'POST', `routes/${encodeURIComponent(name)}/rollback`, flags.previous ? { to: 'previous' } : undefined),
  );
}
