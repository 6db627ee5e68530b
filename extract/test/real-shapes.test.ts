/**
 * Shapes the real apps have and the sample does not: a router module named index.ts, a composition
 * root extract cannot call (a class) or that reaches far more than the candidate, a pnpm workspace
 * and a yarn lockfile, a workspace package, a package no lockfile pins, a monolith that is not
 * SQLite's, and frameworks extract writes no entry for. Fixtures written for the project; expected
 * values by hand. No network: the services are written and read, not installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../cli/test/run-cli';
import { readMonolithPackages, resolvePackage } from '../packages';

const FIX = path.join(__dirname, 'fixtures');

interface PlanJson {
  name: string;
  modules: { id: string; role: string }[];
  app: { mode: string; root: string | null; reason: string; notApplied: { module: string; line: number; text: string; when: string }[] };
  packages: { dependencies: Record<string, string>; devDependencies: Record<string, string>; ranges: { name: string; range: string; file: string }[]; workspace: { name: string; spec: string }[] };
  database: { sqlite: boolean; libraries: string[] };
  files: { path: string }[];
}

describe('extract on the shapes of real apps', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-shapes-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('pnpm workspace, a class root: names the service after the folder, mounts on its own app, lists what the monolith applies, pins from pnpm-lock.yaml', () => {
    const api = path.join(FIX, 'pnpm-workspace', 'packages', 'api');
    const out = path.join(work, 'plans');
    const r = runCli(['extract', 'src/routes/plans/index.ts', api, '--out', out, '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.name).toBe('plans');
    expect(plan.modules).toEqual([
      { id: 'src/controllers/plans/index.ts', role: 'moved' },
      { id: 'src/routes/plans/index.ts', role: 'moved' },
    ]);
    expect(plan.app.mode).toBe('own');
    expect(plan.app.reason).toContain('src/index.ts exports no app');
    expect(plan.app.notApplied.map((c) => `${c.module}:${c.line} ${c.when}`)).toEqual([
      'src/routes/index.ts:8 before',
      'src/index.ts:10 before',
      'src/index.ts:11 before',
      'src/index.ts:12 before',
      'src/index.ts:14 after',
    ]);
    // express pinned by the lockfile (peer suffix dropped); @types/express from the workspace root's importer;
    // ms declared but not locked: its range, said; the workspace package a decision, not a dependency
    expect(plan.packages.dependencies).toEqual({ express: '5.3.0', ms: '^2.1.3' });
    expect(plan.packages.devDependencies).toMatchObject({ '@types/express': '5.0.6', typescript: '5.9.3' });
    expect(plan.packages.ranges).toEqual([{ name: 'ms', range: '^2.1.3', file: path.join(api, 'package.json') }]);
    expect(plan.packages.workspace).toEqual([expect.objectContaining({ name: '@acme/pricing-rules', spec: 'workspace:*' })]);
    expect(plan.database).toEqual({ sqlite: false, libraries: [] });

    const server = fs.readFileSync(path.join(out, 'service', 'server.ts'), 'utf8');
    expect(server).toContain("import router from '../src/routes/plans/index';");
    expect(server).toContain("app.use('/api/v1/plans', router);");
    expect(server).not.toMatch(/\(undefined\)/);
    expect(server).not.toContain('openDatabase');
    const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.dependencies).toEqual({ express: '5.3.0', ms: '^2.1.3' });
    expect(pkg.scripts['copy-data']).toBeUndefined();
    expect(fs.existsSync(path.join(out, 'service', 'database.ts'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'package-lock.json'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toContain('RUN npm install --no-audit --no-fund');
    const migration = fs.readFileSync(path.join(out, 'MIGRATION.md'), 'utf8');
    expect(migration).toContain('| `src/routes/index.ts:8` | before the mount | `router.use(requireToken)` |');
    expect(migration).toContain('| `src/index.ts:11` | before the mount | `this.app.use(allowOrigins([\'https://plans.example\']))` |');
    expect(migration).toContain('**Decision:** `@acme/pricing-rules` (`workspace:*`) is a workspace package');
    expect(migration).toContain('`ms`: no lockfile pins it; `^2.1.3`');

    const dry = runCli(['extract', 'src/routes/plans/index.ts', api, '--dry-run']);
    expect(dry.stdout).toContain('as service "plans"');
    expect(dry.stdout).not.toMatch(/undefined/);
    expect(dry.stdout).toContain('decision: @acme/pricing-rules (workspace:*) is a workspace package of the monolith');
  });

  it('yarn.lock, a factory root that reaches far more than the router: the service runs its own app, by the stated rule', () => {
    const r = runCli(['extract', 'src/notes/notes.router.ts', path.join(FIX, 'yarn-app'), '--out', path.join(work, 'notes'), '--json', '--dry-run']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    // the root brings in itself and its eleven boot modules: 12 > max(10, 1)
    expect(plan.app).toMatchObject({ mode: 'own', reason: "src/app.ts, pruned, brings in 12 modules more than the candidate's own 1 (the limit is 10)" });
    expect(plan.app.notApplied).toHaveLength(11);
    expect(plan.modules).toEqual([{ id: 'src/notes/notes.router.ts', role: 'moved' }]);
    expect(plan.packages.dependencies).toEqual({ express: '5.3.0' });
    expect(plan.packages.devDependencies).toMatchObject({ '@types/express': '5.0.6', typescript: '5.9.3' });
    expect(plan.packages.ranges).toEqual([]);
  });

  it('refuses a NestJS candidate and routes registered through a base class with exit 2, writing nothing', () => {
    const nestOut = path.join(work, 'greetings');
    const nest = runCli(['extract', 'src/greetings/greetings.controller.ts', path.join(FIX, 'nest-app'), '--out', nestOut]);
    expect(nest.code).toBe(2);
    expect(nest.stderr).toContain('is a NestJS candidate (src/greetings/greetings.controller.ts imports @nestjs/common)');
    expect(nest.stderr).toContain('extract writes server entries for Express apps');
    expect(fs.existsSync(nestOut)).toBe(false);

    const baseOut = path.join(work, 'status');
    const base = runCli(['extract', 'src/routes/status.ts', path.join(FIX, 'base-class-app'), '--out', baseOut]);
    expect(base.code).toBe(2);
    expect(base.stderr).toContain("src/routes/status.ts:6 `this.get('/status', (_req, res) => {`");
    expect(fs.existsSync(baseOut)).toBe(false);
  });

  it('reads yarn berry and package-lock.json v1', () => {
    const berry = path.join(work, 'berry');
    fs.mkdirSync(berry);
    fs.writeFileSync(path.join(berry, 'package.json'), JSON.stringify({ name: 'b', dependencies: { express: '^5.1.0', '@b/util': 'workspace:^' } }));
    fs.writeFileSync(
      path.join(berry, 'yarn.lock'),
      [
        '__metadata:',
        '  version: 8',
        '',
        '"express@npm:^5.1.0":',
        '  version: 5.3.0',
        '  resolution: "express@npm:5.3.0"',
        '',
        '"@b/util@workspace:^, @b/util@workspace:packages/util":',
        '  version: 0.0.0-use.local',
        '  resolution: "@b/util@workspace:packages/util"',
        '',
      ].join('\n'),
    );
    const b = readMonolithPackages(berry);
    expect(b.lockKind).toBe('yarn');
    expect(resolvePackage(b, 'express')).toEqual({ how: 'lockfile', version: '5.3.0' });
    expect(resolvePackage(b, '@b/util')).toMatchObject({ how: 'workspace', spec: 'workspace:^' });
    expect(resolvePackage(b, 'left-out')).toEqual({ how: 'missing' });

    const v1 = path.join(work, 'v1');
    fs.mkdirSync(v1);
    fs.writeFileSync(path.join(v1, 'package.json'), JSON.stringify({ name: 'v1', dependencies: { express: '^4.17.0' } }));
    fs.writeFileSync(
      path.join(v1, 'package-lock.json'),
      JSON.stringify({ name: 'v1', lockfileVersion: 1, requires: true, dependencies: { express: { version: '4.17.1', integrity: 'sha512-CCCC', requires: { accepts: '~1.3.7' } }, accepts: { version: '1.3.7' } } }),
    );
    const n = readMonolithPackages(v1);
    expect(n.lockKind).toBe('npm');
    expect(resolvePackage(n, 'express')).toEqual({ how: 'lockfile', version: '4.17.1' });
    expect(resolvePackage(n, 'accepts')).toEqual({ how: 'lockfile', version: '1.3.7' });
  });
});
