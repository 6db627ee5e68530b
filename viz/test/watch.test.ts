import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReportSource, type Problem, type Update } from '../source';
import { watchReportFile } from '../watch';
import { tinyReport } from './fixtures/tiny';

const nextReport = (source: ReportSource): Promise<Update> => new Promise((resolve) => source.once('report', (u) => resolve(u)));
const nextProblem = (source: ReportSource): Promise<Problem> => new Promise((resolve) => source.once('problem', (p) => resolve(p)));

describe('--watch on a report file', () => {
  it('reads it again when it changes, and keeps the last good report when it breaks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-watch-report-'));
    const file = path.join(dir, 'report.json');
    fs.writeFileSync(file, JSON.stringify(tinyReport()));
    const source = new ReportSource(tinyReport());
    const lines: string[] = [];
    const watching = watchReportFile(file, source, { update: (_u, changed) => lines.push(`update ${changed.join(',')}`), problem: (m) => lines.push(`problem ${m}`) });
    await watching.ready;
    try {
      const changed = tinyReport();
      changed.modules[0].loc = 99;
      // written the way `analyze --out` or an editor may: a new file renamed over the old one
      const updated = nextReport(source);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(changed));
      fs.renameSync(`${file}.tmp`, file);
      expect((await updated).report.modules[0].loc).toBe(99);

      const broken = nextProblem(source);
      fs.writeFileSync(file, '{"schemaVersion": "1.0.0",');
      const p = await broken;
      expect(p.message).toBe(`${file} is not JSON`);
      expect(p.problems).toEqual([expect.stringMatching(/\(the text ends at line 1 before the JSON does\)$/)]);
      expect(source.report!.modules[0].loc).toBe(99);
      expect(lines).toEqual(['update report.json', expect.stringMatching(/^problem .*report\.json: not JSON/)]);
    } finally {
      await watching.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
