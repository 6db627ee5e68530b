/**
 * The viewer benchmark: `npm run bench:viz` (or `node dist/bench/viz/run.js [--sizes 1000,5000] [--json]`).
 *
 * In Debian's chromium (headless, software rendering: --disable-gpu), on generated reports of
 * 1,000 / 5,000 / 10,000 modules (bench/viz/generate.ts), each opened from the viewer's server:
 * time to first picture and until the layout settles, the longest main-thread task while loading,
 * requestAnimationFrame intervals while panning and zooming with real mouse input, the JS heap,
 * the one-file export's size; the same after opening every folder ("modules" view). Then SVG
 * against canvas on the laid-out graph (bench/viz/renderers.ts), and, on a copy of the sample
 * monolith under --watch, the time from saving a file to the updated picture.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { IncrementalAnalysis } from '../../analyzer/incremental';
import { renderHtml } from '../../analyzer/reporters/html';
import type { Report } from '../../analyzer/types';
import { launchBrowser, type Browser } from '../../viz/chromium';
import { startViewServer } from '../../viz/server';
import { ReportSource } from '../../viz/source';
import { watchDirectory } from '../../viz/watch';
import { REPO_ROOT } from '../lib/repo';
import { median } from '../lib/stats';
import { generateReport } from './generate';
import { RENDERERS, RENDERERS_PAGE, type RendererInput, type RendererResult } from './renderers';

interface ViewResult {
  modules: number;
  view: 'folders' | 'modules';
  drawnNodes: number;
  drawnEdges: number;
  firstPictureMs: number;
  settledMs: number;
  longestTaskMs: number;
  frameMedianMs: number;
  frameP95Ms: number;
  /** Share of frames slower than one vsync (16.7 ms) while moving. */
  slowFrames: number;
  fullDrawMs: number;
  heapMb: number;
  exportKb: number;
  layout: string;
}

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const SIZES = (flag('--sizes') ?? '1000,5000,10000').split(',').map(Number);
const JSON_OUT = args.includes('--json');
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const q = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))] ?? NaN;

/** Long tasks and rAF intervals, recorded from the start of every page. */
const RECORDER = `
  window.__longest = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); }).observe({ type: 'longtask', buffered: true });
  window.__frames = null;
  window.__record = (on) => {
    if (!on) return window.__frames;
    window.__frames = [];
    let last = performance.now();
    const step = (now) => { if (!window.__frames) return; window.__frames.push(now - last); last = now; if (window.__recording) requestAnimationFrame(step); };
    window.__recording = true;
    requestAnimationFrame(step);
  };
  window.__stop = () => { window.__recording = false; return window.__frames; };
`;

async function settle(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(() => window.strangler?.settled() === true, null, { timeout, polling: 100 });
}

/** Drags across the graph and zooms in and out with the wheel, as a person exploring it would. */
async function gesture(page: Page): Promise<number[]> {
  const box = (await page.locator('#graph').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2 - 60;
  await page.evaluate(() => (window as unknown as { __record(on: boolean): void }).__record(true));
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 0; i < 80; i++) await page.mouse.move(cx + 220 * Math.sin(i / 9), cy + 120 * Math.cos(i / 13), { steps: 1 });
  await page.mouse.up();
  for (let i = 0; i < 24; i++) {
    await page.mouse.wheel(0, i % 8 < 4 ? -90 : 90);
    await page.waitForTimeout(25);
  }
  const frames = (await page.evaluate(() => (window as unknown as { __stop(): number[] }).__stop())) ?? [];
  return frames.slice(2);
}

async function measureView(page: Page, report: Report, view: 'folders' | 'modules', exportKb: number, navStart: () => Promise<void>): Promise<ViewResult> {
  const started = Date.now();
  await navStart();
  await settle(page);
  const settledMs = Date.now() - started;
  const firstPictureMs = view === 'folders' ? ((await page.evaluate(() => window.strangler!.firstPictureMs)) ?? NaN) : NaN;
  const longestTaskMs = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
  await page.waitForTimeout(300);
  const frames = await gesture(page);
  await page.waitForTimeout(400);
  const stats = await page.evaluate(() => window.strangler!.stats());
  const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN);
  return {
    modules: report.modules.length,
    view,
    drawnNodes: (await page.evaluate(() => window.strangler!.nodes().length)) as number,
    drawnEdges: (await page.evaluate(() => window.strangler!.edges().length)) as number,
    firstPictureMs: Math.round(firstPictureMs),
    settledMs,
    longestTaskMs: Math.round(longestTaskMs),
    frameMedianMs: round1(q(frames, 0.5)),
    frameP95Ms: round1(q(frames, 0.95)),
    slowFrames: frames.length ? Math.round((frames.filter((f) => f > 17.5).length / frames.length) * 100) / 100 : NaN,
    fullDrawMs: round1(stats.lastFullDrawMs),
    heapMb: Math.round(heap / 1048576),
    exportKb,
    layout: (await page.evaluate(() => window.strangler!.layoutWhere())) ?? '?',
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

async function viewerRuns(browser: Browser): Promise<{ views: ViewResult[]; renderers: (RendererResult & { modules: number })[] }> {
  const views: ViewResult[] = [];
  const renderers: (RendererResult & { modules: number })[] = [];
  for (const n of SIZES) {
    log(`viz bench: ${n} modules: generating the report`);
    const report = generateReport(n);
    const exportKb = Math.round(Buffer.byteLength(renderHtml(report)) / 1024);
    const server = await startViewServer({ source: new ReportSource(report), port: 0 });
    const page = await browser.context.newPage();
    await page.addInitScript(RECORDER);
    try {
      log(`viz bench: ${n} modules: opening the viewer`);
      views.push(await measureView(page, report, 'folders', exportKb, () => page.goto(server.url).then(() => undefined)));
      log(`viz bench: ${n} modules: every folder open`);
      await page.evaluate(() => ((window as unknown as { __longest: number }).__longest = 0));
      views.push(await measureView(page, report, 'modules', exportKb, () => page.click('#expand-all')));
      // the laid-out flat graph, for the renderer comparison
      const input: RendererInput = await page.evaluate(() => {
        const t = window.strangler!.transform();
        const ns = window.strangler!.nodes();
        const index = new Map(ns.map((x, i) => [x.key, i]));
        return {
          x: ns.map((x) => (x.x - t.x) / t.k),
          y: ns.map((x) => (x.y - t.y) / t.k),
          r: ns.map((x) => x.r / t.k),
          edges: window.strangler!.edges().map((e) => [index.get(e.source)!, index.get(e.target)!] as [number, number]),
        };
      });
      const bench = await browser.context.newPage();
      await bench.setViewportSize({ width: 1280, height: 800 });
      await bench.setContent(RENDERERS_PAGE);
      for (const r of RENDERERS) {
        log(`viz bench: ${n} modules: renderer ${r}`);
        renderers.push({ modules: n, ...(await bench.evaluate(([mode, inp]) => (window as unknown as { run(m: string, i: unknown): Promise<RendererResult> }).run(mode, inp), [r, input] as const)) });
      }
      await bench.close();
    } finally {
      await page.close();
      await server.close();
    }
  }
  return { views, renderers };
}

/** Save a file in a watched copy of the sample; the time until the page has drawn the new report. */
async function watchRuns(browser: Browser): Promise<number[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-bench-watch-'));
  fs.cpSync(path.join(REPO_ROOT, 'sample-monolith', 'src'), path.join(dir, 'src'), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'sample-monolith', 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  const analysis = new IncrementalAnalysis(dir, { workers: 0 });
  const source = new ReportSource((await analysis.run()).report);
  const watching = watchDirectory(fs.realpathSync(dir), analysis, source, { update: () => undefined, problem: () => undefined });
  await watching.ready;
  const server = await startViewServer({ source, port: 0, watch: true });
  const page = await browser.context.newPage();
  const times: number[] = [];
  try {
    await page.goto(server.url);
    await settle(page);
    const file = path.join(dir, 'src/feed/feed.service.ts');
    const original = fs.readFileSync(file, 'utf8');
    for (let i = 1; i <= 8; i++) {
      // alternately add and remove an import: each save changes the graph
      const text = i % 2 ? `import { listReviews } from '../reviews/reviews.service';\n${original}\nexport const reviewsOf = listReviews;\n` : original;
      const saved = Date.now();
      fs.writeFileSync(file, text);
      await page.waitForFunction((n) => window.strangler!.updates() >= n && window.strangler!.lastUpdateDrawnAt() > 0, i, { timeout: 20_000, polling: 5 });
      const drawnAt = await page.evaluate(() => window.strangler!.lastUpdateDrawnAt());
      times.push(drawnAt - saved);
      await page.waitForTimeout(300);
    }
  } finally {
    await page.close();
    await server.close();
    await watching.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

function table(views: ViewResult[], renderers: (RendererResult & { modules: number })[], watch: number[]): string {
  const lines = [
    '| modules | view | drawn nodes / edges | first picture | settled | longest task | frame p50 / p95 (rAF) | slow frames | full draw | JS heap | export |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...views.map(
      (v) =>
        `| ${v.modules.toLocaleString('en-US')} | ${v.view} | ${v.drawnNodes.toLocaleString('en-US')} / ${v.drawnEdges.toLocaleString('en-US')} | ${Number.isNaN(v.firstPictureMs) ? '–' : `${v.firstPictureMs} ms`} | ${v.settledMs} ms | ${v.longestTaskMs} ms | ${v.frameMedianMs} / ${v.frameP95Ms} ms | ${Math.round(v.slowFrames * 100)} % | ${v.fullDrawMs} ms | ${v.heapMb} MB | ${v.exportKb.toLocaleString('en-US')} KB |`,
    ),
    '',
    '| modules (every folder open) | renderer | first picture | draw p50 / p95 (script) | frame p50 / p95 (rAF) |',
    '| ---: | --- | ---: | ---: | ---: |',
    ...renderers.map((r) => `| ${r.modules.toLocaleString('en-US')} | ${r.renderer} | ${Math.round(r.firstMs)} ms | ${round1(r.drawMedianMs)} / ${round1(r.drawP95Ms)} ms | ${round1(r.frameMedianMs)} / ${round1(r.frameP95Ms)} ms |`),
    '',
    `--watch on the sample monolith, save → updated picture drawn: median ${median(watch)} ms, max ${Math.max(...watch)} ms (${watch.length} saves: ${watch.join(', ')} ms)`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const browser = await launchBrowser({ width: 1600, height: 1000 }, ['--enable-precise-memory-info']);
  try {
    const { views, renderers } = await viewerRuns(browser);
    log('viz bench: --watch on the sample monolith');
    const watch = await watchRuns(browser);
    const result = { machine: { cpus: os.cpus().length, load: os.loadavg().map((l) => round1(l)) }, date: new Date().toISOString(), views, renderers, watch };
    const outDir = path.join(REPO_ROOT, 'bench', 'results');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `viz-${result.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(JSON_OUT ? `${JSON.stringify(result, null, 2)}\n` : `${table(views, renderers, watch)}\n\nload average at the end: ${result.machine.load.join(' ')} on ${result.machine.cpus} cores\n`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`viz bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
