/**
 * The README's picture of the viewer: `node dist/viz/screenshot.js [out.png] [hash]`, taken by the
 * same Debian chromium the tests drive, on the sample monolith's report, a module selected.
 */
import path from 'node:path';
import { analyze } from '../analyzer/analyze';
import { launchBrowser } from './chromium';
import { startViewServer } from './server';
import { ReportSource } from './source';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..');
  const out = path.resolve(process.argv[2] ?? path.join(repo, 'docs', 'img', 'viewer.png'));
  const hash = process.argv[3] ?? '#sel=m:src/orders/orders.service.ts';
  const report = await analyze(path.join(repo, 'sample-monolith'), { workers: 0 });
  const server = await startViewServer({ source: new ReportSource(report), port: 0 });
  const browser = await launchBrowser({ width: 1600, height: 940 });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}${hash}`);
    await page.waitForFunction(() => window.strangler?.settled() === true, null, { timeout: 60_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: out });
    process.stderr.write(`wrote ${out}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

void main();
