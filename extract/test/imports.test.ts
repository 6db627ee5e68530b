/**
 * A monolith that imports through package.json `imports` (`#lib/*`) and a tsconfig `paths` alias
 * (`@app/*`): the extracted service has neither, so both become relative paths; the copied
 * composition root keeps only the candidate's router; the service builds and answers on its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../cli/test/run-cli';
import { freePort, installAndBuild, startProc, stopAll, waitHttp } from './support/stack';

const APP = path.join(__dirname, 'fixtures', 'imports-app');

describe('extract on a monolith with package.json imports and paths aliases', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-imports-'));
  afterAll(async () => {
    await stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('rewrites #lib/* and @app/* to relative paths, drops the router that stays, and the service builds and serves its route', async () => {
    const out = path.join(work, 'notes');
    const plan = runCli(['extract', 'src/notes', APP, '--out', out, '--json']);
    expect(plan.code).toBe(0);
    const json = JSON.parse(plan.stdout) as { rewrites: { module: string; line: number; from: string; to: string }[]; modules: { id: string; role: string }[] };
    expect(json.rewrites).toEqual([
      { module: 'src/notes/notes.router.ts', line: 2, from: '#lib/text', to: '../lib/text' },
      { module: 'src/notes/notes.router.ts', line: 3, from: '@app/lib/stamp', to: '../lib/stamp' },
    ]);
    expect(json.modules).toEqual([
      { id: 'src/app.ts', role: 'root' },
      { id: 'src/lib/stamp.ts', role: 'copied' },
      { id: 'src/lib/text.ts', role: 'copied' },
      { id: 'src/notes/notes.router.ts', role: 'moved' },
    ]);
    const app = fs.readFileSync(path.join(out, 'src', 'app.ts'), 'utf8');
    expect(app).not.toContain('otherRouter');
    expect(app).toContain("app.use('/api/notes', notesRouter);");
    expect(fs.existsSync(path.join(out, 'src', 'other.ts'))).toBe(false);

    installAndBuild(out);
    const port = await freePort();
    const proc = startProc('notes', process.execPath, ['dist/service/server.js'], { cwd: out, env: { PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: path.join(work, 'notes.db') } });
    await waitHttp(`http://127.0.0.1:${port}/ready`, proc);
    expect(await (await fetch(`http://127.0.0.1:${port}/api/notes`)).json()).toEqual({ notes: ['First', 'Second'], at: 'v1' });
    expect((await fetch(`http://127.0.0.1:${port}/api/other`)).status).toBe(404);
  }, 300_000);
});
