/**
 * The viewer's one HTML page: the client bundle (built by viz/build.ts) and its styles inlined,
 * and either the report inlined too (the one-file export) or fetched from the server. A Content
 * Security Policy lets the page load nothing from anywhere: the export cannot touch a network.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Report } from '../analyzer/types';

export interface PageOptions {
  /** The report to embed (the export); without it the page fetches `api/report`. */
  report?: Report;
  /** Server-sent events URL of a watching server. */
  events?: string;
}

let assets: { js: string; css: string } | undefined;

/** dist/viz/client/ next to this file once compiled; from the TypeScript sources (tests), the built copy. */
function clientDir(): string {
  const candidates = [path.join(__dirname, 'client'), path.resolve(__dirname, '..', 'dist', 'viz', 'client')];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'app.js')));
  if (!found) throw new Error(`the viewer is not built (no app.js in ${candidates.join(' or ')}); run \`npm run build\``);
  return found;
}

function loadAssets(): { js: string; css: string } {
  if (!assets) {
    const dir = clientDir();
    assets = { js: fs.readFileSync(path.join(dir, 'app.js'), 'utf8'), css: fs.readFileSync(path.join(dir, 'app.css'), 'utf8') };
  }
  return assets;
}

/** Text inside <script>: never closes the element early. */
const scriptSafe = (s: string): string => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

export function viewerPage(options: PageOptions = {}): string {
  const { js, css } = loadAssets();
  const inline = options.report !== undefined;
  const csp = [
    "default-src 'none'",
    "script-src 'unsafe-inline'",
    "style-src 'unsafe-inline'",
    'worker-src blob:',
    'img-src data: blob:',
    inline ? "connect-src 'none'" : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = inline ? `strangler · ${path.basename(options.report!.root)}` : 'strangler';
  // `<` escaped: the JSON stays valid and can never end the script element
  const embedded = inline ? `\n<script type="application/json" id="strangler-report">${JSON.stringify(options.report).replace(/</g, '\\u003c')}</script>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${css.replace(/<\/style/gi, '<\\/style')}</style>
</head>
<body data-source="${inline ? 'inline' : 'api'}"${options.events ? ` data-events="${escapeHtml(options.events)}"` : ''}>
<div id="app">
  <header id="bar">
    <div class="brand">strangler <span id="project"></span></div>
    <div class="search"><input id="search" type="search" placeholder="Find a file or a route: orders.service, /api/orders/:id" autocomplete="off" aria-label="search modules and routes"><ul id="search-results" role="listbox" hidden></ul></div>
    <label>Colour <select id="color"></select></label>
    <label title="draw imports that TypeScript erases"><input type="checkbox" id="types" checked> type-only edges</label>
    <label title="how many steps of dependents and dependencies light up">Depth <select id="depth"></select></label>
    <label>Hide <input id="hide" type="text" placeholder="src/legacy, **/*.test.ts"></label>
    <button id="fit" title="fit the graph in the view">Fit</button>
    <button id="collapse-all" title="one node per folder">Folders</button>
    <button id="expand-all" title="every module">Modules</button>
    <label class="open-file" title="open another report.json">Open…<input type="file" id="open-file" accept=".json,application/json"></label>
  </header>
  <aside id="left">
    <h2>Extraction candidates</h2>
    <div class="hint">safest first · ↑ ↓ to move · Enter to zoom</div>
    <ol id="candidates" role="listbox" tabindex="0" aria-label="extraction candidates"></ol>
    <h2>Folders</h2>
    <div id="tree"></div>
  </aside>
  <main id="stage">
    <canvas id="graph" aria-label="module dependency graph"></canvas>
    <div id="legend"></div>
    <div id="tooltip" hidden></div>
    <div id="changes" hidden></div>
    <div id="message" class="message" hidden></div>
  </main>
  <aside id="panel"></aside>
</div>${embedded}
<script>${scriptSafe(js)}</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
