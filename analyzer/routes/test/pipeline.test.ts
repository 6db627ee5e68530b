import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../../analyze';
import { parseFile } from '../../parse/file';
import { validateReport } from '../../schema';
import { analyzeRoutes, collectRouteFacts, type RouteFacts } from '../index';
import { parse, relativeResolver, routesOfDir, show, sourceFiles } from './helpers';

const FIXTURES = path.join(__dirname, 'fixtures');
const SCAN = { keepValueImports: false, isolatedModules: false, emitDecoratorMetadata: false };

describe('routes through the analyze pipeline (files outside routing read shallowly, again on demand)', () => {
  it('finds routes registered in a file that names no framework and no router, through require(...)(app) and a helper call', async () => {
    const report = await analyze(path.join(FIXTURES, 'issue12'));
    expect(show(report.routes)).toEqual(['GET /api/orders src/server.js:7', 'POST /api/orders/:id/cancel src/routes/orders.js:6', 'GET /users src/routes/users.js:4', 'GET /users/:id src/routes/users.js:5']);
    expect(report.warnings.filter((w) => w.code?.startsWith('routes'))).toEqual([]);
  });

  it('reads routes/orders.js shallowly at parse time and again when server.js calls into it', () => {
    const root = path.join(FIXTURES, 'issue12');
    const facts = new Map<string, RouteFacts>();
    for (const id of sourceFiles(root, 'src')) facts.set(id, parseFile(path.join(root, id), id, SCAN).routeFacts as RouteFacts);
    expect([...facts].filter(([, f]) => !f.deep).map(([id]) => id)).toEqual(['src/paths.js', 'src/routes/orders.handlers.js', 'src/routes/orders.js']);
    const analysis = analyzeRoutes(facts, relativeResolver(facts.keys()), (id) => collectRouteFacts(parse(id, fs.readFileSync(path.join(root, id), 'utf8'))));
    // paths.js is one top-level statement, read even shallowly; orders.js's function body is needed
    expect(analysis.demanded).toEqual(['src/routes/orders.js']);
    expect(show(analysis.routes)).toEqual(show(routesOfDir(root)));
  });

  it.each(['shop', 'nest', 'nest-versioned', 'issue12', 'schema-first'])('gives fixtures/%s the same routes as reading every file whole', async (name) => {
    const report = await analyze(path.join(FIXTURES, name));
    expect(show(report.routes)).toEqual(show(routesOfDir(path.join(FIXTURES, name))));
  });

  it('finds a schema-first resolver map in a file that imports no GraphQL package', async () => {
    const report = await analyze(path.join(FIXTURES, 'schema-first'));
    expect(show(report.routes)).toEqual(['GET /healthz src/server.ts:11']);
    expect(report.graphql?.map((o) => `${o.type}.${o.field} ${o.module}:${o.line} ${o.path}`)).toEqual(['Query.user src/users/users.resolvers.ts:6 /graphql', 'Query.users src/users/users.resolvers.ts:5 /graphql']);
    expect(report.modules.find((m) => m.id === 'src/users/users.resolvers.ts')?.graphql).toHaveLength(2);
    expect(report.summary.graphqlOperations).toBe(2);
    expect(validateReport(JSON.parse(JSON.stringify(report)))).toEqual([]);
  });

  it('gives the same routes when comments mention routers, apps and frameworks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-routes-'));
    try {
      fs.cpSync(path.join(FIXTURES, 'issue12'), dir, { recursive: true });
      for (const f of ['src/paths.js', 'src/routes/orders.js', 'src/routes/orders.handlers.js']) {
        fs.appendFileSync(path.join(dir, f), "\n// express router app: app.get('/x', h); @nestjs koa fastify\n");
      }
      const before = await analyze(path.join(FIXTURES, 'issue12'));
      const after = await analyze(dir);
      expect(show(after.routes)).toEqual(show(before.routes));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
