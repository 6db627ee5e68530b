import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../cli/test/run-cli';
import { validateReport } from '../schema';
import type { Report } from '../types';
import { fixture } from './helpers';

describe('strangler analyze (CLI)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-analyze-cli-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prints the JSON report on stdout when piped, with progress lines on stderr', () => {
    const r = runCli(['analyze', fixture('barrels')]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(validateReport(report)).toEqual([]);
    expect(report.summary.modules).toBe(11);
    expect(report.root).toBe(fs.realpathSync(fixture('barrels')));
    expect(report.tsconfig).toBe('tsconfig.json');
    expect(r.stderr).toMatch(/^analyze: parsing \d+ files$/m);
    expect(r.stderr).toMatch(/analyze: 11 modules, 10 edges \(8 runtime, 2 type-only\), 0 runtime cycles/);
  });

  it('writes --out and says so on stderr, printing nothing on stdout', () => {
    const out = path.join(tmp, 'nested', 'report.json');
    const r = runCli(['analyze', fixture('kinds'), '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n').pop()).toBe(`wrote ${out}`);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
    expect(report.edges.length).toBe(18);
  });

  it('gives the same report when files are parsed in worker threads', () => {
    const strip = (stdout: string) => {
      const r = JSON.parse(stdout) as Report;
      return { ...r, generatedAt: '', summary: { ...r.summary, durationMs: 0 } };
    };
    const inline = runCli(['analyze', fixture('barrels'), '--quiet'], { env: { ...process.env, STRANGLER_PARSE_WORKERS: '0' } });
    const threaded = runCli(['analyze', fixture('barrels'), '--quiet'], { env: { ...process.env, STRANGLER_PARSE_WORKERS: '2' } });
    expect(threaded.code).toBe(0);
    expect(strip(threaded.stdout)).toEqual(strip(inline.stdout));
    expect(strip(threaded.stdout).edges.length).toBe(16);
  });

  it.each(['table', 'md', 'dot', 'mermaid'])('renders --format %s', (format) => {
    const r = runCli(['analyze', fixture('barrels'), '--format', format, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().length).toBeGreaterThan(0);
    expect(r.stdout).toContain('consumer');
    expect(() => JSON.parse(r.stdout)).toThrow();
    expect(r.stderr).toBe('');
  });

  it('says on stderr when there is no tsconfig', () => {
    const r = runCli(['analyze', fixture('notsconfig')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^analyze: warning: no tsconfig\.json in .*notsconfig: analyzing every \.ts\/\.tsx\/\.mts\/\.cts file under it/m);
    expect((JSON.parse(r.stdout) as Report).modules.map((m) => m.id)).toEqual(['lib/a.ts', 'lib/b.ts']);
  });

  it('honours --tsconfig and --exclude', () => {
    const r = runCli(['analyze', fixture('barrels'), '--tsconfig', fixture('barrels/tsconfig.json'), '--exclude', 'src/whole.ts', '--exclude', 'src/typed.ts', '--quiet']);
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.stdout) as Report).modules.map((m) => m.id);
    expect(ids).toContain('src/consumer.ts');
    expect(ids).not.toContain('src/whole.ts');
    expect(ids).not.toContain('src/typed.ts');
  });

  it('exits 1 with --fail-on-cycles when runtime cycles exist, after printing the report', () => {
    const r = runCli(['analyze', fixture('cycles'), '--fail-on-cycles', '--quiet']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Report).cycles.length).toBe(2);
    expect(r.stderr).toBe('analyze: 2 runtime import cycle(s); the first: src/a.ts → src/b.ts → src/a.ts\n');
    // type-only cycles alone do not fail
    expect(runCli(['analyze', fixture('barrels'), '--fail-on-cycles', '--quiet']).code).toBe(0);
  });

  describe('bad input exits 2 with one line naming the path', () => {
    const expectBadInput = (args: string[], message: RegExp): void => {
      const r = runCli(['analyze', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    };

    it('a missing directory', () => expectBadInput([path.join(tmp, 'nope')], /^analyze: directory not found: .*nope$/m));
    it('a file instead of a directory', () => expectBadInput([fixture('kinds/tsconfig.json')], /^analyze: not a directory: .*kinds\/tsconfig\.json$/m));
    it('an unknown format', () => expectBadInput([fixture('kinds'), '--format', 'xml'], /^analyze: unknown format 'xml' \(expected one of: table, md, json, dot, mermaid, html\)$/m));
    it('a --tsconfig that does not exist', () => expectBadInput([fixture('kinds'), '--tsconfig', path.join(tmp, 'missing.json')], /^analyze: tsconfig not found: .*missing\.json$/m));
    it('an invalid tsconfig', () => {
      const dir = path.join(tmp, 'badconfig');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true,, }');
      fs.writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
      expectBadInput([dir], /^analyze: invalid tsconfig .*badconfig\/tsconfig\.json:1:39: Property assignment expected\.$/m);
    });
    it('no tsconfig and no sources', () => {
      const dir = path.join(tmp, 'empty');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'README.md'), '# nothing\n');
      expectBadInput([dir], /^analyze: no tsconfig\.json and no \.ts\/\.tsx\/\.js source files in .*empty$/m);
    });
    it('a bad --top', () => expectBadInput([fixture('kinds'), '--top', 'many'], /^analyze: --top must be a positive integer, got 'many'$/m));
  });
});
