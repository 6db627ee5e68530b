/**
 * compose.yaml: the monolith, the service and the facade together, the way the facade will run in
 * front of them. The monolith and the service share the monolith's data volume while tables are
 * shared; the facade runs from strangler's own folder, mounted read-only.
 */
import type { RouteEntry } from '../facade-routes';
import type { ExtractPlan } from '../plan';

export interface ComposeOptions {
  port: number;
  monolithDir: string;
  stranglerDir: string;
  monolithDbFile: string;
  secrets: string[];
  routes: RouteEntry[];
  /** The data is SQLite files on volumes; otherwise a database server the monolith's configuration names. */
  sqlite: boolean;
}

export function composeFile(plan: ExtractPlan, o: ComposeOptions): Record<string, unknown> {
  const name = plan.name;
  const secretEnv = Object.fromEntries(o.secrets.map((s) => [s, `\${${s}:?set ${s} (the monolith and the service must agree on it)}`]));
  const health = (port: number) => ({
    test: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
    interval: '10s',
    timeout: '3s',
    retries: 3,
  });
  return {
    name: `${name}-strangler`,
    services: {
      monolith: {
        build: { context: o.monolithDir },
        environment: { PORT: '3000', HOST: '0.0.0.0', ...(o.sqlite ? { DATABASE_PATH: `/data/${o.monolithDbFile}` } : {}), ...secretEnv },
        ...(o.sqlite ? { volumes: ['monolith-data:/data'] } : {}),
        healthcheck: health(3000),
      },
      [name]: {
        build: { context: '.' },
        environment: { PORT: String(o.port), ...(o.sqlite ? { DATABASE_PATH: `/data/${name}.db`, MONOLITH_DATABASE_PATH: `/monolith/${o.monolithDbFile}` } : {}), ...secretEnv },
        ...(o.sqlite ? { volumes: [`${name}-data:/data`, 'monolith-data:/monolith'] } : {}),
        depends_on: { monolith: { condition: 'service_healthy' } },
        healthcheck: health(o.port),
      },
      facade: {
        image: 'node:20-bookworm-slim',
        command: ['node', '/strangler/bin/strangler.js', 'facade', '-c', '/config/routes.yaml'],
        environment: { STRANGLER_ADMIN_TOKEN: '${STRANGLER_ADMIN_TOKEN:?set STRANGLER_ADMIN_TOKEN (the admin API listens beyond loopback here)}' },
        volumes: [`${o.stranglerDir}:/strangler:ro`, './compose.routes.yaml:/config/routes.yaml:ro'],
        ports: ['8080:8080', '8081:8081'],
        depends_on: { monolith: { condition: 'service_healthy' }, [name]: { condition: 'service_started' } },
      },
    },
    ...(o.sqlite ? { volumes: { 'monolith-data': {}, [`${name}-data`]: {} } } : {}),
  };
}
