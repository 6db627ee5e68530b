import { routesOf, show } from './helpers';

const lines = (...l: string[]): string => l.join('\n');

describe('express: the forms mounts and registrations take', () => {
  it('composes Router().use(path, router) chains and express.Router({ mergeParams })', () => {
    const routes = routesOf({
      'app.ts': lines(
        "import express, { Router } from 'express';",
        'const items = express.Router({ mergeParams: true });',
        "items.get('/', h);",
        "const orders = Router().get('/:id', h).use('/:orderId/items', items);",
        'const app = express();',
        "app.use('/v1', Router().use('/orders', orders));",
      ),
    });
    expect(show(routes)).toEqual(['GET /v1/orders/:id app.ts:4', 'GET /v1/orders/:orderId/items app.ts:3']);
  });

  it('follows app or router handed to a registering function, whatever its parameter type says', () => {
    const routes = routesOf({
      'register.ts': lines(
        "import express, { type Express, type Application } from 'express';",
        "export function a(app: ReturnType<typeof express>) { app.get('/a', h); }",
        "export function b(app: Express) { app.get('/b', h); }",
        "export function c(app: Application) { app.get('/c', h); }",
        "export function d(server: any) { server.get('/d', h); }",
        "export function e(whatever) { whatever.get('/e', h); }",
        "export function f(api: { get(p: string, h: unknown): void }) { api.get('/f', h); }",
      ),
      'app.ts': lines(
        "import express from 'express';",
        "import * as r from './register';",
        'const app = express();',
        'const api = express.Router();',
        'r.a(api); r.b(api); r.c(api); r.d(api); r.e(api); r.f(api);',
        "app.use('/api', api);",
      ),
    });
    expect(show(routes)).toEqual(['GET /api/a register.ts:2', 'GET /api/b register.ts:3', 'GET /api/c register.ts:4', 'GET /api/d register.ts:5', 'GET /api/e register.ts:6', 'GET /api/f register.ts:7']);
  });

  it('follows a router reaching a function as a closure, and routes registered through a local arrow', () => {
    const routes = routesOf({
      'app.ts': lines(
        "import express, { Router } from 'express';",
        'export function build() {',
        '  const router = Router();',
        "  const add = (path: string) => router.get('/things' + path, h);",
        "  add('/one');",
        "  add('/two');",
        '  return router;',
        '}',
        'const app = express();',
        "app.use('/x', build());",
      ),
    });
    expect(show(routes)).toEqual(['GET /x/things/one app.ts:5', 'GET /x/things/two app.ts:6']);
  });

  it('registers routes in loops over literal arrays and objects', () => {
    const routes = routesOf({
      'table.ts': lines(
        'export const ROUTES = [',
        "  { method: 'GET', path: '/reports' },",
        "  { method: 'POST', path: '/reports/:id/run' },",
        '];',
      ),
      'app.ts': lines(
        "import express from 'express';",
        "import { ROUTES } from './table';",
        'const app = express();',
        "for (const verb of ['get', 'head']) app[verb]('/ping', h);",
        'for (const r of ROUTES) app[r.method.toLowerCase()](r.path, h);',
        "['a', 'b'].forEach((name) => app.delete(`/cache/${name}`, h));",
        "Object.entries({ '/x': h, '/y': h }).forEach(([path, handler]) => app.put(path, handler));",
      ),
    });
    expect(show(routes)).toEqual([
      'DELETE /cache/a app.ts:6',
      'DELETE /cache/b app.ts:6',
      'GET /ping app.ts:4',
      'HEAD /ping app.ts:4',
      'GET /reports app.ts:5',
      'POST /reports/:id/run app.ts:5',
      'PUT /x app.ts:7',
      'PUT /y app.ts:7',
    ]);
  });

  it('issue 12: module.exports = (app) => { app.get(PATHS.users, h) } mounted with require(...)(app) needs no hint in a comment', () => {
    const files = {
      'paths.js': "module.exports = { PATHS: { users: '/users', user: '/users/:id' } };",
      'routes/users.js': lines("const { PATHS } = require('../paths');", 'module.exports = (app) => {', '  app.get(PATHS.users, list);', '  app.get(PATHS.user, one);', '};'),
      'server.js': lines("const express = require('express');", 'const app = express();', "require('./routes/users')(app);", 'app.listen(3000);'),
    };
    const expected = ['GET /users routes/users.js:3', 'GET /users/:id routes/users.js:4'];
    expect(show(routesOf(files))).toEqual(expected);
    // a comment that mentions routing changes nothing
    expect(show(routesOf({ ...files, 'routes/users.js': `${files['routes/users.js']}\n// the users router, mounted by server.js` }))).toEqual(expected);
  });

  it('reads mount paths and route paths from string constants, here and imported, and enums', () => {
    const routes = routesOf({
      'paths.ts': lines("export const API = '/api';", "export enum Paths { Users = '/users', Health = '/health' }", 'export const V = { two: `${API}/v2` } as const;'),
      'app.ts': lines(
        "import express, { Router } from 'express';",
        "import { API, Paths, V } from './paths';",
        'const app = express();',
        'const users = Router();',
        "users.get('/', h);",
        'app.use(API + Paths.Users, users);',
        'app.use(V.two, users);',
        'app.get(Paths.Health, h);',
      ),
    });
    expect(show(routes)).toEqual(['GET /api/users app.ts:5', 'GET /api/v2 app.ts:5', 'GET /health app.ts:8']);
  });

  it('does not take a function nobody calls for a route when its parameter is not a router', () => {
    const routes = routesOf({
      'client.ts': lines("import axios from 'axios';", "export function load(http: typeof axios) { return http.get('/api/users', { params: {} }); }"),
      'app.ts': lines("import express from 'express';", 'export const app = express();'),
    });
    expect(routes).toEqual([]);
  });
});
