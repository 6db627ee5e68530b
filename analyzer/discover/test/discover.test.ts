import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../cli/test/run-cli';
import type { Report } from '../../types';

const fixture = (name: string): string => path.join(__dirname, 'fixtures', name);
const edgeLines = (r: Report): string[] => r.edges.filter((e) => !e.via).map((e) => `${e.from} -> ${e.to} ${e.kind}`);
const analyzeJson = (args: string[]): { report: Report; stderr: string } => {
  const r = runCli(['analyze', ...args, '--format', 'json']);
  expect(r.stderr).not.toMatch(/Error|\n\s+at /);
  expect(r.code).toBe(0);
  return { report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
};

describe('project discovery', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-discover-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("follows a solution-style tsconfig's references, each file under its own project's options", () => {
    const { report } = analyzeJson([fixture('solution')]);
    expect(report.tsconfig).toBe('tsconfig.json');
    expect(report.modules.map((m) => m.id)).toEqual(['shared/money.ts', 'src/orders/service.ts', 'src/orders/types.ts', 'tools/report.ts']);
    expect(edgeLines(report)).toEqual([
      // `@shared/*` is a path of the app project
      'src/orders/service.ts -> shared/money.ts static',
      // `export { Money }` of a type: erased in the app project, kept in tools/ (isolatedModules)
      'src/orders/types.ts -> shared/money.ts type-only',
      'tools/report.ts -> shared/money.ts static',
      'tools/report.ts -> src/orders/service.ts static',
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('warns about a referenced project that does not exist, with the line of the reference', () => {
    const dir = path.join(tmp, 'missing-ref');
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{\n  "files": [],\n  "references": [\n    { "path": "./app" },\n    { "path": "./gone" }\n  ]\n}\n');
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app', 'tsconfig.json'), '{ "include": ["../src"] }');
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
    const { report } = analyzeJson([dir, '--quiet']);
    expect(report.modules.map((m) => m.id)).toEqual(['src/a.ts']);
    expect(report.warnings).toEqual([{ file: 'tsconfig.json', line: 5, message: `referenced project ./gone not found (no ${path.join(fs.realpathSync(dir), 'gone', 'tsconfig.json')})`, code: 'tsconfig' }]);
  });

  it('resolves a bare specifier through baseUrl to a project file before a Node builtin of the same name', () => {
    const { report } = analyzeJson([fixture('baseurl')]);
    expect(edgeLines(report)).toEqual(['src/http/handler.ts -> src/domain/order.ts static']);
    // `events` has no file under baseUrl: it stays Node's
    expect(report.modules.find((m) => m.id === 'src/http/handler.ts')!.packages).toEqual(['node:events', 'node:fs']);
  });

  it('in a folder without a tsconfig, uses the nearest one above that lists files there, and says which', () => {
    const { report, stderr } = analyzeJson([fixture('above/src')]);
    expect(report.tsconfig).toBe('../tsconfig.json');
    // only what is under the analyzed folder: scripts/ is the tsconfig's too, but outside
    expect(report.modules.map((m) => m.id)).toEqual(['billing/invoice.ts', 'billing/vat.ts']);
    expect(edgeLines(report)).toEqual(['billing/invoice.ts -> billing/vat.ts static']);
    expect(stderr).toContain(`analyze: warning: no tsconfig.json in ${fs.realpathSync(fixture('above/src'))}: using ../tsconfig.json, the nearest one above that lists files under it\n`);
  });

  it('passes over a tsconfig above that lists nothing under the folder, and says so', () => {
    const dir = path.join(tmp, 'outer');
    fs.mkdirSync(path.join(dir, 'app', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.git'), 'gitdir: elsewhere\n'); // the repository boundary: the search stops here
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "include": ["other"] }');
    fs.mkdirSync(path.join(dir, 'other'));
    fs.writeFileSync(path.join(dir, 'other', 'x.ts'), 'export const x = 1;\n');
    fs.writeFileSync(path.join(dir, 'app', 'lib', 'a.ts'), 'export const a = 1;\n');
    const { report, stderr } = analyzeJson([path.join(dir, 'app')]);
    expect(report.tsconfig).toBeNull();
    expect(report.modules.map((m) => m.id)).toEqual(['lib/a.ts']);
    expect(stderr).toContain('with default compiler options (../tsconfig.json above lists no file under it)\n');
  });

  describe('an invalid tsconfig exits 2 naming file:line:col', () => {
    const expectInvalid = (text: string, where: string, message: string | ((dir: string) => string), file = 'tsconfig.json', extra: Record<string, string> = {}): void => {
      const dir = fs.mkdtempSync(path.join(tmp, 'bad-'));
      fs.writeFileSync(path.join(dir, file), text);
      for (const [name, content] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), content);
      fs.writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
      const r = runCli(['analyze', dir, ...(file === 'tsconfig.json' ? [] : ['--tsconfig', path.join(dir, file)])]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const real = fs.realpathSync(dir);
      expect(r.stderr).toBe(`analyze: invalid tsconfig ${path.join(real, where)}: ${typeof message === 'string' ? message : message(real)}\n`);
    };

    it('a syntax error', () => expectInvalid('{\n  "compilerOptions": {\n    "strict": true,,\n  }\n}\n', 'tsconfig.json:3:20', 'Property assignment expected.'));
    it('a root that is not an object', () => expectInvalid('["src"]\n', 'tsconfig.json:1:1', "The root value of a 'tsconfig.json' file must be an object."));
    it('bad JSON in the file it extends', () =>
      expectInvalid('{ "extends": "./base.json" }', 'base.json:1:23', "'}' expected.", 'tsconfig.json', { 'base.json': '{ "compilerOptions": {' }));
    it('an extends target that does not exist', () =>
      expectInvalid('{\n  "extends": "./nope.json"\n}\n', 'tsconfig.json:2:14', (dir) => `Cannot read file '${path.join(dir, 'nope.json')}'.`));
  });

  it('places a warning about an unknown option on its line', () => {
    const dir = path.join(tmp, 'unknown-option');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{\n  "compilerOptions": {\n    "strict": true,\n    "frobnicate": 1\n  }\n}\n');
    fs.writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
    const { report, stderr } = analyzeJson([dir]);
    expect(report.warnings).toEqual([{ file: 'tsconfig.json', line: 4, message: "Unknown compiler option 'frobnicate'.", code: 'tsconfig' }]);
    expect(stderr).toContain("analyze: warning: Unknown compiler option 'frobnicate'.\n");
  });
});
