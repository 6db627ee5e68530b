#!/usr/bin/env node
'use strict';
// The CLI is compiled by `npm install` (prepare) / `npm run build` into dist/.
try {
  require.resolve('../dist/cli/main.js');
} catch {
  process.stderr.write('strangler: not built yet; run `npm run build` in ' + require('path').resolve(__dirname, '..') + '\n');
  process.exit(2);
}
require('../dist/cli/main.js').main(process.argv).then((code) => { process.exitCode = code; });
