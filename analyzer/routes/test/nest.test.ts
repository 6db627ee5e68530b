import * as path from 'node:path';
import { routesOf, routesOfDir, show } from './helpers';

describe('NestJS controllers (fixtures/nest)', () => {
  it('joins the global prefix, the controller path and the method path', () => {
    const routes = routesOfDir(path.join(__dirname, 'fixtures', 'nest'));
    expect(show(routes)).toEqual([
      'GET /api/health src/health.controller.ts:5',
      'PATCH /api/orders/:id/status src/orders/orders.controller.ts:13',
      'GET /api/orders/latest src/orders/orders.controller.ts:8',
      'GET /api/orders/recent src/orders/orders.controller.ts:8',
      'GET /api/users src/users/users.controller.ts:5',
      'POST /api/users src/users/users.controller.ts:15',
      'DELETE /api/users/:id src/users/users.controller.ts:26',
      'GET /api/users/:id src/users/users.controller.ts:10',
      'PUT /api/users/:id src/users/users.controller.ts:20',
    ]);
  });

  it('uses the controller path alone when no global prefix is set', () => {
    const routes = routesOf({
      'cats.controller.ts': [
        "import { Controller, Get, Post } from '@nestjs/common';",
        "@Controller({ path: '/cats/' })",
        'export class CatsController {',
        "  @Get(':id') one() {}",
        '  @Post() create() {}',
        '}',
      ].join('\n'),
    });
    expect(show(routes)).toEqual(['POST /cats cats.controller.ts:5', 'GET /cats/:id cats.controller.ts:4']);
  });

  it('ignores classes without @Controller from @nestjs/common', () => {
    const routes = routesOf({
      'x.ts': "import { Get } from '@nestjs/common';\nclass NotAController {\n  @Get('x') m() {}\n}\nexport const y = NotAController;",
    });
    expect(routes).toEqual([]);
  });
});
