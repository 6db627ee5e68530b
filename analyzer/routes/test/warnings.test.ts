import { analyzeRoutes, collectRouteFacts } from '../index';
import { analysisOf, parse } from './helpers';

const lines = (...l: string[]): string => l.join('\n');

describe('warnings about routes the report lacks', () => {
  it('names a framework it sees imported but does not read, with the files', () => {
    const { warnings } = analysisOf({
      'server.ts': lines("import restify from 'restify';", 'const server = restify.createServer();', "server.get('/a', h);"),
      'routes.ts': lines("import type { Server } from 'restify';", "import { Router } from 'restify-router';", "export function add(s: Server) { s.post('/b', h); }"),
    });
    expect(warnings).toEqual([
      { file: 'server.ts', line: 1, code: 'routes-unread-framework', message: 'restify is imported (1 file: server.ts) but its routes are not read: they are missing from the report' },
    ]);
  });

  it('says when a framework it reads is imported but none of its routes was found (routers loaded from a folder)', () => {
    const { routes, warnings } = analysisOf({
      'app.ts': lines(
        "import Koa from 'koa';",
        "import fs from 'node:fs';",
        'const app = new Koa();',
        "for (const file of fs.readdirSync(__dirname + '/routes')) app.use(require(`./routes/${file}`).default.routes());",
      ),
      'middleware.ts': lines("import type { Context } from 'koa';", "import Koa from 'koa';", 'export const wrap = (app: Koa) => app;'),
    });
    expect(routes).toEqual([]);
    expect(warnings).toEqual([
      {
        file: 'app.ts',
        line: 1,
        code: 'routes-not-found',
        message: 'koa is imported (2 files: app.ts, middleware.ts) but none of its routes was found: routes registered through code the analyzer cannot follow are missing from the report',
      },
    ]);
  });

  it('says nothing when the routes are found, or when express is only the platform under Nest', () => {
    const { warnings } = analysisOf({
      'app.ts': lines("import express from 'express';", 'const app = express();', "app.get('/a', h);"),
      'cats.controller.ts': lines("import { Controller, Get, Res } from '@nestjs/common';", "import { Response } from 'express';", "@Controller('cats')", 'export class Cats { @Get() all(@Res() res: Response) {} }'),
      'main.ts': lines("import { NestFactory } from '@nestjs/core';", "import { Cats } from './cats.controller';", 'NestFactory.create(Cats);'),
    });
    expect(warnings).toEqual([]);
  });

  it('says when the analysis stopped at its step limit', () => {
    const text = lines("import express from 'express';", 'const app = express();', ...Array.from({ length: 40 }, (_, i) => `app.get('/r${i}', h);`));
    const facts = new Map([['app.ts', collectRouteFacts(parse('app.ts', text))]]);
    const full = analyzeRoutes(facts, () => undefined);
    const cut = analyzeRoutes(facts, () => undefined, undefined, { budget: 50 });
    expect(full.routes).toHaveLength(40);
    expect(full.warnings).toEqual([]);
    expect(cut.routes.length).toBeLessThan(40);
    expect(cut.warnings).toEqual([{ file: 'app.ts', line: 0, code: 'routes-limit', message: 'route analysis stopped at its limit of 50 steps: routes found after it are missing' }]);
  });
});
