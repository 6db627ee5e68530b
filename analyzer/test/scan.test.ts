import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { discover } from '../discover';
import { scanSourceFile, type ScanOptions } from '../scan';
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

  it('counts lines of code without blank and comment lines, strings and templates included', () => {
    const text = ['// comment', '', 'const a = 1; // trailing', '/* block', '   still comment */', 'const s = `line1', '', 'line3 ${a', '} end`;', "const t = '// not a comment';", '  '].join('\n');
    expect(countLoc(text)).toBe(5);
  });
});
