import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../analyze';
import { IncrementalAnalysis } from '../incremental';
import type { Report } from '../types';

const SAMPLE = path.resolve(__dirname, '..', '..', 'sample-monolith');

/** The report without what differs between two runs of the same tree: the clock. */
function comparable(r: Report): unknown {
  return { ...r, generatedAt: '', summary: { ...r.summary, durationMs: 0 } };
}

describe('incremental analysis', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-incremental-'));
    fs.cpSync(path.join(SAMPLE, 'src'), path.join(dir, 'src'), { recursive: true });
    fs.copyFileSync(path.join(SAMPLE, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('re-parses only the changed file and gives the report a full analysis gives', async () => {
    const inc = new IncrementalAnalysis(dir, { workers: 0 });
    const first = await inc.run();
    expect(first.parsed).toHaveLength(107);
    expect(comparable(first.report)).toEqual(comparable(await analyze(dir, { workers: 0 })));

    // feed.service.ts starts to import the reviews service: a new edge, and a new dependency of the feed
    const file = path.join(dir, 'src/feed/feed.service.ts');
    fs.writeFileSync(file, `import { listReviews } from '../reviews/reviews.service';\n${fs.readFileSync(file, 'utf8')}\nexport const reviewsOf = listReviews;\n`);
    const second = await inc.run([file]);
    expect(second.parsed).toEqual(['src/feed/feed.service.ts']);
    expect(second.report.edges.some((e) => e.from === 'src/feed/feed.service.ts' && e.to === 'src/reviews/reviews.service.ts' && e.kind === 'static')).toBe(true);
    expect(comparable(second.report)).toEqual(comparable(await analyze(dir, { workers: 0 })));
  });

  it('sees a new file, a deleted file and a changed tsconfig as a fresh analysis does', async () => {
    const inc = new IncrementalAnalysis(dir, { workers: 0 });
    await inc.run();
    const added = path.join(dir, 'src/feed/feed.stats.ts');
    fs.writeFileSync(added, "import { listPosts } from './feed.repository';\nexport const count = listPosts;\n");
    const deleted = path.join(dir, 'src/reports/reports.csv.ts');
    fs.rmSync(deleted);
    const r = await inc.run([added, deleted]);
    expect(r.parsed).toContain('src/feed/feed.stats.ts');
    expect(r.report.modules.map((m) => m.id)).toContain('src/feed/feed.stats.ts');
    expect(r.report.modules.map((m) => m.id)).not.toContain('src/reports/reports.csv.ts');
    expect(comparable(r.report)).toEqual(comparable(await analyze(dir, { workers: 0 })));

    // the tsconfig leaves a folder out: nothing is parsed again, the folder is gone
    const tsconfig = path.join(dir, 'tsconfig.json');
    const config = JSON.parse(fs.readFileSync(tsconfig, 'utf8')) as { exclude?: string[] };
    fs.writeFileSync(tsconfig, JSON.stringify({ ...config, exclude: [...(config.exclude ?? []), 'src/reviews/**'] }));
    const r2 = await inc.run([tsconfig]);
    expect(r2.parsed).toEqual([]);
    expect(comparable(r2.report)).toEqual(comparable(await analyze(dir, { workers: 0 })));
  });
});
