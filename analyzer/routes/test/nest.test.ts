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

describe('NestJS versioning, global prefix exclude, RouterModule (fixtures/nest-versioned)', () => {
  it('joins prefix, version, module path, controller and method the way Nest does', () => {
    const routes = routesOfDir(path.join(__dirname, 'fixtures', 'nest-versioned'));
    expect(show(routes)).toEqual([
      'GET /api/admin/users/count src/admin/admin.controller.ts:15',
      'GET /api/v1/admin/users src/admin/admin.controller.ts:5',
      'GET /api/v1/admin/users/count src/admin/admin.controller.ts:15',
      'ALL /api/v1/legacy/ping src/legacy/legacy.controller.ts:10',
      'POST /api/v2/admin/users src/admin/admin.controller.ts:11',
      'GET /api/v3/admin/billing/invoices/:id src/billing/invoices.controller.ts:5',
      'GET /health src/health/health.controller.ts:5',
      'GET /v1/legacy/ping src/legacy/legacy.controller.ts:5',
    ]);
  });

  it('versions only controllers that ask without a defaultVersion; prefix false drops the v', () => {
    const files = (prefix: string): Record<string, string> => ({
      'main.ts': [
        "import { VersioningType } from '@nestjs/common';",
        "import { NestFactory } from '@nestjs/core';",
        'export async function bootstrap(AppModule: unknown) {',
        '  const app = await NestFactory.create(AppModule);',
        `  app.enableVersioning({ type: VersioningType.URI${prefix} });`,
        '}',
      ].join('\n'),
      'cats.controller.ts': [
        "import { Controller, Get } from '@nestjs/common';",
        "@Controller({ path: 'cats', version: '1' })",
        'export class CatsController {',
        '  @Get() all() {}',
        '}',
        "@Controller('dogs')",
        'export class DogsController {',
        '  @Get() all() {}',
        '}',
      ].join('\n'),
    });
    expect(show(routesOf(files('')))).toEqual(['GET /dogs cats.controller.ts:8', 'GET /v1/cats cats.controller.ts:4']);
    expect(show(routesOf(files(', prefix: false')))).toEqual(['GET /1/cats cats.controller.ts:4', 'GET /dogs cats.controller.ts:8']);
  });

  it('ignores versioning of another type', () => {
    const routes = routesOf({
      'main.ts': "import { VersioningType } from '@nestjs/common';\nexport function setup(app: any) { app.enableVersioning({ type: VersioningType.HEADER, header: 'v', defaultVersion: '1' }); }",
      'x.controller.ts': "import { Controller, Get } from '@nestjs/common';\n@Controller('x')\nexport class X { @Get() a() {} }",
    });
    expect(show(routes)).toEqual(['GET /x x.controller.ts:3']);
  });
});
