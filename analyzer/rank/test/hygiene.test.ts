/**
 * Ranking hygiene on a small shop that has what real repositories have beside the backend: tests and
 * a test fake, a seed script and a docs tool run from package.json, a vitest config, a React client,
 * a health probe and an SPA fallback, a folder of JSON data and a types-only module.
 */
import path from 'node:path';
import { runCli } from '../../../cli/test/run-cli';
import type { Candidate, Report } from '../../types';

const SHOP = path.join(__dirname, 'fixtures', 'hygiene');

function analyze(...flags: string[]): { report: Report; stderr: string } {
  const r = runCli(['analyze', SHOP, '--format', 'json', ...flags]);
  expect(r.code).toBe(0);
  return { report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}
const candidate = (report: Report, id: string): Candidate => {
  const c = report.candidates.find((x) => x.id === id);
  if (!c) throw new Error(`no candidate ${id} in ${report.candidates.map((x) => x.id).join(', ')}`);
  return c;
};
const blastReason = (c: Candidate): string => c.terms.find((t) => t.name === 'blastRadius')!.reason;

describe('ranking hygiene (CLI)', () => {
  const { report, stderr } = analyze();

  it('reports the modules that are not runtime code, each with why', () => {
    expect(report.nonRuntime).toEqual({
      counted: false,
      modules: [
        { module: 'scripts/seed.ts', kind: 'script', reason: 'run by the package.json script "seed", not by the app' },
        { module: 'src/orders/fake-orders.ts', kind: 'test', reason: 'imported only by test code (src/orders/service.test.ts)' },
        { module: 'src/orders/service.test.ts', kind: 'test', reason: 'a test file (service.test.ts)' },
        { module: 'src/tools/export-routes.ts', kind: 'script', reason: 'run by the package.json script "docs:export", not by the app' },
        { module: 'test/e2e/orders.e2e.ts', kind: 'test', reason: 'a test file (orders.e2e.ts)' },
        { module: 'vitest.config.ts', kind: 'config', reason: "a tool's configuration file (vitest.config.ts)" },
        { module: 'web/App.tsx', kind: 'browser', reason: 'browser-side: imports ./app.css, which only a bundler loads' },
        { module: 'web/api.ts', kind: 'browser', reason: 'imported only by browser code (web/App.tsx)' },
        { module: 'web/main.tsx', kind: 'browser', reason: 'browser-side: imports react-dom' },
      ],
    });
    expect(stderr).toContain(
      'analyze: 9 modules are not runtime code (3 test, 2 script, 1 tool config, 3 browser-side): left out of the ranking and reach metrics (--include-non-runtime counts them)\n',
    );
    // the stylesheet import is a bundler's, not an unresolved module
    expect(report.warnings).toEqual([]);
  });

  it('counts them in no term and makes no candidate of them, nor of data or types-only code', () => {
    const apart = new Set(report.nonRuntime!.modules.map((m) => m.module));
    for (const c of report.candidates) expect(c.modules.filter((m) => apart.has(m))).toEqual([]);
    const ids = report.candidates.map((c) => c.id);
    for (const id of ['folder:web', 'folder:test', 'folder:scripts', 'folder:src/tools', 'folder:src/data']) expect(ids).not.toContain(id);
    // 11 runtime modules; the e2e test and the seed script that import orders code are not dependents
    expect(blastReason(candidate(report, 'folder:src/orders'))).toBe('2 of 8 modules outside it (25 %) depend on it: src/app.ts, src/server.ts.');
    expect(report.modules.find((m) => m.id === 'src/app.ts')!.blastRadius).toBe(1);
    // router 5 + service 4 + repo 7 lines, of the runtime code only
    expect(candidate(report, 'folder:src/orders').terms.find((t) => t.name === 'size')!.reason).toBe('16 loc in 3 modules (29 % of all runtime code).');
  });

  it('never makes a service or a facade rule of a health probe or a catch-all', () => {
    expect(report.candidates.map((c) => c.id)).not.toContain('router:src/app.ts');
    const root = candidate(report, 'folder:src');
    expect(root.label).toBe('library');
    expect(root.routes).toEqual([]);
    expect(root.pathPrefixes).toEqual([]);
    expect(root.infrastructureRoutes!.map((r) => `${r.method} ${r.path} ${r.kind}: ${r.reason}`)).toEqual([
      'GET /health probe: a health or readiness probe',
      'GET /{*splat} catch-all: a catch-all: it matches every path that nothing else does',
    ]);
    expect(root.terms.find((t) => t.name === 'routePrefix')!.reason).toBe(
      'Registers only infrastructure routes, GET /health (a health or readiness probe), GET /{*splat} (a catch-all: it matches every path that nothing else does): the facade moves no traffic for those, so it can only move as a library or behind calls from the monolith.',
    );
  });

  it('shows a folder and its router with the same routes once, as the fuller one', () => {
    // the router brings users/ and the countries data only it reads: folder:src/users is the same move
    const users = candidate(report, 'router:src/users/router.ts');
    expect(users.modules).toEqual(['src/data/countries.json', 'src/users/repo.ts', 'src/users/router.ts', 'src/users/service.ts']);
    expect(users.variants!.map((v) => `${v.id} ${v.kind} ${v.moduleCount}`)).toEqual(['folder:src/users folder 3']);
    expect(report.candidates.map((c) => c.id)).not.toContain('folder:src/users');
    const table = runCli(['analyze', SHOP, '--format', 'table', '--quiet']).stdout;
    expect(table).toMatch(/also ranked as folder:src\/users \(3 modules, \d\.\d\d\): the same routes and nearly the same modules, shown once/);
  });

  it('--include-non-runtime counts them like runtime modules, and says so', () => {
    const all = analyze('--include-non-runtime');
    expect(all.report.nonRuntime!.counted).toBe(true);
    expect(all.report.nonRuntime!.modules).toHaveLength(9);
    expect(all.stderr).toContain('analyze: 9 modules are not runtime code (3 test, 2 script, 1 tool config, 3 browser-side); counted like runtime modules (--include-non-runtime)\n');
    // the folder now holds its test and fake too; the seed, the docs tool and the e2e test depend on it
    expect(blastReason(candidate(all.report, 'folder:src/orders'))).toBe(
      '5 of 15 modules outside it (33 %) depend on it: scripts/seed.ts, src/app.ts, src/tools/export-routes.ts and 2 more.',
    );
    expect(all.report.modules.find((m) => m.id === 'src/app.ts')!.blastRadius).toBe(2);
    expect(all.report.candidates.map((c) => c.id)).toContain('folder:web');
  });
});
