/**
 * The viewer in a real browser, on the sample monolith's report: what is drawn, what lights up,
 * what the panel says, search, candidates, shared links, errors, the one-file export, --watch.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { analyze } from '../../analyzer/analyze';
import { IncrementalAnalysis } from '../../analyzer/incremental';
import { renderHtml } from '../../analyzer/reporters/html';
import type { Edge, Report } from '../../analyzer/types';
import { startViewServer, type ViewServer } from '../server';
import { ReportSource } from '../source';
import { watchDirectory, type Watching } from '../watch';
import type { DrawnNode } from '../model/hooks';
import { launchBrowser, type Browser } from '../chromium';
import { tinyReport } from './fixtures/tiny';

const SAMPLE = path.resolve(__dirname, '..', '..', 'sample-monolith');

const nodes = (page: Page): Promise<DrawnNode[]> => page.evaluate(() => window.strangler!.nodes());
const settled = (page: Page): Promise<unknown> => page.waitForFunction(() => window.strangler?.settled() === true, null, { timeout: 30_000 });

/** Clicks a drawn node where the page drew it, as a user would. */
async function clickNode(page: Page, key: string): Promise<void> {
  const n = (await nodes(page)).find((x) => x.key === key);
  if (!n) throw new Error(`${key} is not drawn`);
  const box = (await page.locator('#graph').boundingBox())!;
  await page.mouse.click(box.x + n.x, box.y + n.y);
}

/** The dependency graph behind blast radius, read from the report by this test: runtime edges, barrels seen through. */
function closure(report: Report, start: string, direction: 'dependents' | 'dependencies'): Set<string> {
  const next = new Map<string, string[]>();
  for (const e of report.edges) {
    if (e.kind === 'type-only' || e.seenThrough) continue;
    const [a, b] = direction === 'dependents' ? [e.to, e.from] : [e.from, e.to];
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length) for (const n of next.get(queue.pop()!) ?? []) if (!seen.has(n)) (seen.add(n), queue.push(n));
  seen.delete(start);
  return seen;
}

describe('the viewer in a browser', () => {
  let browser: Browser;
  let report: Report;
  let server: ViewServer;
  let tmp: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-viewer-'));
    report = await analyze(SAMPLE, { workers: 0 });
    server = await startViewServer({ source: new ReportSource(report), port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(url);
    await settled(page);
    return { page, errors };
  }

  it('draws one node per module, one per folder when folders are closed, and opens a folder on click', async () => {
    const { page, errors } = await open(server.url);
    expect((await nodes(page)).map((n) => n.key).sort()).toEqual(report.modules.map((m) => `m:${m.id}`).sort());
    const pairs = new Set(report.edges.filter((e) => e.via === undefined && e.from !== e.to).map((e) => `${e.from}>${e.to}`));
    expect(await page.evaluate(() => window.strangler!.edges().length)).toBe(pairs.size);

    await page.click('#collapse-all');
    await settled(page);
    // sample-monolith/src: 13 folders and 3 files (app.ts, seed.ts, server.ts)
    const folders = ['auth', 'cart', 'catalog', 'feed', 'inventory', 'notifications', 'orders', 'payments', 'pricing', 'reports', 'reviews', 'shared', 'users'];
    expect((await nodes(page)).map((n) => n.key).sort()).toEqual([...folders.map((f) => `f:src/${f}`), 'm:src/app.ts', 'm:src/seed.ts', 'm:src/server.ts'].sort());
    const orders = (await page.evaluate(() => window.strangler!.edges())).filter((e) => e.target === 'f:src/orders');
    expect(orders.length).toBeGreaterThan(0);

    await clickNode(page, 'f:src/orders');
    await settled(page);
    const open6 = (await nodes(page)).map((n) => n.key);
    expect(open6).toHaveLength(16 - 1 + 6);
    expect(open6.filter((k) => k.startsWith('m:src/orders/'))).toHaveLength(6);

    await page.click('#expand-all');
    await settled(page);
    expect(await nodes(page)).toHaveLength(107);

    // runtime cycles are marked; the type-only toggle leaves out the pairs joined by type-only imports alone
    const drawnEdges = await page.evaluate(() => window.strangler!.edges());
    const cyclePairs = new Set(report.cycles.flatMap((c) => report.edges.filter((e) => e.via === undefined && e.kind !== 'type-only' && c.includes(e.from) && c.includes(e.to)).map((e) => `m:${e.from}>m:${e.to}`)));
    expect(drawnEdges.filter((e) => e.inCycle).map((e) => `${e.source}>${e.target}`).sort()).toEqual([...cyclePairs].sort());
    await page.uncheck('#types');
    await settled(page);
    const runtimePairs = new Set(report.edges.filter((e) => e.via === undefined && e.from !== e.to && e.kind !== 'type-only').map((e) => `${e.from}>${e.to}`));
    expect(await page.evaluate(() => window.strangler!.edges().length)).toBe(runtimePairs.size);

    // hide a folder: its modules are not drawn
    await page.fill('#hide', 'src/shared');
    await page.press('#hide', 'Enter');
    await settled(page);
    expect((await nodes(page)).map((n) => n.id).filter((id) => id.startsWith('src/shared/'))).toEqual([]);
    expect(await nodes(page)).toHaveLength(107 - report.modules.filter((m) => m.id.startsWith('src/shared/')).length);

    // colour by instability: the most stable and the least stable modules differ
    await page.selectOption('#color', 'instability');
    const byInstability = await nodes(page);
    const fillOf = (id: string): string => byInstability.find((n) => n.id === id)!.fill;
    const drawn = report.modules.filter((m) => !m.id.startsWith('src/shared/'));
    const stable = drawn.find((m) => m.instability === 0 && m.ca > 0)!;
    const unstable = drawn.find((m) => m.instability === 1)!;
    expect(fillOf(stable.id)).not.toBe(fillOf(unstable.id));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an edge selected (in a link) lists the import lines behind it', async () => {
    const e = report.edges.find((x) => x.from === 'src/orders/orders.router.ts' && x.to === 'src/orders/orders.service.ts')!;
    const { page } = await open(`${server.url}#sel=e:m:${e.from}>m:${e.to}`);
    await page.waitForSelector('.edge-panel');
    const rows = await page.locator('.edge-panel li.import').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-from')}:${li.getAttribute('data-line')} ${li.getAttribute('data-kind')}`));
    expect(rows).toEqual(report.edges.filter((x) => x.via === undefined && x.from === e.from && x.to === e.to).map((x) => `${x.from}:${x.line} ${x.kind}`));
    expect(await page.locator('.edge-panel').innerText()).toContain(`'${e.specifier}'`);
    await page.close();
  });

  it('clicking a module lights up exactly its blast radius and its dependencies, and the panel says the report’s figures', async () => {
    const { page } = await open(server.url);
    const id = 'src/orders/orders.service.ts';
    const mod = report.modules.find((m) => m.id === id)!;
    await clickNode(page, `m:${id}`);
    await page.waitForSelector(`.module-panel[data-module="${id}"]`);
    const drawn = await nodes(page);
    const lit = (states: string[]): string[] => drawn.filter((n) => states.includes(n.state)).map((n) => n.id).sort();
    expect(lit(['dependent', 'both'])).toEqual([...closure(report, id, 'dependents')].sort());
    expect(lit(['dependent', 'both'])).toHaveLength(mod.blastRadius);
    expect(lit(['dependency', 'both'])).toEqual([...closure(report, id, 'dependencies')].sort());
    expect(lit(['dependency', 'both'])).toHaveLength(mod.transitiveDependencies);
    // its cycle partner is both (orders.service ⇄ payments.service)
    expect(drawn.find((n) => n.id === 'src/payments/payments.service.ts')!.state).toBe('both');
    expect(lit(['selected'])).toEqual([id]);

    // and it is what the screen shows: a dependent's centre is painted orange
    const dependent = drawn.find((n) => n.state === 'dependent')!;
    const box = (await page.locator('#graph').boundingBox())!;
    const shot = await page.screenshot({ clip: { x: box.x + dependent.x - 1, y: box.y + dependent.y - 1, width: 3, height: 3 } });
    const pixel = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      return [...ctx.getImageData(1, 1, 1, 1).data.slice(0, 3)];
    }, shot.toString('base64'));
    expect(pixel).toEqual([0xe8, 0x59, 0x0c]);

    const metric = (key: string): Promise<string> => page.locator(`.module-panel tr[data-metric="${key}"] td`).innerText();
    expect(await metric('loc')).toBe(String(mod.loc));
    expect(await metric('blastRadius')).toMatch(new RegExp(`^${mod.blastRadius} modules depend on it`));
    expect(await metric('transitiveDependencies')).toMatch(new RegExp(`^${mod.transitiveDependencies} modules`));
    expect(await metric('ca')).toBe(`${mod.ca} runtime, ${mod.caTypeOnly} type-only`);
    expect(await metric('instability')).toBe(mod.instability.toFixed(2));
    expect(await page.locator('.focus-line').getAttribute('data-dependents')).toBe(String(mod.blastRadius));

    // an edge's import lines: what feed.service.ts imports from orders.service.ts... here, who imports it
    const importers = report.edges.filter((e) => e.to === id && e.via === undefined).map((e) => `${e.from}:${e.line}`);
    const rows = await page.locator('.module-panel ul.imports').first().locator('li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-from')}:${li.getAttribute('data-line')}`));
    expect(rows.sort()).toEqual(importers.sort());

    // depth 1: only direct dependents
    await page.selectOption('#depth', '1');
    const direct = new Set(report.edges.filter((e) => e.to === id && e.kind !== 'type-only' && !e.seenThrough).map((e) => e.from));
    expect((await nodes(page)).filter((n) => ['dependent', 'both'].includes(n.state)).map((n) => n.id).sort()).toEqual([...direct].sort());

    // the URL keeps the selection: the same link opens the same picture
    await page.waitForFunction(() => location.hash.includes('depth=1'));
    const link = page.url();
    expect(link).toContain(`sel=m:${id}`);
    expect(link).toContain('depth=1');
    const { page: shared } = await open(link);
    await shared.waitForSelector(`.module-panel[data-module="${id}"]`);
    expect((await nodes(shared)).filter((n) => n.state === 'dependent' || n.state === 'both').map((n) => n.id).sort()).toEqual([...direct].sort());
    await shared.close();
    await page.close();
  });

  it('search finds a module by file name and a handler by route path', async () => {
    const { page } = await open(server.url);
    await page.fill('#search', 'orders.serv');
    await page.waitForSelector('#search-results li[data-module]');
    expect(await page.locator('#search-results li').first().getAttribute('data-module')).toBe('src/orders/orders.service.ts');
    await page.press('#search', 'Enter');
    await page.waitForSelector('.module-panel[data-module="src/orders/orders.service.ts"]');

    await page.fill('#search', '/api/orders/:id');
    await page.waitForSelector('#search-results li[data-kind="route"]');
    const first = page.locator('#search-results li').first();
    expect(await first.getAttribute('data-kind')).toBe('route');
    expect(await first.getAttribute('data-module')).toBe(report.routes.find((r) => r.path === '/api/orders/:id')!.module);
    await page.press('#search', 'Enter');
    await page.waitForSelector('.module-panel[data-module="src/orders/orders.router.ts"]');
    expect(await page.locator('.module-panel [data-route="GET /api/orders/:id"]').count()).toBe(1);
    await page.close();
  });

  it('selecting a candidate shows the imports that would cross its boundary, its shared tables, its facade rules and every score term', async () => {
    const { page } = await open(server.url);
    const feed = report.candidates[0];
    expect(feed.id).toBe('folder:src/feed');
    await page.click(`#candidates li[data-candidate="${feed.id}"]`);
    await page.waitForSelector(`.candidate-panel[data-candidate="${feed.id}"]`);
    const rows = (dir: string): Promise<string[]> =>
      page.locator(`ul.boundary[data-direction="${dir}"] li`).evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-from')}:${li.getAttribute('data-line')} -> ${li.getAttribute('data-to')}`));
    // what the report implies: runtime dependency edges with one end inside, once per import line
    const inside = new Set(feed.modules);
    const crossing = (dir: 'inbound' | 'outbound'): string[] => [
      ...new Set(
        report.edges
          .filter((e: Edge) => e.kind !== 'type-only' && !e.seenThrough && inside.has(e.from) !== inside.has(e.to) && inside.has(e.to) === (dir === 'inbound'))
          .map((e) => `${e.from}:${e.line} -> ${e.to}`),
      ),
    ];
    expect((await rows('inbound')).sort()).toEqual(crossing('inbound').sort());
    expect((await rows('outbound')).sort()).toEqual(crossing('outbound').sort());
    // read in the sample's source: app.ts mounts the feed router, the seed script inserts posts
    expect(await rows('inbound')).toEqual(expect.arrayContaining([expect.stringMatching(/^src\/app\.ts:\d+ -> src\/feed\/feed\.router\.ts$/), expect.stringMatching(/^src\/seed\.ts:\d+ -> src\/feed\/feed\.repository\.ts$/)]));
    expect(await page.locator('.candidate-panel tr[data-term]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-term')))).toEqual(feed.terms.map((t) => t.name));
    for (const t of feed.terms) expect(await page.locator('.candidate-panel').innerText()).toContain(t.reason);
    expect(await page.locator('pre.rules').innerText()).toBe('routes:\n  - name: feed\n    match: { prefix: /api/feed }\n    service: feed\n    weight: 0');
    const states = await nodes(page);
    expect(states.filter((n) => n.state === 'member').map((n) => n.id).sort()).toEqual([...feed.modules].sort());

    // keyboard: the list moves with the arrow keys
    await page.focus('#candidates');
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector(`.candidate-panel[data-candidate="${report.candidates[1].id}"]`);
    expect(await page.locator('#candidates li[aria-selected="true"]').getAttribute('data-candidate')).toBe(report.candidates[1].id);
    await page.keyboard.press('Home');
    await page.waitForSelector(`.candidate-panel[data-candidate="${feed.id}"]`);

    // the sample's stock_movements is written by inventory and by orders; inventory reads the catalog's products
    await page.click('#candidates li[data-candidate="folder:src/inventory"]');
    await page.waitForSelector('.candidate-panel[data-candidate="folder:src/inventory"]');
    const shared = await page.locator('table.shared-tables tr[data-table]').evaluateAll((trs) =>
      trs.map((tr) => ({ table: tr.getAttribute('data-table'), writers: Array.from(tr.querySelectorAll('.writers [data-module]')).map((a) => a.getAttribute('data-module')) })),
    );
    expect(shared).toEqual([
      { table: 'products', writers: ['src/catalog/products.repository.ts'] },
      { table: 'stock_movements', writers: ['src/orders/orders.repository.ts'] },
    ]);
    await page.close();
  });

  it('a report that is not JSON or not a report is an error on the page, and the picture stays', async () => {
    const { page } = await open(server.url);
    const notJson = path.join(tmp, 'notes.json');
    fs.writeFileSync(notJson, '{\n  "modules": [\n    1,\n  ]\n}\n');
    await page.setInputFiles('#open-file', notJson);
    await page.waitForSelector('#message.error:not([hidden])');
    expect(await page.locator('#message').innerText()).toMatch(/notes\.json is not JSON[^]*line 4, column 3/);
    const bad = tinyReport() as unknown as { edges: { kind: string }[] };
    bad.edges[0].kind = 'import';
    const badFile = path.join(tmp, 'old-report.json');
    fs.writeFileSync(badFile, JSON.stringify(bad));
    await page.setInputFiles('#open-file', badFile);
    await page.waitForFunction(() => document.querySelector('#message')?.textContent?.includes('old-report.json'));
    expect(await page.locator('#message').innerText()).toMatch(/old-report\.json is not a strangler report[^]*\/edges\/0\/kind: must be equal to one of the allowed values/);
    expect(await nodes(page)).toHaveLength(107);
    await page.close();
  });

  it('the one-file export draws the same graph from file:// with no network request and no page error', async () => {
    const file = path.join(tmp, 'graph.html');
    fs.writeFileSync(file, renderHtml(report));
    const page = await browser.context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(`file://${file}`);
    await settled(page);
    expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    expect((await nodes(page)).map((n) => n.key).sort()).toEqual(report.modules.map((m) => `m:${m.id}`).sort());
    expect(await page.evaluate(() => window.strangler!.layoutWhere())).toBe('worker');
    await page.close();
  });

  it('a report with no modules says so', async () => {
    const empty: Report = { ...tinyReport(), modules: [], edges: [], cycles: [], routes: [], tables: [], candidates: [], decomposition: { services: [], modularity: 0, structuralModularity: 0, icp: 0, ifn: 0 } };
    empty.summary = { ...empty.summary, modules: 0, edges: 0, runtimeEdges: 0, typeOnlyEdges: 0, viaEdges: 0, cycles: 0, routes: 0, tables: 0 };
    const file = path.join(tmp, 'empty.html');
    fs.writeFileSync(file, renderHtml(empty));
    const page = await browser.context.newPage();
    await page.goto(`file://${file}`);
    await page.waitForSelector('#message.empty:not([hidden])');
    expect(await page.locator('#message').innerText()).toMatch(/This report has no modules[^]*\/tmp\/tiny-shop/);
    await page.close();
  });

  it('--watch: a changed file updates the page in place, keeping selection and zoom, and says what changed', async () => {
    const dir = path.join(tmp, 'shop');
    fs.cpSync(path.join(SAMPLE, 'src'), path.join(dir, 'src'), { recursive: true });
    fs.copyFileSync(path.join(SAMPLE, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
    const analysis = new IncrementalAnalysis(dir, { workers: 0 });
    const source = new ReportSource((await analysis.run()).report);
    const watching: Watching = watchDirectory(fs.realpathSync(dir), analysis, source, { update: () => undefined, problem: () => undefined });
    await watching.ready;
    const live = await startViewServer({ source, port: 0, watch: true });
    try {
      const { page } = await open(live.url);
      await clickNode(page, 'm:src/feed/feed.service.ts');
      await page.waitForSelector('.module-panel[data-module="src/feed/feed.service.ts"]');
      const box = (await page.locator('#graph').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(300);
      const before = await page.evaluate(() => window.strangler!.transform());

      const file = path.join(dir, 'src/feed/feed.service.ts');
      fs.writeFileSync(file, `import { listReviews } from '../reviews/reviews.service';\n${fs.readFileSync(file, 'utf8')}\nexport const reviewsOf = listReviews;\n`);
      await page.waitForSelector('#changes .changes-title[data-update="1"]', { timeout: 20_000 });
      const changes = await page.locator('#changes').innerText();
      expect(changes).toContain('re-parsed src/feed/feed.service.ts');
      expect(changes).toMatch(/\+ 1 edge\s+src\/feed\/feed\.service\.ts:1 → src\/reviews\/reviews\.service\.ts \(static\)/);
      expect(await page.locator('.module-panel').getAttribute('data-module')).toBe('src/feed/feed.service.ts');
      expect(await page.evaluate(() => window.strangler!.transform())).toEqual(before);
      expect((await page.evaluate(() => window.strangler!.edges())).some((e) => e.source === 'm:src/feed/feed.service.ts' && e.target === 'm:src/reviews/reviews.service.ts')).toBe(true);
      // the new dependency lights up with the selection
      expect((await nodes(page)).find((n) => n.id === 'src/reviews/reviews.service.ts')!.state).toBe('dependency');
      await page.close();
    } finally {
      await watching.close();
      await live.close();
    }
  });
});
