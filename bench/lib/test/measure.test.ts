import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../repo';
import { runNodeMeasured } from '../measure';

// Needs dist/bench/lib/maxrss.js: `npm test` builds first.
describe('runNodeMeasured', () => {
  const dir = path.join(REPO_ROOT, '.tmp');
  let script: string;
  beforeAll(() => {
    fs.mkdirSync(dir, { recursive: true });
    script = path.join(dir, `measure-probe-${process.pid}.js`);
    // holds ~300 MB, then writes 2 MB to stdout and exits at once, as madge --json does
    fs.writeFileSync(
      script,
      "const b = Buffer.alloc(300 * 1024 * 1024, 1); process.stdout.write('x'.repeat(2 * 1024 * 1024) + 'END' + b[7]); process.exit(3);\n",
    );
  });
  afterAll(() => fs.rmSync(script, { force: true }));

  it('reports the peak RSS, the exit code and the whole stdout of the child', () => {
    const r = runNodeMeasured(script, [], { cwd: dir, timeoutMs: 60_000 });
    expect(r.code).toBe(3);
    expect(r.maxRssKb).toBeGreaterThan(300 * 1024);
    expect(r.stdout).toHaveLength(2 * 1024 * 1024 + 4);
    expect(r.stdout.endsWith('END1')).toBe(true);
    expect(r.wallMs).toBeGreaterThan(0);
    expect(r.cpuMs).toBeGreaterThan(0);
  });
});

describe('runNodeMeasured timeout', () => {
  it('stops a run that outlives its timeout and says so', () => {
    const dir = path.join(REPO_ROOT, '.tmp');
    fs.mkdirSync(dir, { recursive: true });
    const script = path.join(dir, `measure-hang-${process.pid}.js`);
    fs.writeFileSync(script, 'setInterval(() => {}, 1000);\n');
    try {
      const r = runNodeMeasured(script, [], { cwd: dir, timeoutMs: 1500 });
      expect(r.timedOut).toBe(true);
      expect(r.code).toBeNull();
      expect(r.maxRssKb).toBeNull();
    } finally {
      fs.rmSync(script, { force: true });
    }
  });
});
