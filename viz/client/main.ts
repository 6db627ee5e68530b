/**
 * The page's entry: get the report (embedded in the one-file export, or from the server), check
 * it against the schema, and start the viewer; a bad report is an error on the page, not a blank one.
 */
import validate from 'virtual:report-validator';
import { SCHEMA_VERSION, type Report } from '../../analyzer/types';
import { checkReport, ReportError } from '../model/report-check';
import { App } from './app';
import { byId } from './dom';
import { clearMessage, showMessage } from './overlays';
import { projectName } from './panel';
import type { ViewerHooks } from '../model/hooks';

const schemaErrors = (value: unknown): string[] => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`));

function check(text: string, source: string): Report {
  return checkReport(text, source, schemaErrors, SCHEMA_VERSION);
}

let app: App | null = null;
const hooks: ViewerHooks = {
  error: null,
  firstPictureMs: null,
  settled: () => app?.settled ?? false,
  nodes: () => app?.drawnNodes() ?? [],
  edges: () => app?.drawnEdges() ?? [],
  transform: () => {
    const t = app?.view.transform;
    return { x: t?.x ?? 0, y: t?.y ?? 0, k: t?.k ?? 1 };
  },
  layoutWhere: () => app?.layout.where ?? null,
  updates: () => app?.updates ?? 0,
  lastUpdateDrawnAt: () => app?.lastUpdateDrawnAt ?? 0,
  stats: () => ({ ...(app?.view.stats ?? { lastFullDrawMs: 0, frames: 0, fullDraws: 0, bitmapFrames: 0, drawnNodes: 0, drawnEdges: 0 }) }),
};
window.strangler = hooks;

function fail(err: unknown): void {
  const e = err instanceof ReportError ? err : null;
  hooks.error = e ? e.message : String(err instanceof Error ? err.message : err);
  if (e) showMessage('error', `${e.source} is ${e.kind === 'not-json' ? 'not JSON' : e.kind === 'schema' ? 'not a strangler report' : 'unreadable'}`, e.problems.slice(0, 12).concat(e.problems.length > 12 ? [`and ${e.problems.length - 12} more`] : []));
  else showMessage('error', 'The viewer could not start', [hooks.error]);
}

function start(report: Report): void {
  performance.mark('strangler:checked');
  hooks.error = null;
  clearMessage();
  if (app) app.setReport(report, { fresh: app.g.report.root !== report.root });
  else {
    app = new App(report);
    performance.mark('strangler:started');
    void app.firstPicture.then((t) => (hooks.firstPictureMs = t));
  }
  document.title = `strangler · ${projectName(app)}`;
  byId('project').textContent = projectName(app);
  if (report.modules.length === 0)
    showMessage('empty', 'This report has no modules', [
      `strangler analyzed ${report.root} and found no source file${report.tsconfig ? ` that ${report.tsconfig} includes` : ''}.`,
      'Check the directory, its tsconfig "include", or --exclude, and analyze again.',
    ]);
}

async function load(): Promise<void> {
  const source = document.body.dataset.source;
  try {
    if (source === 'inline') {
      start(check(byId('strangler-report').textContent ?? '', 'the report in this file'));
    } else {
      const res = await fetch('api/report', { cache: 'no-store' });
      const text = await res.text();
      performance.mark('strangler:fetched');
      if (!res.ok) {
        let problems = [text];
        try {
          const body = JSON.parse(text) as { error?: string; problems?: string[] };
          problems = body.problems ?? [body.error ?? text];
        } catch {
          // not JSON: the text is the message
        }
        throw new ReportError('GET /api/report', problems, 'unreadable');
      }
      start(check(text, 'GET /api/report'));
    }
  } catch (err) {
    fail(err);
  }
  const events = document.body.dataset.events;
  if (events) watch(events);
}

/** `--watch`: the server sends each new report, or the problem that kept the last good one. */
function watch(url: string): void {
  const source = new EventSource(url);
  source.addEventListener('report', (e) => {
    const data = JSON.parse((e as MessageEvent<string>).data) as { report: Report; parsed?: string[]; durationMs?: number };
    try {
      const problems = schemaErrors(data.report);
      if (problems.length) throw new ReportError('the updated report', problems, 'schema');
      const report = data.report;
      if (app) {
        clearMessage();
        app.setReport(report, { parsed: data.parsed, durationMs: data.durationMs });
      } else start(report);
    } catch (err) {
      fail(err);
    }
  });
  source.addEventListener('problem', (e) => {
    const data = JSON.parse((e as MessageEvent<string>).data) as { message: string; problems?: string[] };
    hooks.error = data.message;
    showMessage('error', data.message, [...(data.problems ?? []), app ? 'The picture shows the last good report.' : ''].filter(Boolean));
  });
}

/** Open a report.json from disk (button or drop): the same checks as the server's. */
async function openFile(file: File): Promise<void> {
  try {
    start(check(await file.text(), file.name));
  } catch (err) {
    fail(err);
  }
}

const input = byId<HTMLInputElement>('open-file');
input.addEventListener('change', () => {
  if (input.files?.[0]) void openFile(input.files[0]);
  input.value = '';
});
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  const file = e.dataTransfer?.files[0];
  if (file) void openFile(file);
});

void load();
