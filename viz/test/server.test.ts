import http from 'node:http';
import { ReportSource } from '../source';
import { startViewServer, type ViewServer } from '../server';
import { tinyReport } from './fixtures/tiny';

/** A GET with a chosen Host header (fetch does not let a caller set it). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
      })
      .on('error', reject);
  });
}

describe('the viewer server', () => {
  let server: ViewServer;
  const source = new ReportSource(tinyReport());
  beforeAll(async () => {
    server = await startViewServer({ source, port: 0, watch: true });
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 and serves the page, which loads nothing from elsewhere', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(server.url);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    expect(page.body).toContain('data-source="api"');
    expect(page.body).toContain('data-events="api/events"');
    expect(page.body).toMatch(/Content-Security-Policy" content="default-src 'none'; [^"]*connect-src 'self'/);
  });

  it('serves the report at GET /api/report', async () => {
    const r = await get(`${server.url}api/report`);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/application\/json/);
    expect(JSON.parse(r.body)).toEqual(tinyReport());
  });

  it('answers no other host name (DNS rebinding), and 404 for unknown paths', async () => {
    const r = await get(`${server.url}api/report`, { host: 'attacker.example' });
    expect(r.status).toBe(403);
    expect((await get(`${server.url}api/nothing`)).status).toBe(404);
    expect((await get(`${server.url}api/report`, { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('streams each new report and each problem to open pages', async () => {
    const events: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      http.get(`${server.url}api/events`, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          const parts = buffer.split('\n\n');
          buffer = parts.pop()!;
          for (const p of parts) if (p.startsWith('event:')) events.push(p);
          if (events.length === 2) {
            res.destroy();
            resolve();
          }
        });
        // the page is subscribed once the response started: now change the report
        const next = tinyReport();
        next.modules[0].loc = 31;
        source.set({ report: next, parsed: ['src/app.ts'], durationMs: 12 });
        source.problem({ message: 'tsconfig.json is not valid JSON', problems: ['line 3'] });
      }).on('error', reject);
    });
    await done;
    const [report, problem] = events;
    expect(report.split('\n')[0]).toBe('event: report');
    const data = JSON.parse(report.split('\n')[1].slice('data: '.length)) as { report: { modules: { loc: number }[] }; parsed: string[]; durationMs: number };
    expect(data.report.modules[0].loc).toBe(31);
    expect(data.parsed).toEqual(['src/app.ts']);
    expect(problem).toBe('event: problem\ndata: {"message":"tsconfig.json is not valid JSON","problems":["line 3"]}');
    // the last good report is still what GET /api/report says
    expect((JSON.parse((await get(`${server.url}api/report`)).body) as { modules: { loc: number }[] }).modules[0].loc).toBe(31);
  });

  it('without --watch there is no event stream, and a server with no report yet says why', async () => {
    const empty = new ReportSource();
    empty.problem({ message: 'analysis failed' });
    const other = await startViewServer({ source: empty, port: 0 });
    try {
      expect((await get(`${other.url}api/events`)).status).toBe(404);
      const r = await get(`${other.url}api/report`);
      expect(r.status).toBe(503);
      expect(JSON.parse(r.body)).toEqual({ error: 'analysis failed', problems: [] });
    } finally {
      await other.close();
    }
  });

  it('says when the port is taken', async () => {
    await expect(startViewServer({ source, port: server.port })).rejects.toThrow(`port ${server.port} is in use on 127.0.0.1; pass --port N (0 picks a free one)`);
  });
});
