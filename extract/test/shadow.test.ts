/**
 * The proof that an extracted service is the same service: the sample monolith's top two
 * route-owning candidates are extracted, built and run as processes, and every one of their routes
 * goes through the facade in shadow mode (GETs, and the writes against a copy of the database), with
 * 0 mismatches outside the volatile fields the generated config ignores (timestamps). Any other
 * difference is a bug in extract.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse, stringify } from 'yaml';
import { analyze } from '../../analyzer/analyze';
import type { Candidate, Report, Route } from '../../analyzer/types';
import { runCli } from '../../cli/test/run-cli';
import { BIN, freePort, installAndBuild, JWT_SECRET, login, SAMPLE, startMonolith, startProc, stopAll, waitHttp, type Proc } from './support/stack';

/** Request bodies for the sample's write routes, from its validation schemas. */
const BODIES: Record<string, unknown> = {
  'POST /api/feed/posts': { caption: 'shadowed post', image: { url: 'https://cdn.shop.test/feed/shadow.jpg', width: 1200, height: 800, mime: 'image/jpeg' } },
  'PUT /api/feed/posts/:id': { caption: 'edited through the facade' },
  'POST /api/feed/posts/:id/comments': { body: 'same answer on both sides?' },
  'POST /api/inventory/:productId/adjust': { delta: 7, reason: 'restock', note: 'shadow' },
  'POST /api/catalog/categories': { name: 'Tea', description: 'Leaves' },
  'POST /api/cart/items': { productId: 2, quantity: 3 },
  'PUT /api/cart/items/:productId': { quantity: 4 },
  'PUT /api/notifications/preferences': { orderUpdates: false, marketing: true },
  'POST /api/reviews': { productId: 3, rating: 4, title: 'Good', body: 'Nice beans' },
  'PUT /api/reviews/:id': { rating: 5 },
  'PUT /api/users/me': { displayName: 'Ada A.' },
  'POST /api/users/me/addresses': { line1: '1 Main St', city: 'Town', postcode: '12345', country: 'NL' },
};
const PARAMS: Record<string, string> = { id: '1', productId: '1', slug: 'coffee', addressId: '1' };
const ORDER: Record<string, number> = { GET: 0, POST: 1, PUT: 2, PATCH: 2, DELETE: 3 };

function concrete(route: Route): string {
  return route.path.replace(/:(\w+)/g, (_, p: string) => PARAMS[p] ?? '1');
}

describe('extracted services answer exactly as the monolith (facade shadow comparison)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-shadow-'));
  afterAll(async () => {
    await stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('has 0 mismatches over every route of the top two route-owning candidates, reads and writes', async () => {
    const report: Report = await analyze(SAMPLE);
    const reportFile = path.join(work, 'report.json');
    fs.writeFileSync(reportFile, JSON.stringify(report));
    // the top two route-owning candidates that do not serve the same routes
    const picked: Candidate[] = [];
    for (const c of report.candidates.filter((x) => x.label === 'service')) {
      if (picked.some((p) => p.routes.some((r) => c.routes.some((q) => q.method === r.method && q.path === r.path)))) continue;
      picked.push(c);
      if (picked.length === 2) break;
    }
    expect(picked).toHaveLength(2);

    const legacyDb = path.join(work, 'legacy.db');
    const monolith = await startMonolith(legacyDb);
    const token = await login(monolith.url, 'admin@shop.test');

    // the writes go to a copy: the services share the copy of the monolith's database, not the monolith's own
    const copy = path.join(work, 'monolith-copy.db');
    const src = new Database(legacyDb, { readonly: true });
    await src.backup(copy);
    src.close();

    const routesFile = path.join(work, 'routes.yaml');
    const services: { cand: Candidate; dir: string; name: string; proc: Proc }[] = [];
    for (const cand of picked) {
      const dir = path.join(work, 'services', cand.id.replace(/[^\w]+/g, '-'));
      const port = await freePort();
      const r = runCli(['extract', cand.id, '--report', reportFile, '--out', dir, '--routes', routesFile, '--service-url', `http://127.0.0.1:${port}`, '--legacy-url', monolith.url]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('extract: wrote') });
      installAndBuild(dir);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'strangler.service.json'), 'utf8')) as { name: string };
      const env = { PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: path.join(dir, 'data', 'service.db'), MONOLITH_DATABASE_PATH: copy, JWT_SECRET, LOG_LEVEL: 'warn' };
      const copied = startProc(`copy-data ${manifest.name}`, process.execPath, ['dist/service/copy-data.js'], { cwd: dir, env });
      await new Promise((resolve) => copied.child.once('exit', resolve));
      expect({ copyData: copied.child.exitCode, out: copied.output() }).toEqual({ copyData: 0, out: expect.stringContaining('"tables"') });
      const proc = startProc(manifest.name, process.execPath, ['dist/service/server.js'], { cwd: dir, env });
      await waitHttp(`http://127.0.0.1:${port}/ready`, proc);
      services.push({ cand, dir, name: manifest.name, proc });
    }

    // the generated routes, with writes mirrored too (the default mirrors GET and HEAD only)
    const config = parse(fs.readFileSync(routesFile, 'utf8')) as { routes: { shadow: { methods?: string[]; shedUnderLoad?: boolean } }[]; listen?: unknown; admin?: unknown };
    expect(config.routes.length).toBeGreaterThanOrEqual(2);
    // and every copy sent: the facade's load shedding (its event loop > 80 % busy, as while it starts
    // on a loaded CI machine) would skip one, and the next request waits for that copy
    for (const r of config.routes) Object.assign(r.shadow, { methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], shedUnderLoad: false });
    const [proxyPort, adminPort] = [await freePort(), await freePort()];
    config.listen = { host: '127.0.0.1', port: proxyPort };
    config.admin = { host: '127.0.0.1', port: adminPort };
    fs.writeFileSync(routesFile, stringify(config));
    const facade = startProc('facade', process.execPath, [BIN, 'facade', '-c', routesFile, '--log-level', 'warn'], { env: { STRANGLER_ADMIN_TOKEN: 'test-token' } });
    await waitHttp(`http://127.0.0.1:${adminPort}/readyz`, facade);

    let sent = 0;
    for (const s of services) {
      const routes = [...s.cand.routes].sort((a, b) => ORDER[a.method] - ORDER[b.method] || a.path.length - b.path.length);
      for (const route of routes) {
        const body = BODIES[`${route.method} ${route.path}`];
        const requestId = `shadow-${s.name}-${sent++}`;
        const res = await fetch(`http://127.0.0.1:${proxyPort}${concrete(route)}`, {
          method: route.method,
          headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        await res.arrayBuffer();
        expect({ route: `${route.method} ${route.path}`, status: res.status < 500 }).toEqual({ route: `${route.method} ${route.path}`, status: true });
        // the next request waits for this one's shadow copy to be answered, so both sides see the writes in one order
        await s.proc.waitFor(new RegExp(`"requestId":"${requestId}"`)).catch(async (err: Error) => {
          // say why the copy never came: the facade's own count of mirrors it did not send
          const metrics = await fetch(`http://127.0.0.1:${adminPort}/metrics`, { headers: { authorization: 'Bearer test-token' } }).then(
            (r) => r.text(),
            () => 'strangler_shadow_skipped_total: (the facade did not answer)',
          );
          throw new Error(`${err.message}\nfacade: ${metrics.split('\n').filter((l) => l.startsWith('strangler_shadow_skipped_total')).join('\n')}`);
        });
      }
    }
    // one more answered shadow: the comparison of the last route's copy is done before the counters are read
    await fetch(`http://127.0.0.1:${proxyPort}${concrete(services[1].cand.routes.find((r) => r.method === 'GET') ?? services[1].cand.routes[0])}`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'shadow-last' } });
    await services[1].proc.waitFor(/"requestId":"shadow-last"/);

    const stats = (await (await fetch(`http://127.0.0.1:${adminPort}/routes`, { headers: { authorization: 'Bearer test-token' } })).json()) as {
      routes: { name: string; requests: { shadow: number }; shadowMismatches: number }[];
    };
    const mirrored = stats.routes.reduce((n, r) => n + r.requests.shadow, 0);
    const mismatches = stats.routes.reduce((n, r) => n + r.shadowMismatches, 0);
    expect({ mirrored, mismatches, log: mismatches ? facade.output().split('\n').filter((l) => l.includes('mismatch')).slice(0, 5) : [] }).toEqual({ mirrored: sent + 1, mismatches: 0, log: [] });
  }, 600_000);
});
