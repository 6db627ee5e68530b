import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { discover } from '../discover';
import { scanSourceFile, tokenAt, type ScanOptions } from '../scan';
import { countLoc } from '../scan/loc';
import { fixture, FIXTURES } from './helpers';

const parse = (file: string, text = fs.readFileSync(file, 'utf8')) =>
  ts.createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true);
const options: ScanOptions = { keepValueImports: false, isolatedModules: false, emitDecoratorMetadata: false };

describe('scan', () => {
  it('finds the same imports, uses and exports by text search as by walking every node', () => {
    const dirs = [...fs.readdirSync(FIXTURES).filter((d) => d !== 'notsconfig').map(fixture), path.resolve(__dirname, '..', '..', 'sample-monolith')];
    let compared = 0;
    for (const dir of dirs) {
      for (const file of discover(dir).files) {
        if (file.endsWith('.json')) continue;
        const sf = parse(file);
        expect({ file, ...scanSourceFile(sf, options) }).toEqual({ file, ...scanSourceFile(sf, { ...options, walk: true }) });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(150);
  });

  it('tells value uses from uses in the positions TypeScript erases', () => {
    const sf = parse(
      '/virtual/uses.ts',
      [
        "import { A, B, C, D, E, F, G, H } from './x';",
        'let a: A;', // annotation: type
        'const b = { B };', // shorthand property: value
        'class K implements C {}', // implements: type
        'class L extends D {}', // extends: value
        'const e = f<E>();', // type argument: type
        'const o = { F: 1 }; o.F;', // property names: not a use of F
        'type T = typeof G;', // type query: type
        '/* H */ const s = "H";', // comments and strings: not uses
      ].join('\n'),
    );
    for (const walk of [false, true]) {
      const uses = Object.fromEntries(scanSourceFile(sf, { ...options, walk }).imports[0].names!.map((n) => [n.name, n.use]));
      expect(uses).toEqual({ A: 'none', B: 'value', C: 'none', D: 'value', E: 'none', F: 'none', G: 'none', H: 'none' });
    }
  });

  it('reads imported names past long doc comments: a use only in a comment is no use', () => {
    // more than a few hundred characters of JSDoc before each statement, naming every import
    const doc = `/**\n${' * An example: A.make(), new B(), C.of(1), D\n'.repeat(12)} */\n`;
    const sf = parse('/virtual/docs.ts', ["import { A, B, C, D } from './x';", `${doc}export type T = A;`, `${doc}export const b = new B();`, `${doc}export function f(c: C): C {\n  return c;\n}`, `${doc}export const s = 'D';`].join('\n'));
    for (const walk of [false, true]) {
      const uses = Object.fromEntries(scanSourceFile(sf, { ...options, walk }).imports[0].names!.map((n) => [n.name, n.use]));
      expect(uses).toEqual({ A: 'none', B: 'value', C: 'none', D: 'none' });
    }
  });

  it('finds import(), require() and glob imports, wherever the calls are and however they are spaced', () => {
    const sf = parse(
      '/virtual/calls.ts',
      [
        "const a = import ( './a' );",
        "const b = require\n  ('./b');",
        "const c = import.meta.glob('./c/*.ts');",
        "const d = import.meta.globEager('./d/*.ts');",
        "const e = require.context('./e', true, /\\.ts$/);",
        "const f = x.import('./not-an-import'); // require('./in-a-comment')",
      ].join('\n'),
    );
    expect(scanSourceFile(sf, options).imports).toEqual([
      { specifier: './a', line: 1, kind: 'dynamic', mode: 'dynamic' },
      { specifier: './b', line: 2, kind: 'require', mode: 'require' },
      { specifier: './c/*.ts', line: 4, kind: 'dynamic', mode: 'import', glob: { patterns: ['./c/*.ts'] } },
      { specifier: './d/*.ts', line: 5, kind: 'static', mode: 'import', glob: { patterns: ['./d/*.ts'] } },
      { specifier: './e', line: 6, kind: 'require', mode: 'import', glob: { context: { directory: './e', recursive: true, filter: { source: '\\.ts$', flags: '' } } } },
    ]);
  });

  it('finds the node at a position as a plain descent from the file does', () => {
    const descend = (sf: ts.SourceFile, pos: number): ts.Node[] => {
      const path: ts.Node[] = [sf];
      for (;;) {
        const child = ts.forEachChild(path[path.length - 1], (c) => (c.pos <= pos && pos < c.end ? c : undefined));
        if (!child) return path;
        path.push(child);
      }
    };
    const files = [...['kinds', 'decorators', 'misc', 'barrels'].map(fixture), path.resolve(__dirname, '..', '..', 'sample-monolith')].flatMap((d) => discover(d).files).filter((f) => !f.endsWith('.json'));
    const broken = 'export const a = f(1, { b: [2, 3 }; class X { m( { return `x${a}`; }\nexport function g(';
    const sources = [...files.map((f) => [f, fs.readFileSync(f, 'utf8')]), ['/virtual/broken.ts', broken]];
    let compared = 0;
    const wrong: string[] = [];
    for (const [file, text] of sources) {
      // no parent pointers: the ones checked below are those tokenAt sets
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
      for (let pos = 0; pos <= sf.text.length; pos++) {
        const expected = descend(sf, pos);
        const found = tokenAt(sf, pos);
        const parentsSet = expected.every((node, i) => i === 0 || node.parent === expected[i - 1]);
        if (found !== expected[expected.length - 1] || !parentsSet) wrong.push(`${sf.fileName}:${pos}`);
        compared++;
      }
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(100_000);
  });

  it('counts lines of code without blank and comment lines, strings and templates included', () => {
    const text = ['// comment', '', 'const a = 1; // trailing', '/* block', '   still comment */', 'const s = `line1', '', 'line3 ${a', '} end`;', "const t = '// not a comment';", '  '].join('\n');
    expect(countLoc(text)).toBe(5);
  });
});
