import path from 'node:path';
import { analyze } from '../../analyze';
import { validateReport } from '../../schema';
import { analysisOf, routesOfDir, show } from './helpers';

const FIXTURES = path.join(__dirname, 'fixtures');
const lines = (...l: string[]): string => l.join('\n');

describe('tRPC procedures and their OpenAPI routes', () => {
  it('reports every procedure at <mount>/<dotted.path> and every openapi meta as a REST route under its mount', async () => {
    const report = await analyze(path.join(FIXTURES, 'trpc'));
    expect(show(report.routes)).toEqual([
      'POST /api/trpc/admin.audit.clear src/routers/admin/index.ts:6',
      'GET /api/trpc/admin.stats.daily src/routers/admin/stats.ts:4',
      'POST /api/trpc/notes.add src/routers/notes.ts:15',
      'POST /api/trpc/notes.archive src/routers/notes.ts:19',
      'GET /api/trpc/notes.byId src/routers/notes.ts:11',
      'GET /api/trpc/notes.list src/routers/notes.ts:8',
      'GET /api/trpc/notes.search src/routers/notes.ts:22',
      'GET /api/trpc/users.hidden src/routers/users.ts:10',
      'POST /api/trpc/users.login src/routers/users.ts:6',
      'GET /api/trpc/users.me src/routers/users.ts:9',
      'GET /healthz src/server.ts:7',
      // stats.ts writes `get`: methods are upper case
      'GET /v1/rest/admin/stats/daily src/routers/admin/stats.ts:5',
      // the last meta that sets openapi wins over the base procedure's
      'POST /v1/rest/login src/routers/users.ts:7',
      // a helper spreads the meta and prefixes its path
      'POST /v1/rest/notebooks/:notebookId/notes src/routers/notes.ts:16',
      'GET /v1/rest/notes src/routers/notes.ts:9',
      // meta from a constant in another module: the procedure's own .meta(...) call
      'GET /v1/rest/notes/:noteId src/routers/notes.ts:12',
    ]);
    expect(report.routes.filter((r) => r.path.startsWith('/api/trpc')).every((r) => r.via === 'trpc')).toBe(true);
    expect(report.routes.filter((r) => r.path.startsWith('/v1/rest')).every((r) => r.via === 'trpc-openapi')).toBe(true);
    expect(report.routes.find((r) => r.path === '/healthz')?.via).toBeUndefined();
    expect(report.warnings.filter((w) => w.code?.startsWith('routes'))).toEqual([
      { file: 'src/routers/notes.ts', line: 23, code: 'routes-unread-meta', message: 'the OpenAPI path of tRPC procedure notes.search is not read: its route is missing from the report' },
    ]);
    expect(validateReport(JSON.parse(JSON.stringify(report)))).toEqual([]);
  });

  it('gives the same routes reading every file whole', async () => {
    const report = await analyze(path.join(FIXTURES, 'trpc'));
    expect(show(report.routes)).toEqual(show(routesOfDir(path.join(FIXTURES, 'trpc'))));
  });

  it('reads fastify plugins and standalone servers', () => {
    const { routes, warnings } = analysisOf({
      'trpc.ts': lines("import { initTRPC } from '@trpc/server';", 'const t = initTRPC.create();', 'export const appRouter = t.router({', '  ping: t.procedure.query(() => 1),', "  echo: t.procedure.meta({ openapi: { method: 'POST', path: '/echo' } }).mutation(() => 2),", '});'),
      'fastify.ts': lines(
        "import Fastify from 'fastify';",
        "import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';",
        "import { fastifyTRPCOpenApiPlugin } from 'trpc-openapi';",
        "import { appRouter } from './trpc';",
        'const server = Fastify();',
        "server.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router: appRouter } });",
        "server.register(fastifyTRPCOpenApiPlugin, { basePath: '/api', router: appRouter });",
      ),
      'standalone.ts': lines("import { createHTTPServer } from '@trpc/server/adapters/standalone';", "import { appRouter } from './trpc';", 'createHTTPServer({ router: appRouter }).listen(3000);'),
    });
    expect(show(routes)).toEqual(['POST /api/echo trpc.ts:5', 'POST /echo trpc.ts:5', 'GET /ping trpc.ts:4', 'POST /trpc/echo trpc.ts:5', 'GET /trpc/ping trpc.ts:4']);
    expect(warnings).toEqual([]);
  });

  it('warns when a handler is mounted nowhere it can follow, or tRPC is imported and no procedure is served', () => {
    const router = lines("import { initTRPC } from '@trpc/server';", 'const t = initTRPC.create();', 'export const appRouter = t.router({ ping: t.procedure.query(() => 1) });');
    const unmounted = analysisOf({
      'trpc.ts': router,
      'server.ts': lines(
        "import { createServer } from 'node:http';",
        "import { createHTTPHandler } from '@trpc/server/adapters/standalone';",
        "import { appRouter } from './trpc';",
        'const handler = createHTTPHandler({ router: appRouter });',
        'createServer(handler).listen(3000);',
      ),
    });
    expect(unmounted.routes).toEqual([]);
    expect(unmounted.warnings).toEqual([
      { file: 'trpc.ts', line: 1, code: 'routes-not-found', message: '@trpc/server is imported (2 files: trpc.ts, server.ts) but none of its routes was found: routes registered through code the analyzer cannot follow are missing from the report' },
      { file: 'server.ts', line: 4, code: 'routes-unmounted-trpc', message: "a tRPC handler made here is not mounted on any router the analysis follows: its procedures' routes are missing from the report" },
    ]);
    // a Next.js API route: the handler is the module's export, served where the file sits
    const next = analysisOf({
      'trpc.ts': router,
      'pages/api/trpc/[trpc].ts': lines("import { createNextApiHandler } from '@trpc/server/adapters/next';", "import { appRouter } from '../../../trpc';", 'export default createNextApiHandler({ router: appRouter });'),
    });
    expect(next.routes).toEqual([]);
    expect(next.warnings.map((w) => `${w.code} ${w.file}:${w.line}`)).toEqual(['routes-not-found trpc.ts:1']);
  });

  it('warns at the .meta(...) call whose value it cannot read', () => {
    const { routes, warnings } = analysisOf({
      'app.ts': lines(
        "import express from 'express';",
        "import { initTRPC } from '@trpc/server';",
        "import { createOpenApiExpressMiddleware } from 'trpc-openapi';",
        "import { metaFor } from 'some-meta-package';",
        'const t = initTRPC.create();',
        'const appRouter = t.router({',
        "  a: t.procedure.meta(metaFor('a')).query(() => 1),",
        "  b: t.procedure.meta({ openapi: { method: 'GET', path: '/b' } }).query(() => 2),",
        '});',
        'const app = express();',
        "app.use('/open', createOpenApiExpressMiddleware({ router: appRouter }));",
      ),
    });
    expect(show(routes)).toEqual(['GET /open/b app.ts:8']);
    expect(warnings).toEqual([{ file: 'app.ts', line: 7, code: 'routes-unread-meta', message: 'the meta of tRPC procedure a is not read: if it sets openapi, its route is missing from the report' }]);
  });
});
