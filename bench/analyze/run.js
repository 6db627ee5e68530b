#!/usr/bin/env node
'use strict';
// The one command for the analyzer benchmark: `node bench/analyze/run.js [--rounds N] [--corpus name] [--json]`.
// It runs the compiled bench (dist/bench/analyze/main.js) so that no tool pays a TypeScript loader,
// and rebuilds dist/ first when any source of the CLI, the analyzer or the bench is newer than its output.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const FOLDERS = ['cli', 'analyzer', 'bench'];

function stale() {
  const check = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'test' || e.name === 'fixtures' || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (check(full)) return true;
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const out = path.join(root, 'dist', path.relative(root, full)).replace(/\.ts$/, '.js');
        if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(full).mtimeMs) return true;
      }
    }
    return false;
  };
  return FOLDERS.some((f) => fs.existsSync(path.join(root, f)) && check(path.join(root, f)));
}

if (stale()) {
  process.stderr.write('bench: dist/ is missing or older than the sources: building (tsc -p tsconfig.json)\n');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) {
    process.stderr.write('bench: tsc reported errors (above); continuing with what it emitted\n');
  }
}
const mainJs = path.join(root, 'dist', 'bench', 'analyze', 'main.js');
if (!fs.existsSync(mainJs)) {
  process.stderr.write(`bench: ${path.relative(root, mainJs)} is missing after the build; run \`npm run build\` and read its errors\n`);
  process.exit(2);
}
require(mainJs).main(process.argv).then((code) => { process.exitCode = code; });
