import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCli, REPO_ROOT } from '../../cli/test/run-cli';
import type { Report } from '../../analyzer/types';
import { tinyReport } from './fixtures/tiny';

const BIN = path.join(REPO_ROOT, 'bin', 'strangler.js');
const SAMPLE = path.join(REPO_ROOT, 'sample-monolith');

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Starts `strangler view ...` and waits for the line with its URL. */
function startView(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'view', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s; stderr:\n${stderr}`)), 60_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const m = /strangler view: (http:\/\/\S+\/)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1],
          stderr: () => stderr,
          stop: () =>
            new Promise((done) => {
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before listening; stderr:\n${stderr}`));
    });
  });
}

describe('strangler view (CLI)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-view-cli-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('refuses a report that is not JSON, saying where, with exit 2', () => {
    const r = runCli(['view', write('broken.json', '{\n  "schemaVersion": "1.0.0",\n  "modules": [\n}\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^view: .*broken\.json: not JSON: .*at line 4, column 1\n$/);
  });

  it('refuses JSON that is not a report, listing the schema paths, with exit 2', () => {
    const bad = tinyReport() as unknown as { modules: Record<string, unknown>[] };
    delete bad.modules[2].loc;
    const r = runCli(['view', write('bad-schema.json', JSON.stringify(bad))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad-schema.json: not a strangler report: /modules/2: must have required property 'loc'");
  });

  it('refuses a missing path and an unusable port with exit 2', () => {
    const missing = runCli(['view', path.join(tmp, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file or directory/);
    const port = runCli(['view', write('ok.json', JSON.stringify(tinyReport())), '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/expected a port from 0 to 65535/);
  });

  it('says when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const r = runCli(['view', write('ok.json', JSON.stringify(tinyReport())), '--port', String(taken)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`view: port ${taken} is in use on 127.0.0.1; pass --port N (0 picks a free one)\n`);
    } finally {
      blocker.close();
    }
  });

  it('serves a report.json: prints the URL, GET /api/report answers, SIGTERM stops it with exit 0', async () => {
    const file = write('report.json', JSON.stringify(tinyReport()));
    const view = await startView([file, '--port', '0']);
    try {
      expect(view.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const res = await fetch(`${view.url}api/report`);
      expect(res.status).toBe(200);
      expect((await res.json()) as Report).toEqual(tinyReport());
      expect((await (await fetch(view.url)).text()).startsWith('<!doctype html>')).toBe(true);
    } finally {
      expect(await view.stop()).toBe(0);
    }
  });

  it('analyzes a directory first, with the analyzer progress on stderr, and --open hands the URL to $BROWSER', async () => {
    const opened = path.join(tmp, 'opened.txt');
    const browser = write('browser.sh', `#!/bin/sh\necho "$1" > "${opened}"\n`);
    fs.chmodSync(browser, 0o755);
    const view = await startView([SAMPLE, '--port', '0', '--open'], { BROWSER: browser });
    try {
      expect(view.stderr()).toMatch(/analyze: parsing 107 files/);
      expect(view.stderr()).toMatch(/view: analyzed 107 modules/);
      const report = (await (await fetch(`${view.url}api/report`)).json()) as Report;
      expect(report.summary.modules).toBe(107);
      for (let i = 0; i < 100 && !fs.existsSync(opened); i++) await new Promise((r) => setTimeout(r, 50));
      expect(fs.readFileSync(opened, 'utf8').trim()).toBe(view.url);
    } finally {
      expect(await view.stop()).toBe(0);
    }
  });

  it('--watch on a directory: a saved file is re-parsed alone, the open page gets the new report, stderr says what changed', async () => {
    const dir = path.join(tmp, 'shop');
    fs.cpSync(path.join(SAMPLE, 'src'), path.join(dir, 'src'), { recursive: true });
    fs.copyFileSync(path.join(SAMPLE, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
    const view = await startView([dir, '--port', '0', '--watch', '--quiet']);
    try {
      expect(view.stderr()).toContain('(watching ');
      const events = await fetch(`${view.url}api/events`);
      expect(events.headers.get('content-type')).toBe('text/event-stream');
      const reader = events.body!.getReader();
      const file = path.join(dir, 'src/feed/feed.service.ts');
      fs.writeFileSync(file, `import { listReviews } from '../reviews/reviews.service';\n${fs.readFileSync(file, 'utf8')}\nexport const reviewsOf = listReviews;\n`);
      let text = '';
      while (!text.includes('event: report')) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      for (let i = 0; i < 100 && !/changed: /.test(view.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(view.stderr()).toMatch(/view: src\/feed\/feed\.service\.ts changed: re-parsed 1 file in \d+ ms: \+1 edge/);
      const report = (await (await fetch(`${view.url}api/report`)).json()) as Report;
      expect(report.edges.some((e) => e.from === 'src/feed/feed.service.ts' && e.to === 'src/reviews/reviews.service.ts')).toBe(true);
    } finally {
      expect(await view.stop()).toBe(0);
    }
  });

  it('--help says what the command takes', () => {
    const r = runCli(['view', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--port', '--open', '--watch', '--host', '[target]', '--format html']) expect(r.stdout).toContain(flag);
  });
});

describe('strangler analyze --format html', () => {
  it('writes one self-contained page with the report inside', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'strangler-html-')), 'graph.html');
    const r = runCli(['analyze', SAMPLE, '--format', 'html', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("connect-src 'none'");
    // no src= or href= to anything but data:
    expect([...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1])).toEqual(['data:,']);
    const json = /<script type="application\/json" id="strangler-report">([^]*?)<\/script>/.exec(html)![1];
    expect((JSON.parse(json) as Report).summary.modules).toBe(107);
    // the extension picks the format too
    const byExt = runCli(['analyze', SAMPLE, '--out', out.replace('graph.html', 'again.html'), '--quiet']);
    expect(byExt.code).toBe(0);
    expect(fs.readFileSync(out.replace('graph.html', 'again.html'), 'utf8').startsWith('<!doctype html>')).toBe(true);
  });
});
