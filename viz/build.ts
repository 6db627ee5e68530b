/**
 * Builds the viewer's browser code (run by `npm run build` after tsc): esbuild bundles the layout
 * worker into a string, then the page with d3 and that string, into dist/viz/client/app.js and
 * app.css. The report schema is compiled to plain code (ajv standalone), so the page validates a
 * report without generating code at run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import { build, type Plugin } from 'esbuild';
import schema from '../analyzer/schema/report.schema.json';

const repo = path.resolve(__dirname, '..', '..');
const src = path.join(repo, 'viz', 'client');
const out = path.join(repo, 'dist', 'viz', 'client');

function validatorPlugin(): Plugin {
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, code: { source: true, esm: true } });
  const code = standaloneCode(ajv, ajv.compile(schema));
  return {
    name: 'report-validator',
    setup(b) {
      b.onResolve({ filter: /^virtual:report-validator$/ }, () => ({ path: 'report-validator', namespace: 'virtual' }));
      b.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({ contents: code, loader: 'js', resolveDir: repo }));
    },
  };
}

export async function buildViewer(): Promise<{ js: number; css: number }> {
  fs.mkdirSync(out, { recursive: true });
  const common = { bundle: true, minify: process.env.STRANGLER_VIZ_MINIFY !== '0', platform: 'browser' as const, target: ['chrome110', 'firefox115', 'safari16'], legalComments: 'none' as const, logLevel: 'warning' as const };
  const worker = await build({ ...common, entryPoints: [path.join(src, 'layout-worker.ts')], format: 'iife', write: false });
  await build({
    ...common,
    entryPoints: [path.join(src, 'main.ts')],
    format: 'iife',
    outfile: path.join(out, 'app.js'),
    define: { __LAYOUT_WORKER__: JSON.stringify(worker.outputFiles![0].text) },
    plugins: [validatorPlugin()],
  });
  await build({ ...common, entryPoints: [path.join(src, 'style.css')], outfile: path.join(out, 'app.css') });
  return { js: fs.statSync(path.join(out, 'app.js')).size, css: fs.statSync(path.join(out, 'app.css')).size };
}

if (require.main === module) {
  buildViewer().then(
    (s) => process.stderr.write(`viz: built dist/viz/client (app.js ${Math.round(s.js / 1024)} KB, app.css ${Math.round(s.css / 1024)} KB)\n`),
    (err: unknown) => {
      process.stderr.write(`viz: build failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
