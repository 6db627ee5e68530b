import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../../lib/repo';
import { FIXED_MODULES, generateSynthetic, MODULES_PER_DOMAIN, writeSynthetic } from '../synthetic';

const tmpRoot = path.join(REPO_ROOT, '.tmp');

function listTs(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
}

describe('synthetic monolith generator', () => {
  it('is deterministic: the same seed gives the same files, another seed different ones', () => {
    const a = generateSynthetic({ modules: 600, seed: 7 });
    const b = generateSynthetic({ modules: 600, seed: 7 });
    const c = generateSynthetic({ modules: 600, seed: 8 });
    expect([...a.files.entries()]).toEqual([...b.files.entries()]);
    expect([...a.files.keys()]).toEqual([...c.files.keys()]);
    expect([...a.files.values()].join('')).not.toEqual([...c.files.values()].join(''));
  });

  it('produces at least the requested number of modules, in whole domains', () => {
    const r = generateSynthetic({ modules: 3000, seed: 1 });
    expect(r.modules).toBeGreaterThanOrEqual(3000);
    expect(r.modules).toBe(FIXED_MODULES + r.domains * MODULES_PER_DOMAIN);
    expect(r.modules - 3000).toBeLessThan(MODULES_PER_DOMAIN);
  });

  it('writes a corpus that type-checks under its own tsconfig (paths aliases included)', () => {
    fs.mkdirSync(tmpRoot, { recursive: true });
    const dir = fs.mkdtempSync(path.join(tmpRoot, 'synthetic-'));
    try {
      const r = writeSynthetic(dir, { modules: 300, seed: 3 });
      expect(listTs(path.join(dir, 'src'))).toHaveLength(r.modules);
      const configPath = path.join(dir, 'tsconfig.json');
      const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, dir);
      expect(parsed.fileNames).toHaveLength(r.modules);
      const program = ts.createProgram(parsed.fileNames, parsed.options);
      const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(problems).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has the shapes the analyzers must handle: barrels, aliases, type-only, dynamic, require, routes, SQL', () => {
    const text = [...generateSynthetic({ modules: 300, seed: 3 }).files.values()].join('\n');
    for (const shape of [
      /^export \* from '\.\//m,
      /^import type \{[^}]+\} from '@domains\//m,
      /from '@shared\/db'/,
      /await import\('\.\.\/utils\//,
      /= require\('\.\.?\/[^']+'\)/,
      /Router\(\);\n/,
      /\.get\('\/record-\d+\/:id'/,
      /db\.prepare\('SELECT .* FROM \w+ t JOIN \w+ o ON/,
      /db\.prepare\('INSERT INTO \w+ /,
    ]) {
      expect(text).toMatch(shape);
    }
  });
});
