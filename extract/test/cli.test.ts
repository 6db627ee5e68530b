/**
 * `strangler extract` as a user runs it: the plan on --dry-run, what it writes, what it refuses
 * (unknown and library candidates, an existing output, a taken route name) and that the refusals
 * write nothing; the generated package, container, Kubernetes, compose, CI and facade files.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { analyze } from '../../analyzer/analyze';
import type { Report } from '../../analyzer/types';
import { FacadeConfigSchema } from '../../facade/config/schema';
import { REPO_ROOT, runCli } from '../../cli/test/run-cli';
import { validateFiles } from '../../export/test/support/validate';
import { SAMPLE } from './support/stack';

describe('strangler extract', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-extract-'));
  const reportFile = path.join(work, 'report.json');
  let report: Report;
  const read = (...p: string[]) => fs.readFileSync(path.join(work, ...p), 'utf8');

  beforeAll(async () => {
    report = await analyze(SAMPLE);
    fs.writeFileSync(reportFile, JSON.stringify(report));
  }, 60_000);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('--dry-run prints the plan (routes, rewrites, boundary, tables, monolith changes, files) and writes nothing', () => {
    const out = path.join(work, 'dry');
    const r = runCli(['extract', 'folder:src/feed', '--report', reportFile, '--out', out, '--routes', path.join(work, 'dry-routes.yaml'), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('dry run, nothing written');
    expect(r.stdout).toMatch(/^extract src\/feed \(folder:src\/feed, rank \d+\)/);
    expect(r.stdout).toContain('GET    /api/feed    src/feed/feed.router.ts:12');
    expect(r.stdout).toContain('src/feed/feed.router.ts:2  @shared/http → ../shared/http');
    expect(r.stdout).toContain('src/feed/feed.router.ts:4 → src/auth/auth.middleware.ts: shared-database');
    expect(r.stdout).toContain('tables: owned post_comments, post_likes, posts');
    expect(r.stdout).toContain('src/seed.ts:8  calls insertPost in src/feed/feed.repository.ts');
    expect(r.stdout).toMatch(/CREATE .*dry\/Dockerfile/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(path.join(work, 'dry-routes.yaml'))).toBe(false);
  });

  it('names close matches for an unknown candidate and refuses a library with the nearest services, writing nothing', () => {
    const unknown = runCli(['extract', 'fed', '--report', reportFile, '--out', path.join(work, 'x')]);
    expect({ code: unknown.code, stdout: unknown.stdout }).toEqual({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/^extract: no candidate "fed" in the report; close matches: src\/feed \(folder:src\/feed, rank \d+\)/);
    const lib = report.candidates.find((c) => c.label === 'library' && c.name === 'src/pricing')!;
    const refused = runCli(['extract', lib.id, '--report', reportFile, '--out', path.join(work, 'x')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^extract: src\/pricing is a library: it serves no routes, so the facade has nothing to move to a service; the nearest service candidates: .*src\/cart/);
    expect(fs.existsSync(path.join(work, 'x'))).toBe(false);
  });

  it('writes the service; a second run refuses without --force and changes nothing; --force replaces it', () => {
    const out = path.join(work, 'feed');
    const routes = path.join(work, 'routes.yaml');
    const first = runCli(['extract', 'src/feed', '--report', reportFile, '--out', out, '--routes', routes]);
    expect(first.code).toBe(0);
    const before = fs.readFileSync(path.join(out, 'package.json'), 'utf8');
    fs.writeFileSync(path.join(out, 'marker'), 'mine');
    const again = runCli(['extract', 'src/feed', '--report', reportFile, '--out', out, '--routes', routes]);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('exists; nothing was written (use --force to replace it)') });
    expect(fs.readFileSync(path.join(out, 'marker'), 'utf8')).toBe('mine');
    const forced = runCli(['extract', 'src/feed', '--report', reportFile, '--out', out, '--routes', routes, '--force']);
    expect(forced.code).toBe(0);
    expect(fs.existsSync(path.join(out, 'marker'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'package.json'), 'utf8')).toBe(before);
    // the monolith is never changed
    expect(spawnSync('git', ['status', '--porcelain', 'sample-monolith'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout).toBe('');
  });

  it('pins exactly the packages the code imports at the versions of the monolith\'s lockfile, with a lockfile of its own', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    const pkg = JSON.parse(read('feed', 'package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['better-sqlite3', 'express', 'jsonwebtoken']);
    for (const [name, v] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) expect(`${name}@${v}`).toBe(`${name}@${lock.packages[`node_modules/${name}`].version}`);
    expect(Object.keys(pkg.scripts).sort()).toEqual(['build', 'copy-data', 'start', 'test']);
    const own = JSON.parse(read('feed', 'package-lock.json')) as { packages: Record<string, { version: string; dev?: boolean }> };
    expect(own.packages['node_modules/express'].version).toBe(lock.packages['node_modules/express'].version);
    expect(own.packages['node_modules/typescript'].dev).toBe(true);
    expect(own.packages['node_modules/express'].dev).toBeUndefined();
    expect(own.packages['node_modules/jest']).toBeUndefined();
  });

  it('writes a multi-stage, non-root Dockerfile with the npm ci layer before the source and a health check', () => {
    const df = read('feed', 'Dockerfile');
    const at = (s: string) => df.indexOf(s);
    expect(df).toMatch(/^ARG BASE_IMAGE=node:20-bookworm-slim$/m);
    expect(at('COPY package.json package-lock.json ./')).toBeLessThan(at('RUN npm ci'));
    expect(at('RUN npm ci')).toBeLessThan(at('COPY src ./src'));
    expect(at('COPY src ./src')).toBeLessThan(at('RUN npm run build'));
    expect(df).toContain('RUN npm prune --omit=dev');
    expect(df).toMatch(/^USER 1000:1000$/m);
    expect(df).toMatch(/^EXPOSE 8080$/m);
    expect(df).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "-e", ".*\/health/m);
    expect(df).toMatch(/^CMD \["node", "dist\/service\/server.js"\]$/m);
    expect(read('feed', '.dockerignore').split('\n')).toEqual(expect.arrayContaining(['node_modules', 'dist', '*.db']));
  });

  it('writes Kubernetes manifests that validate against the Kubernetes schemas, with probes on its own endpoints', () => {
    const files = ['deployment.yaml', 'service.yaml', 'configmap.yaml', 'hpa.yaml', 'pdb.yaml', 'pvc.yaml', 'secret.template.yaml'].map((f) => path.join(work, 'feed', 'k8s', f));
    const validated = validateFiles(files);
    expect(validated.map((v) => [v.kind, v.error])).toEqual([
      ['apps/v1/Deployment', null],
      ['v1/Service', null],
      ['v1/ConfigMap', null],
      ['autoscaling/v2/HorizontalPodAutoscaler', null],
      ['policy/v1/PodDisruptionBudget', null],
      ['v1/PersistentVolumeClaim', null],
      ['v1/Secret', null],
    ]);
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const k = (f: string): any => parse(read('feed', 'k8s', f));
    const dep = k('deployment.yaml');
    const c = dep.spec.template.spec.containers[0];
    expect([c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path]).toEqual(['/health', '/ready']);
    expect(c.resources.limits).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(dep.spec.strategy.type).toBe('RollingUpdate');
    expect(dep.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'feed-config' } }, { secretRef: { name: 'feed-secrets' } }]);
    expect(k('configmap.yaml').data).toMatchObject({ PORT: '8080', DATABASE_PATH: '/data/feed.db', MONOLITH_DATABASE_PATH: '/monolith/shop.db' });
    expect(k('hpa.yaml').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'feed' });
    const secretText = read('feed', 'k8s', 'secret.template.yaml');
    expect(parse(secretText).stringData).toEqual({ JWT_SECRET: '${JWT_SECRET}' });
    expect(secretText).toContain('envsubst');
    expect(k('kustomization.yaml').resources).not.toContain('secret.template.yaml');
    // the validator can fail: a Deployment without its selector is refused
    fs.writeFileSync(path.join(work, 'broken.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec: { replicas: 1 }\n');
    const broken = validateFiles([path.join(work, 'broken.yaml')]);
    expect(broken[0].error).toMatch(/selector/);
  });

  it('writes compose (monolith, service, facade), a CI workflow that tests, builds and pushes, and valid facade routes at weight 0, shadowed', () => {
    const compose = parse(read('feed', 'compose.yaml')) as { services: Record<string, { build?: { context: string } }> };
    expect(Object.keys(compose.services).sort()).toEqual(['facade', 'feed', 'monolith']);
    expect(path.resolve(work, 'feed', compose.services.monolith.build!.context)).toBe(SAMPLE);
    FacadeConfigSchema.parse(parse(read('feed', 'compose.routes.yaml')));
    const wf = parse(read('feed', '.github', 'workflows', 'feed.yml')) as { jobs: Record<string, { steps: { run?: string; uses?: string; with?: { push?: string } }[] }> };
    expect(wf.jobs.test.steps.map((s) => s.run).filter(Boolean)).toEqual(['npm ci', 'npm run build', 'npm test']);
    expect(wf.jobs.image.steps.find((s) => s.uses?.startsWith('docker/build-push-action'))?.with?.push).toContain("github.event_name == 'push'");
    expect(read('feed', '.github', 'workflows', 'feed.yml')).toMatch(/^# Registry: /m);
    const cfg = FacadeConfigSchema.parse(parse(read('routes.yaml')));
    expect(cfg.services.feed.urls).toEqual(['http://127.0.0.1:4001']);
    expect(cfg.routes).toEqual([expect.objectContaining({ name: 'feed', match: { prefix: '/api/feed' }, service: 'feed', weight: 0, shadow: expect.objectContaining({ percent: 100 }) })]);
    expect(cfg.routes[0].shadow!.compare.ignore).toEqual(expect.arrayContaining(['$.createdAt', '$.*.*.updatedAt']));
  });

  it('adds a second service to the same routes config on the next free port and refuses a route name that is taken', () => {
    const routes = path.join(work, 'routes.yaml');
    const r = runCli(['extract', 'src/cart', '--report', reportFile, '--out', path.join(work, 'cart'), '--routes', routes]);
    expect(r.code).toBe(0);
    const cfg = FacadeConfigSchema.parse(parse(read('routes.yaml')));
    expect(Object.fromEntries(Object.entries(cfg.services).map(([k, v]) => [k, v.urls[0]]))).toEqual({ feed: 'http://127.0.0.1:4001', cart: 'http://127.0.0.1:4002' });
    const text = read('routes.yaml');
    const taken = runCli(['extract', 'src/feed/feed.router.ts', '--report', reportFile, '--out', path.join(work, 'feed2'), '--routes', routes, '--name', 'feed']);
    expect({ code: taken.code, stderr: taken.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('a service named feed is already there') });
    expect(read('routes.yaml')).toBe(text);
    expect(fs.existsSync(path.join(work, 'feed2'))).toBe(false);
  });

  it("cuts references to tables that stay in the monolith from the owned tables' schema, and lists them", () => {
    const migrations = read('cart', 'service', 'migrations.ts');
    expect(migrations).toMatch(/-- src\/shared\/db\/migrations\/003_commerce\.ts:\d+\n\s+CREATE TABLE cart_items \(/);
    expect(migrations).not.toMatch(/REFERENCES/);
    expect(migrations).toContain('PRIMARY KEY (user_id, product_id)');
    const doc = read('cart', 'MIGRATION.md');
    expect(doc).toContain('`cart_items.user_id` referenced `users(id)`');
    expect(doc).toContain('`cart_items.product_id` referenced `products(id)`');
    expect(doc).toMatch(/\| `products` \| reads in src\/cart\/cart\.repository\.ts/);
    expect(doc).toMatch(/`src\/cart\/cart\.service\.ts:\d+` → `src\/catalog\/catalog\.service\.ts` \| getActiveProduct \| copied; reaches .*products \(read\).*MONOLITH_DATABASE_PATH.*GET \/api\/catalog\/products\/:id/);
  });

  it('reads a bad report as bad input', () => {
    fs.writeFileSync(path.join(work, 'bad.json'), '{"not": "a report"}');
    const r = runCli(['extract', 'feed', '--report', path.join(work, 'bad.json')]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('is not a strangler report') });
  });
});
