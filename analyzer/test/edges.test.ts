import fs from 'node:fs';
import { analyze } from '../analyze';
import type { Report } from '../types';
import { edgeLines, fixture, moduleOf, workspaceCopy } from './helpers';

describe('edge kinds, as TypeScript emits them', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyze(fixture('kinds'));
  });

  it('gives every import its kind, eliding imports used only as types', () => {
    expect(edgeLines(report)).toEqual([
      'src/main.ts -> src/a.ts static',
      'src/main.ts -> src/b.ts type-only', // import type
      'src/main.ts -> src/c.ts type-only', // import { type C }
      'src/main.ts -> src/d.ts type-only', // plain import, used only in `implements`
      'src/main.ts -> src/e.ts require', // import e = require()
      'src/main.ts -> src/f.ts require', // require()
      'src/main.ts -> src/g.ts re-export', // export *
      'src/main.ts -> src/h.ts re-export', // export { h } from
      'src/main.ts -> src/i.ts type-only', // export type { I } from
      'src/main.ts -> src/j.ts type-only', // typeof import()
      'src/main.ts -> src/k.ts type-only', // import('./k').K
      'src/main.ts -> src/l.ts dynamic', // import()
      'src/main.ts -> src/m.ts static', // import { M }; export { M } of a value
      'src/main.ts -> src/n.ts type-only', // import { N }; export { N } of an interface
      'src/main.ts -> src/o.ts static', // namespace import used as a value
      'src/main.ts -> src/q.ts type-only', // unused import: elided
      'src/main.ts -> src/r.ts static', // class extends R: a value
      'src/main.ts -> src/side.ts static', // side-effect import
    ]);
  });

  it('records the line, the specifier and the imported names', () => {
    const m = report.edges.find((e) => e.to === 'src/m.ts')!;
    expect(m).toEqual({ from: 'src/main.ts', to: 'src/m.ts', kind: 'static', line: 16, specifier: './m', names: ['M'] });
    expect(report.edges.find((e) => e.to === 'src/l.ts')).toMatchObject({ line: 14, specifier: './l' });
  });

  it('counts runtime and type-only coupling apart', () => {
    const main = moduleOf(report, 'src/main.ts');
    expect(main).toMatchObject({ ce: 10, ceTypeOnly: 8, ca: 0, instability: 1, transitiveDependencies: 10 });
    expect(moduleOf(report, 'src/b.ts')).toMatchObject({ ca: 0, caTypeOnly: 1, blastRadius: 0 });
    expect(moduleOf(report, 'src/a.ts')).toMatchObject({ ca: 1, caTypeOnly: 0, blastRadius: 1, instability: 0 });
    expect(report.summary).toMatchObject({ modules: 19, edges: 18, runtimeEdges: 10, typeOnlyEdges: 8, cycles: 0 });
  });
});

describe('barrels', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyze(fixture('barrels'));
  });

  it('keeps the edge to the barrel and adds a via-edge to each declaring module', () => {
    expect(edgeLines(report)).toEqual([
      'src/consumer.ts -> src/lib/index.ts static',
      'src/consumer.ts -> src/lib/shape.ts type-only via src/lib/index.ts',
      'src/consumer.ts -> src/lib/sub/deep.ts static via src/lib/index.ts', // export * → export *
      'src/consumer.ts -> src/lib/x.ts static via src/lib/index.ts', // export *
      'src/consumer.ts -> src/lib/y.ts static via src/lib/index.ts', // export { y as why } from
      'src/consumer.ts -> src/lib/z.ts static via src/lib/index.ts', // import { z }; export { z }
      'src/lib/index.ts -> src/lib/shape.ts type-only', // export type { Shape } from
      'src/lib/index.ts -> src/lib/sub/index.ts re-export',
      'src/lib/index.ts -> src/lib/unused.ts re-export',
      'src/lib/index.ts -> src/lib/x.ts re-export',
      'src/lib/index.ts -> src/lib/y.ts re-export',
      'src/lib/index.ts -> src/lib/z.ts static',
      'src/lib/sub/index.ts -> src/lib/sub/deep.ts re-export',
      'src/typed.ts -> src/lib/index.ts type-only', // plain import of an interface, used as a type
      'src/typed.ts -> src/lib/shape.ts type-only via src/lib/index.ts',
      'src/whole.ts -> src/lib/index.ts static', // namespace import: depends on the whole barrel
    ]);
    expect(report.edges.find((e) => e.to === 'src/lib/y.ts' && e.via)).toMatchObject({ names: ['why'], line: 1, specifier: './lib' });
    expect(report.summary).toMatchObject({ edges: 10, viaEdges: 6 });
  });

  it('counts blast radius through via-edges: importing names from a barrel does not depend on the rest of it', () => {
    // consumer depends on x, y, z and deep — not on unused.ts the barrel also re-exports
    expect(moduleOf(report, 'src/consumer.ts').transitiveDependencies).toBe(4);
    expect(moduleOf(report, 'src/lib/unused.ts').blastRadius).toBe(2); // the barrel and whole.ts
    expect(moduleOf(report, 'src/lib/x.ts').blastRadius).toBe(3); // barrel, whole.ts, consumer
    expect(moduleOf(report, 'src/lib/sub/deep.ts').blastRadius).toBe(4);
    expect(moduleOf(report, 'src/whole.ts').transitiveDependencies).toBe(7);
    // ca/ce stay what the import lines say
    expect(moduleOf(report, 'src/lib/index.ts')).toMatchObject({ ca: 2, caTypeOnly: 1 });
  });
});

describe('cycles', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyze(fixture('cycles'));
  });

  it('finds runtime cycles (incl. a self-import) and the cycles only type-only edges close', () => {
    expect(report.cycles).toEqual([['src/a.ts', 'src/b.ts'], ['src/self.ts']]);
    expect(report.typeOnlyCycles).toEqual([
      ['src/c.ts', 'src/d.ts'],
      ['src/e.ts', 'src/f.ts', 'src/g.ts', 'src/h.ts'],
    ]);
    expect(moduleOf(report, 'src/a.ts').cycle).toBe(0);
    expect(moduleOf(report, 'src/self.ts').cycle).toBe(1);
    expect(moduleOf(report, 'src/c.ts').cycle).toBeNull();
    expect(report.summary).toMatchObject({ cycles: 2, typeOnlyCycles: 2 });
  });

  it('counts a cycle member as depending on the others', () => {
    expect(moduleOf(report, 'src/a.ts')).toMatchObject({ blastRadius: 1, transitiveDependencies: 1 });
    expect(moduleOf(report, 'src/e.ts')).toMatchObject({ transitiveDependencies: 2, blastRadius: 0 });
  });
});

describe('aliases and extensions', () => {
  it('resolves paths aliases, baseUrl imports and ./x.js written for ./x.ts, and warns on what resolves nowhere', async () => {
    const report = await analyze(fixture('aliases'));
    expect(edgeLines(report)).toEqual([
      'src/feature/run.ts -> src/config.ts static', // ~config and src/config (baseUrl)
      'src/feature/run.ts -> src/feature/helper.ts static', // ./helper.js
      'src/feature/run.ts -> src/util/format.ts static', // @app/util/format.js
      'src/feature/run.ts -> src/util/index.ts static', // @app/util
      'src/feature/run.ts -> src/util/format.ts static via src/util/index.ts',
      'src/util/index.ts -> src/util/format.ts re-export',
    ]);
    expect(report.warnings).toEqual([{ file: 'src/feature/run.ts', line: 6, message: "cannot resolve '@app/missing' (import)", code: 'unresolved-import' }]);
  });
});

describe('broken files, json, references and packages', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyze(fixture('misc'));
  });

  it('goes on past a file that does not parse and an import that resolves nowhere', () => {
    expect(edgeLines(report)).toEqual([
      'src/app.ts -> src/broken.ts static',
      'src/app.ts -> src/data.json static',
      'src/app.ts -> src/globals.ts type-only', // /// <reference path>
      'src/broken.ts -> src/app.ts static',
    ]);
    expect(report.warnings.map((w) => [w.file, w.line, w.code])).toEqual([
      // express is imported but registers nothing here: the route analysis says so
      ['src/app.ts', 4, 'routes-not-found'],
      ['src/app.ts', 7, 'unresolved-import'],
      ['src/broken.ts', 2, 'parse-error'],
    ]);
    expect(report.warnings.find((w) => w.code === 'parse-error')?.message).toMatch(/Expression expected/);
    expect(report.cycles).toEqual([['src/app.ts', 'src/broken.ts']]);
  });

  it('makes a JSON import a module with its loc, and records packages by name', () => {
    expect(moduleOf(report, 'src/data.json').loc).toBe(4);
    expect(moduleOf(report, 'src/app.ts')).toMatchObject({ loc: 11, packages: ['@scope/parser', 'express', 'node:fs'] });
  });
});

describe('npm workspaces and package.json imports', () => {
  let dir: string;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('resolves a symlinked workspace package to its source (lib/ output mapped back to src/) and #internal imports', async () => {
    dir = workspaceCopy();
    const report = await analyze(dir);
    expect(edgeLines(report)).toEqual([
      'app/main.ts -> app/internal/secret.ts static',
      'app/main.ts -> packages/lib/src/index.ts static',
      'app/main.ts -> packages/other/src/index.ts static',
    ]);
    expect(moduleOf(report, 'app/main.ts').packages).toEqual([]);
    expect(report.warnings).toEqual([]);
  });
});

describe('allowJs, decorators, verbatimModuleSyntax, no tsconfig', () => {
  it('follows .js/.mjs/.cjs modules and their require() of json when allowJs is on', async () => {
    const report = await analyze(fixture('allowjs'));
    expect(edgeLines(report)).toEqual([
      'src/index.ts -> src/helper.mjs static',
      'src/index.ts -> src/legacy.js static',
      'src/legacy.js -> src/settings.json require',
      'src/legacy.js -> src/util.cjs require',
    ]);
  });

  it('keeps imports emitDecoratorMetadata serializes, and only those', async () => {
    const report = await analyze(fixture('decorators'));
    expect(edgeLines(report)).toEqual([
      'src/controller.ts -> src/decorator.ts static',
      'src/controller.ts -> src/logger.ts type-only', // undecorated method parameter
      'src/controller.ts -> src/options.ts static', // constructor parameter of a decorated class
      'src/controller.ts -> src/service.ts static',
    ]);
  });

  it('keeps every non-`import type` import under verbatimModuleSyntax', async () => {
    const report = await analyze(fixture('verbatim'));
    expect(edgeLines(report)).toEqual([
      'src/main.ts -> src/color.ts static', // import { type Color } stays as `import {} from`
      'src/main.ts -> src/shape.ts static',
      'src/main.ts -> src/size.ts type-only',
    ]);
  });

  it('analyzes every .ts file under the directory with a warning when there is no tsconfig', async () => {
    const report = await analyze(fixture('notsconfig'));
    expect(edgeLines(report)).toEqual(['lib/a.ts -> lib/b.ts static']);
    expect(report.tsconfig).toBeNull();
    expect(report.warnings).toEqual([expect.objectContaining({ code: 'no-tsconfig' })]);
  });

  it('leaves out --exclude globs', async () => {
    const report = await analyze(fixture('barrels'), { exclude: ['src/lib/sub', '**/unused.ts'] });
    expect(report.modules.map((m) => m.id)).not.toContain('src/lib/unused.ts');
    expect(report.modules.some((m) => m.id.startsWith('src/lib/sub/'))).toBe(false);
    expect(report.modules.map((m) => m.id)).toContain('src/lib/x.ts');
  });
});

describe('bundler glob imports', () => {
  let report: Report;
  beforeAll(async () => {
    report = await analyze(fixture('globs'));
  });

  it('are edges to every project file they load: lazy ones dynamic, eager ones static, webpack contexts require', () => {
    const lines = report.edges.map((e) => `${e.to} ${e.kind} L${e.line} ${e.specifier}`);
    expect(lines.sort()).toEqual([
      // require.context('./handlers', false, /\.handler\.ts$/): this folder only, util.ts filtered out
      'src/handlers/orders.handler.ts dynamic L13 ./handlers',
      'src/handlers/orders.handler.ts require L12 ./handlers',
      // the same context, recursive and 'lazy'
      'src/handlers/sub/users.handler.ts dynamic L13 ./handlers',
      // '/src/locales/*.json' is relative to the app's root (its package.json folder)
      'src/locales/en.json dynamic L4 /src/locales/*.json',
      'src/locales/fr.json dynamic L4 /src/locales/*.json',
      // './pages/*.ts' does not descend into pages/nested
      'src/pages/about.ts dynamic L2 ./pages/*.ts',
      'src/pages/home.ts dynamic L2 ./pages/*.ts',
      // { eager: true }, with the tests excluded by '!'
      'src/plugins/audit.ts static L3 ./plugins/**/*.ts, !./plugins/**/*.test.ts',
      'src/plugins/deep/metrics.ts static L3 ./plugins/**/*.ts, !./plugins/**/*.test.ts',
    ]);
    expect(report.edges.every((e) => e.from === 'src/main.ts')).toBe(true);
  });

  it('warn when a pattern is not a literal or matches nothing', () => {
    expect(report.warnings).toEqual([
      { file: 'src/main.ts', line: 7, message: 'import.meta.glob(…) has an argument that is not a literal: the files it loads are not edges', code: 'glob-import' },
      { file: 'src/main.ts', line: 8, message: 'import.meta.glob(./missing/*.ts) matches no project file', code: 'glob-import' },
    ]);
  });
});
