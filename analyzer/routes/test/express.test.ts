import ts from 'typescript';
import { collectRouteFacts, composeRoutes } from '../index';
import { parse, routesOf, show } from './helpers';

const lines = (...l: string[]): string => l.join('\n');

describe('express routes in one file', () => {
  it('reads every method on an app, upper-cased, ALL for .all, and ignores app.get(setting)', () => {
    const routes = routesOf({
      'app.ts': lines(
        "import express from 'express';",
        'const app = express();',
        "app.get('/a', h);",
        "app.post('/a', h);",
        "app.put('/a', h);",
        "app.patch('/a', h);",
        "app.delete('/a', h);",
        "app.head('/a', h);",
        "app.options('/a', h);",
        "app.all('/b', h);",
        "const env = app.get('env');",
      ),
    });
    expect(show(routes)).toEqual([
      'DELETE /a app.ts:7',
      'GET /a app.ts:3',
      'HEAD /a app.ts:8',
      'OPTIONS /a app.ts:9',
      'PATCH /a app.ts:6',
      'POST /a app.ts:4',
      'PUT /a app.ts:5',
      'ALL /b app.ts:10',
    ]);
  });

  it('reads route() chains, each method on its own line', () => {
    const routes = routesOf({
      'r.ts': lines("import { Router } from 'express';", 'const r = Router();', "r.route('/books/:id')", '  .get(h)', '  .put(auth, h)', '  .delete(h);'),
    });
    expect(show(routes)).toEqual(['DELETE /books/:id r.ts:6', 'GET /books/:id r.ts:4', 'PUT /books/:id r.ts:5']);
  });

  it('recognises the ways of creating routers: Router(), typed, express.Router(opts), aliased, require, new', () => {
    const routes = routesOf({
      'a.ts': lines("import express, { Router, Router as R } from 'express';", 'const a: Router = Router();', 'const b = express.Router({ mergeParams: true });', 'const c = R();', "a.get('/a', h); b.get('/b', h); c.get('/c', h);"),
      'b.js': lines("const express = require('express');", 'const router = express.Router();', "router.post('/js', h);", 'module.exports = router;'),
      'c.js': lines("const { Router } = require('express');", 'const router = Router();', "router.put('/destructured', h);"),
      'd.ts': lines("import * as express from 'express';", 'const r = new express.Router();', "r.get('/new', h);"),
    });
    expect(show(routes)).toEqual(['GET /a a.ts:5', 'GET /b a.ts:5', 'GET /c a.ts:5', 'PUT /destructured c.js:3', 'POST /js b.js:3', 'GET /new d.ts:3']);
  });

  it('does not take other objects with get/post methods for routers', () => {
    const routes = routesOf({
      'client.ts': lines(
        "import axios from 'axios';",
        "import { Router } from 'express';",
        'const cache = new Map<string, number>();',
        "cache.get('/key');",
        "axios.get('/api/users', { params: {} });",
        'function fetchIt(http: { post(u: string, b: unknown): void }) {',
        "  http.post('/api/orders', {});",
        '}',
        "export const unused = Router;",
      ),
    });
    expect(routes).toEqual([]);
  });

  it('evaluates constants, template literals and concatenations; unknown parts become <dynamic>', () => {
    const routes = routesOf({
      'app.ts': lines(
        "import express from 'express';",
        "const PREFIX = '/api';",
        "const PATHS = { orders: '/orders', nested: { deep: '/deep' } } as const;",
        'const app = express();',
        'app.get(`/plain`, h);',
        'app.get(`${PREFIX}/v1`, h);',
        "app.get(PREFIX + '/concat', h);",
        'app.get(PATHS.orders, h);',
        'app.get(PATHS.nested.deep, h);',
        'app.get(`/files/${process.env.DIR}/list`, h);',
        'app.get(config.path, h);',
        'app.get(/^\\/regex/, h);',
        "app.get(['/x', '/y'], h);",
        'app.get(LATER, h);',
        "const LATER = '/declared-later';",
      ),
    });
    expect(show(routes)).toEqual([
      'GET /<dynamic> app.ts:11',
      'GET /<dynamic> app.ts:12',
      'GET /api/concat app.ts:7',
      'GET /api/v1 app.ts:6',
      'GET /declared-later app.ts:14',
      'GET /deep app.ts:9',
      'GET /files/<dynamic>/list app.ts:10',
      'GET /orders app.ts:8',
      'GET /plain app.ts:5',
      'GET /x app.ts:13',
      'GET /y app.ts:13',
    ]);
  });

  it('evaluates string constants imported from other files (through barrels and namespaces)', () => {
    const routes = routesOf({
      'root.ts': "export const ROOT = '/root';",
      'config/values.ts': lines(
        "import { ROOT } from '../root';",
        "export const API_PREFIX = '/api';",
        "export const PATHS = { orders: '/orders' } as const;",
        'export const V2 = `${API_PREFIX}/v2`;',
        "export const NESTED = ROOT + '/nested';",
        'export const FROM_ENV = process.env.BASE;',
      ),
      'config/index.ts': "export * from './values';",
      'auth.ts': 'export function authMiddleware(req: unknown, res: unknown, next: () => void) { next(); }',
      'orders.ts': lines("import { Router } from 'express';", 'export const ordersRouter = Router();', "ordersRouter.get('/list', h);"),
      'app.ts': lines(
        "import express from 'express';",
        "import { API_PREFIX, PATHS, V2, FROM_ENV } from './config';",
        "import * as cfg from './config';",
        "import { ordersRouter } from './orders';",
        "import { authMiddleware } from './auth';",
        'const app = express();',
        'app.use(API_PREFIX, ordersRouter);',
        'app.use(`${V2}/x`, ordersRouter);',
        'app.use(authMiddleware, ordersRouter);',
        'app.get(PATHS.orders, h);',
        'app.get(cfg.NESTED, h);',
        'app.get(FROM_ENV, h);',
      ),
    });
    expect(show(routes)).toEqual([
      'GET /<dynamic> app.ts:12',
      'GET /api/list orders.ts:3',
      'GET /api/v2/x/list orders.ts:3',
      'GET /list orders.ts:3',
      'GET /orders app.ts:10',
      'GET /root/nested app.ts:11',
    ]);
  });

  it('mounts with and without prefix, behind middleware, twice, and trims slashes', () => {
    const routes = routesOf({
      'app.ts': lines(
        "import express, { Router } from 'express';",
        'const app = express();',
        'const api = Router();',
        'const v2 = Router();',
        "api.get('/', h);",
        "api.get('/items/', h);",
        "v2.get('/status', h);",
        "app.use('/api/', auth, rateLimit({ max: 5 }), api);",
        "app.use('/mirror', api);",
        'app.use(v2);',
        'app.use(express.json());',
      ),
    });
    expect(show(routes)).toEqual([
      'GET /api app.ts:5',
      'GET /api/items app.ts:6',
      'GET /mirror app.ts:5',
      'GET /mirror/items app.ts:6',
      'GET /status app.ts:7',
    ]);
  });

  it('lists a router nobody mounts with its local paths, root as /', () => {
    const routes = routesOf({
      'lonely.ts': lines("import { Router } from 'express';", 'export const lonely = Router();', "lonely.get('/', h);", "lonely.get('/x/', h);"),
    });
    expect(show(routes)).toEqual(['GET / lonely.ts:3', 'GET /x lonely.ts:4']);
  });

  it('keeps routers of the same name in different functions apart', () => {
    const routes = routesOf({
      'app.ts': lines(
        "import express, { Router } from 'express';",
        'function makeA() {',
        '  const r = Router();',
        "  r.get('/a', h);",
        '  return r;',
        '}',
        'const makeB = () => {',
        '  const r = Router();',
        "  r.get('/b', h);",
        '  return r;',
        '};',
        'const app = express();',
        "app.use('/one', makeA());",
        "app.use('/two', makeB());",
      ),
    });
    expect(show(routes)).toEqual(['GET /one/a app.ts:4', 'GET /two/b app.ts:9']);
  });

  it('follows class-based routers: this.router and new X().router', () => {
    const routes = routesOf({
      'orders.controller.ts': lines(
        "import { Router } from 'express';",
        'export class OrdersController {',
        '  public router = Router();',
        '  constructor() {',
        "    this.router.get('/', this.list);",
        "    this.router.post('/:id/pay', this.pay);",
        '  }',
        '  list() {}',
        '  pay() {}',
        '}',
      ),
      'app.ts': lines(
        "import express from 'express';",
        "import { OrdersController } from './orders.controller';",
        'const app = express();',
        'const orders = new OrdersController();',
        "app.use('/orders', orders.router);",
      ),
    });
    expect(show(routes)).toEqual(['GET /orders orders.controller.ts:5', 'POST /orders/:id/pay orders.controller.ts:6']);
  });

  it('follows functions that register routes on a router parameter', () => {
    const routes = routesOf({
      'health.ts': lines(
        "import type { Express, Router } from 'express';",
        'export function registerHealth(app: Express): void {',
        "  app.get('/health', h);",
        '}',
        'export function registerV2(router: Router): void {',
        "  router.get('/ping', h);",
        '}',
      ),
      'app.ts': lines(
        "import express, { Router } from 'express';",
        "import { registerHealth, registerV2 } from './health';",
        'const app = express();',
        'const v2 = Router();',
        'registerHealth(app);',
        'registerV2(v2);',
        "app.use('/v2', v2);",
      ),
    });
    expect(show(routes)).toEqual(['GET /health health.ts:3', 'GET /v2/ping health.ts:6']);
  });

  it('follows untyped JavaScript register functions by parameter name (app, router, *Router)', () => {
    const routes = routesOf({
      'routes/users.js': lines('module.exports = function (app) {', "  app.get('/users', h);", '};'),
      'routes/posts.js': lines('exports.mount = (postsRouter) => {', "  postsRouter.post('/', h);", '};', 'exports.other = (client) => {', "  client.get('/not-a-route', h);", '};'),
      'app.js': lines(
        "const express = require('express');",
        "const { mount } = require('./routes/posts');",
        'const app = express();',
        "require('./routes/users')(app);",
        'const posts = express.Router();',
        'mount(posts);',
        "app.use('/posts', posts);",
      ),
    });
    expect(show(routes)).toEqual(['POST /posts routes/posts.js:2', 'GET /users routes/users.js:2']);
  });

  it('follows CommonJS: require(), module.exports = router, module.exports = { router }, exports.x', () => {
    const routes = routesOf({
      'legacy.js': lines("const router = require('express').Router();", "router.get('/old', h);", 'module.exports = router;'),
      'named.js': lines("const express = require('express');", 'const router = express.Router();', "router.get('/named', h);", 'module.exports = { router };'),
      'exp.js': lines("const express = require('express');", 'const admin = express.Router();', "admin.get('/admin', h);", 'exports.admin = admin;'),
      'app.js': lines(
        "const express = require('express');",
        "const { admin } = require('./exp');",
        'const app = express();',
        "app.use('/legacy', require('./legacy'));",
        "app.use('/n', require('./named').router);",
        "app.use('/e', admin);",
      ),
    });
    expect(show(routes)).toEqual(['GET /e/admin exp.js:3', 'GET /legacy/old legacy.js:2', 'GET /n/named named.js:3']);
  });

  it('follows default-exported factories and routes added to an imported app', () => {
    const routes = routesOf({
      'make.ts': lines("import { Router } from 'express';", 'export default function () {', '  const r = Router();', "  r.get('/made', h);", '  return r;', '}'),
      'app.ts': lines("import express from 'express';", "import make from './make';", 'export const app = express();', "app.use('/m', make());"),
      'late.ts': lines("import { app } from './app';", "app.delete('/late', h);"),
    });
    expect(show(routes)).toEqual(['DELETE /late late.ts:2', 'GET /m/made make.ts:4']);
  });

  it('follows default exports re-exported under a name, and routes added to an imported router', () => {
    const routes = routesOf({
      'users/users.router.ts': lines("import { Router } from 'express';", 'const router = Router();', "router.get('/:id', h);", 'export default router;'),
      'users/extra.ts': lines("import { usersRouter } from './index';", "usersRouter.post('/:id/avatar', h);"),
      'users/index.ts': "export { default as usersRouter } from './users.router';",
      'app.ts': lines("import express from 'express';", "import { usersRouter } from './users';", 'const app = express();', "app.use('/users', usersRouter);"),
    });
    expect(show(routes)).toEqual(['GET /users/:id users/users.router.ts:3', 'POST /users/:id/avatar users/extra.ts:2']);
  });

  it('does not need parent pointers in the tree', () => {
    const text = lines("import express from 'express';", 'const app = express();', "app.route('/x').get(h);", "app.post(`/y`, h);");
    const sf = ts.createSourceFile('app.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const routes = composeRoutes(new Map([['app.ts', collectRouteFacts(sf)]]), () => undefined);
    expect(show(routes)).toEqual(['GET /x app.ts:3', 'POST /y app.ts:4']);
  });

  it('returns plain serializable facts: a barrel is its imports and exports', () => {
    const facts = collectRouteFacts(parse('barrel.ts', "export * from './a';\nexport { b as c } from './b';\nimport { x } from './x';\nexport { x };"));
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
    expect(facts.exportStars).toEqual(['./a']);
    expect(facts.exports).toEqual({ c: { from: './b', name: 'b' }, x: { key: 'x' } });
    expect(facts.imports).toEqual({ x: { from: './x', name: 'x' } });
    expect(facts.body).toEqual([]);
  });
});
