/**
 * Browser-side code told from server code on a project that has both: a server that renders React
 * and loads JSX email templates by name, and a plugin whose client bundle no server code imports.
 */
import path from 'node:path';
import { runCli } from '../../../cli/test/run-cli';
import type { Report } from '../../types';

const BUNDLES = path.join(__dirname, 'fixtures', 'bundles');

describe('browser-side code (CLI)', () => {
  const r = runCli(['analyze', BUNDLES, '--format', 'json', '--quiet']);
  const report = JSON.parse(r.stdout) as Report;

  it("is a plugin's client: its components, its entry, and what only that entry imports", () => {
    expect(r.code).toBe(0);
    expect(report.nonRuntime!.modules).toEqual([
      { module: 'plugins/badge/client/Badge.tsx', kind: 'browser', reason: 'browser-side: a JSX component' },
      { module: 'plugins/badge/client/format.ts', kind: 'browser', reason: 'imported only by browser code (plugins/badge/client/index.ts)' },
      // nothing imports the entry; it imports a component and a helper, and reaches no server code
      { module: 'plugins/badge/client/index.ts', kind: 'browser', reason: 'imports browser code (plugins/badge/client/Badge.tsx) and no server code' },
    ]);
  });

  it('is not JSX the server renders, nor a template the server loads by name, nor data the server reads too', () => {
    const apart = new Set(report.nonRuntime!.modules.map((m) => m.module));
    // page.tsx renders with react-dom/server; shell.tsx is a component only page.tsx imports
    expect(apart.has('server/render/page.tsx')).toBe(false);
    expect(apart.has('server/render/shell.tsx')).toBe(false);
    // nothing imports WelcomeEmail.tsx, but it reaches pg through db.ts: server code
    expect(apart.has('server/emails/WelcomeEmail.tsx')).toBe(false);
    // the plugin's server side reads plugin.json too
    expect(apart.has('plugins/badge/plugin.json')).toBe(false);
    expect(report.modules.map((m) => m.id).filter((id) => !apart.has(id))).toEqual([
      'plugins/badge/plugin.json',
      'plugins/badge/server/index.ts',
      'server/emails/WelcomeEmail.tsx',
      'server/emails/db.ts',
      'server/main.ts',
      'server/render/page.tsx',
      'server/render/shell.tsx',
    ]);
  });
});
