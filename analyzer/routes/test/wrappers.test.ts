import { routesOf, show } from './helpers';

const lines = (...l: string[]): string => l.join('\n');

describe("routes behind the app's own wrappers", () => {
  it('follows a Controller base class: this.route({ method, path, handler }) and this.get(path, …) end in router[method](path)', () => {
    const routes = routesOf({
      'lib/controller.ts': lines(
        "import { Router, type IRouter } from 'express';",
        'export default class Controller {',
        '  app: IRouter;',
        '  constructor() {',
        '    this.app = Router();',
        '  }',
        '  route(options: { method: string; path: string; handler: unknown }): void {',
        '    this.app[options.method](options.path, guard, options.handler);',
        '  }',
        '  get(path: string, handler: unknown): void {',
        "    this.route({ method: 'get', path, handler });",
        '  }',
        '  use(path: string, router: IRouter): void {',
        '    this.app.use(path, router);',
        '  }',
        '  get router(): IRouter {',
        '    return this.app;',
        '  }',
        '}',
      ),
      'lib/segments.ts': lines(
        "import Controller from './controller';",
        "const PATH = '/:id/usage';",
        'export class SegmentsController extends Controller {',
        '  constructor() {',
        '    super();',
        "    this.route({ method: 'post', path: '/validate', handler: this.validate });",
        '    this.get(PATH, this.usage);',
        "    this.route({ method: 'delete', path: '/:id', handler: this.remove });",
        '  }',
        '  validate() {}',
        '  usage() {}',
        '  remove() {}',
        '}',
      ),
      'lib/index.ts': lines(
        "import Controller from './controller';",
        "import { SegmentsController } from './segments';",
        'export class AdminApi extends Controller {',
        '  constructor() {',
        '    super();',
        "    this.use('/segments', new SegmentsController().router);",
        '  }',
        '}',
      ),
      'lib/app.ts': lines(
        "import express from 'express';",
        "import { AdminApi } from './index';",
        'export function createApp() {',
        '  const app = express();',
        "  app.use('/api/admin', new AdminApi().router);",
        '  return app;',
        '}',
      ),
    });
    // each route is reported where its path was written, in the subclass, not in the base class
    expect(show(routes)).toEqual(['DELETE /api/admin/segments/:id lib/segments.ts:8', 'GET /api/admin/segments/:id/usage lib/segments.ts:7', 'POST /api/admin/segments/validate lib/segments.ts:6']);
  });

  it('follows a helper that takes (router, path) and registers, carrying the literal path into it', () => {
    const routes = routesOf({
      'crud.ts': lines(
        "import type { Router } from 'express';",
        'export function crud(router: Router, base: string): void {',
        '  router.get(base, list);',
        '  router.get(`${base}/:id`, one);',
        '  router.delete(`${base}/:id`, remove);',
        '}',
      ),
      'app.ts': lines(
        "import express, { Router } from 'express';",
        "import { crud } from './crud';",
        'const app = express();',
        'const api = Router();',
        "crud(api, '/users');",
        "crud(api, '/orders');",
        "app.use('/api', api);",
      ),
    });
    // a route is reported where its path was completed: the whole path handed in, at the call;
    // `${base}/:id`, in the helper that wrote `/:id`
    expect(show(routes)).toEqual([
      'GET /api/orders app.ts:6',
      'DELETE /api/orders/:id crud.ts:5',
      'GET /api/orders/:id crud.ts:4',
      'GET /api/users app.ts:5',
      'DELETE /api/users/:id crud.ts:5',
      'GET /api/users/:id crud.ts:4',
    ]);
  });

  it('follows a router handed in as a tuple or as an options member', () => {
    const routes = routesOf({
      'register.ts': lines(
        "import type { Router } from 'express';",
        'export function fromTuple([router, prefix]: [Router, string]): void {',
        "  router.get(prefix + '/ping', h);",
        '}',
        'export function fromOptions(options: { router: Router; base: string }): void {',
        "  options.router.post(`${options.base}/items`, h);",
        '  const { router, base } = options;',
        '  router.put(`${base}/items/:id`, h);',
        '}',
      ),
      'app.ts': lines(
        "import express from 'express';",
        "import { fromTuple, fromOptions } from './register';",
        'const app = express();',
        "fromTuple([app, '/t']);",
        "fromOptions({ router: app, base: '/o' });",
      ),
    });
    expect(show(routes)).toEqual(['POST /o/items register.ts:6', 'PUT /o/items/:id register.ts:8', 'GET /t/ping register.ts:3']);
  });

  it('takes a router destructured from rest parameters (...[router, context]) for one, called or not', () => {
    const files = {
      'routes/roles.ts': lines("export default function roleRoutes(...[router, { queries }]: [Api, Ctx]) {", "  router.get('/roles', h);", '}'),
      'routes/users.ts': lines("export default function userRoutes(...[router]: [Api]) {", "  router.get('/users', h);", '}'),
      'app.ts': lines("import Router from 'koa-router';", "import roleRoutes from './routes/roles';", 'const api = new Router();', 'roleRoutes(api, { queries: {} });', "export const root = new Router().use('/api', api.routes());"),
    };
    // users is loaded by code the analysis cannot see: its routes keep their local path
    expect(show(routesOf(files))).toEqual(['GET /api/roles routes/roles.ts:2', 'GET /users routes/users.ts:2']);
  });

  it('keeps the constant alternatives of a partly constant path (path || "/default")', () => {
    const routes = routesOf({
      'health.ts': lines(
        "import type { Express } from 'express';",
        'export function health(app: Express, path?: string): void {',
        "  app.get(path || '/health', h);",
        "  app.get(path ?? '/live', h);",
        '}',
      ),
      'app.ts': lines(
        "import express from 'express';",
        "import { health } from './health';",
        'const app = express();',
        'health(app);',
        "health(app, '/status');",
        'health(app, process.env.HEALTH_PATH);',
      ),
    });
    // no path: the defaults; '/status': itself; an unknown path: the defaults it falls back to
    expect(show(routes)).toEqual(['GET /health health.ts:3', 'GET /live health.ts:4', 'GET /status app.ts:5']);
  });

  it('reads an app class extending a package router (class Api extends Router)', () => {
    const routes = routesOf({
      'api.ts': lines(
        "import Router from '@koa/router';",
        'export class ResourceRouter extends Router {',
        '  constructor(name: string) {',
        "    super({ prefix: '/' + name });",
        "    this.get('/', list);",
        "    this.get('/:id', one);",
        '  }',
        '}',
      ),
      'app.ts': lines(
        "import Koa from 'koa';",
        "import Router from '@koa/router';",
        "import { ResourceRouter } from './api';",
        'const app = new Koa();',
        "const api = new Router({ prefix: '/api' });",
        "api.use(new ResourceRouter('books').routes());",
        'app.use(api.routes());',
      ),
    });
    expect(show(routes)).toEqual(['GET /api/books api.ts:5', 'GET /api/books/:id api.ts:6']);
  });
});
