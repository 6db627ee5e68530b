import { routesOf, show } from './helpers';

const lines = (...l: string[]): string => l.join('\n');

describe('Koa (koa-router / @koa/router, koa-mount)', () => {
  it('joins router prefixes, nested router.use(path, child.routes()), named routes and koa-mount', () => {
    const routes = routesOf({
      'users.ts': lines(
        "import Router from '@koa/router';",
        "const router = new Router({ prefix: '/users' });",
        "router.get('/', list);",
        "router.get('user', '/:id', one);",
        "router.del('/:id', remove);",
        'export default router;',
      ),
      'rpc.ts': lines(
        "import Router from 'koa-router';",
        'const router = new Router();',
        "router.post('documents.list', h);",
        "router.register('/documents.info', ['get', 'post'], h);",
        'export default router;',
      ),
      'api.ts': lines(
        "import Koa from 'koa';",
        "import Router from 'koa-router';",
        "import users from './users';",
        "import rpc from './rpc';",
        'const api = new Koa();',
        'const router = new Router();',
        "router.use('/v1', users.routes());",
        "router.use('/', rpc.routes(), rpc.allowedMethods());",
        'api.use(router.routes());',
        'export default api;',
      ),
      'server.ts': lines("import Koa from 'koa';", "import mount from 'koa-mount';", "import api from './api';", 'const app = new Koa();', "app.use(mount('/api', api));"),
    });
    expect(show(routes)).toEqual([
      'GET /api/documents.info rpc.ts:4',
      'POST /api/documents.info rpc.ts:4',
      'POST /api/documents.list rpc.ts:3',
      'GET /api/v1/users users.ts:3',
      'DELETE /api/v1/users/:id users.ts:5',
      'GET /api/v1/users/:id users.ts:4',
    ]);
  });

  it('applies router.prefix() set after the routes', () => {
    const routes = routesOf({
      'r.ts': lines("import Router from '@koa/router';", 'const r = new Router();', "r.get('/status', h);", "r.prefix('/internal');"),
    });
    expect(show(routes)).toEqual(['GET /internal/status r.ts:3']);
  });
});

describe('Fastify', () => {
  it('reads shorthands, route({ method, url }) and register(plugin, { prefix }) nesting, fastify-plugin without its own prefix', () => {
    const routes = routesOf({
      'plugins/objects.ts': lines(
        "import type { FastifyInstance } from 'fastify';",
        'export default async function objects(app: FastifyInstance) {',
        "  app.get('/:bucket/*', h);",
        "  app.route({ method: ['PUT', 'POST'], url: '/:bucket/upload', handler: h });",
        "  app.route({ method: 'DELETE', url: '/:bucket', handler: h });",
        '}',
      ),
      'plugins/health.ts': lines("import fp from 'fastify-plugin';", "export default fp(async (app) => { app.get('/health', h); });"),
      'app.ts': lines(
        "import fastify from 'fastify';",
        "import objects from './plugins/objects';",
        "import health from './plugins/health';",
        'const app = fastify();',
        'app.register(',
        '  async (v1) => {',
        "    v1.register(objects, { prefix: '/object' });",
        "    v1.register(import('./plugins/admin'), { prefix: '/admin' });",
        '  },',
        "  { prefix: '/v1' },",
        ');',
        "app.register(health, { prefix: '/ignored' });",
      ),
      'plugins/admin.ts': lines("import type { FastifyInstance } from 'fastify';", "export default async (app: FastifyInstance) => { app.post('/reset', h); };"),
    });
    expect(show(routes)).toEqual([
      'GET /health plugins/health.ts:2',
      'POST /v1/admin/reset plugins/admin.ts:2',
      'DELETE /v1/object/:bucket plugins/objects.ts:5',
      'GET /v1/object/:bucket/* plugins/objects.ts:3',
      'POST /v1/object/:bucket/upload plugins/objects.ts:4',
      'PUT /v1/object/:bucket/upload plugins/objects.ts:4',
    ]);
  });

  it('lists a plugin nobody registers (autoloaded from a folder) with its own paths', () => {
    const routes = routesOf({
      'routes/tenants.ts': lines("import type { FastifyInstance } from 'fastify';", "export default async function (fastify: FastifyInstance) { fastify.get('/tenants', h); }"),
    });
    expect(show(routes)).toEqual(['GET /tenants routes/tenants.ts:2']);
  });
});

describe('Hono', () => {
  it('reads verbs, on(), route(path, sub) and basePath()', () => {
    const routes = routesOf({
      'books.ts': lines("import { Hono } from 'hono';", 'export const books = new Hono();', "books.get('/', h);", "books.on(['PUT', 'PATCH'], '/:id', h);"),
      'app.ts': lines("import { Hono } from 'hono';", "import { books } from './books';", "const app = new Hono().basePath('/api');", "app.route('/books', books);", "app.get('/health', h);"),
    });
    expect(show(routes)).toEqual(['GET /api/books books.ts:3', 'PATCH /api/books/:id books.ts:4', 'PUT /api/books/:id books.ts:4', 'GET /api/health app.ts:5']);
  });
});
