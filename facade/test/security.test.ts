import net from 'node:net';
import { FacadeConfigSchema } from '../config/schema';
import { normalizePath, normalizeTarget } from '../routing/normalize';
import { raw, request, startFacade, upstream, type Running, type Upstream } from './helpers';

describe('path normalization', () => {
  it.each([
    ['/api/cart', '/api/cart'],
    ['/api//cart///items', '/api/cart/items'],
    ['/api/./cart/.', '/api/cart/'],
    ['/admin/../api/cart', '/api/cart'],
    ['/admin/%2e%2e/api/cart', '/api/cart'],
    ['/admin/.%2E/api/cart', '/api/cart'],
    ['/a/b/..', '/a/'],
    ['/', '/'],
    ['/api/caf%C3%A9', '/api/caf%C3%A9'],
  ])('%s → %s', (input, out) => expect(normalizePath(input)).toBe(out));

  it.each(['/..', '/../etc/passwd', '/a/../../b', '/a%2fb', '/a%2Fb', '/a%5cb', '/a\\b', '/a%00'])('refuses %s', (input) => expect(normalizePath(input)).toBeNull());

  it('keeps the query string apart and refuses non-origin-form targets', () => {
    expect(normalizeTarget('/a//b?x=/../y')).toEqual({ path: '/a/b', query: '?x=/../y' });
    expect(normalizeTarget('http://evil.example/')).toBeNull();
    expect(normalizeTarget('*')).toBeNull();
    expect(normalizeTarget('evil.example:443')).toBeNull();
  });
});

describe('hostile requests through the facade', () => {
  let legacy: Upstream, admin: Upstream, f: Running;
  beforeAll(async () => {
    legacy = await upstream('legacy');
    admin = await upstream('admin');
    f = await startFacade({
      legacy: legacy.url,
      services: { admin: admin.url },
      routes: [{ name: 'admin', match: { prefix: '/admin' }, service: 'admin', weight: 100 }],
      limits: { maxHeaderBytes: 4096 },
    });
  });
  afterAll(async () => {
    await f.close();
    await Promise.all([legacy.close(), admin.close()]);
  });
  const who = async (path: string) => {
    const r = await request(f.port, path);
    return r.status === 200 ? r.json<{ upstream: string; url: string }>() : { status: r.status };
  };

  it('routes on the normalized path and forwards that same path', async () => {
    expect(await who('/admin/../public/x')).toEqual(expect.objectContaining({ upstream: 'legacy', url: '/public/x' }));
    expect(await who('/public/..%2Fadmin')).toEqual({ status: 400 });
    expect(await who('/public/%2e%2e/admin/users')).toEqual(expect.objectContaining({ upstream: 'admin', url: '/admin/users' }));
    expect(await who('//admin//users?q=1')).toEqual(expect.objectContaining({ upstream: 'admin', url: '/admin/users?q=1' }));
    expect(await who('/../admin')).toEqual({ status: 400 });
  });

  it('is not an open proxy: an absolute-form target gets 400 and reaches no upstream', async () => {
    const before = legacy.seen.length + admin.seen.length;
    const reply = await raw(f.port, `GET http://127.0.0.1:${admin.port}/admin/secret HTTP/1.1\r\nHost: 127.0.0.1:${admin.port}\r\nConnection: close\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('"code":"bad_request_target"');
    const connect = await raw(f.port, `CONNECT 127.0.0.1:${admin.port} HTTP/1.1\r\nHost: 127.0.0.1:${admin.port}\r\n\r\n`);
    expect(connect).toMatch(/^HTTP\/1\.1 400 /);
    expect(legacy.seen.length + admin.seen.length).toBe(before);
  });

  it('counts requests refused before routing under their own labels, never as legacy traffic', async () => {
    const count = async (pattern: RegExp): Promise<number> => Number(pattern.exec(await f.registry.metrics())?.[1] ?? 0);
    const refused = (reason: string) => count(new RegExp(`strangler_refused_requests_total\\{reason="${reason}"\\} (\\d+)`));
    const asFacade = () => count(/strangler_requests_total\{route="_refused",side="facade",status_class="4xx"\} (\d+)/);
    const asLegacy = () => count(/strangler_requests_total\{route="_unmatched",side="legacy",status_class="4xx"\} (\d+)/);
    const before = { connect: await refused('connect'), form: await refused('not_origin_form'), path: await refused('bad_path'), all: await asFacade(), legacy: await asLegacy() };
    await raw(f.port, `CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n`);
    await raw(f.port, 'GET http://127.0.0.1:1/x HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n');
    await raw(f.port, 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect((await request(f.port, '/a/../../etc/passwd')).status).toBe(400);
    expect((await request(f.port, '/a%2fb')).status).toBe(400);
    expect({ connect: await refused('connect'), form: await refused('not_origin_form'), path: await refused('bad_path'), all: await asFacade(), legacy: await asLegacy() }).toEqual({
      connect: before.connect + 1,
      form: before.form + 2,
      path: before.path + 2,
      all: before.all + 5,
      legacy: before.legacy,
    });
  });

  it('answers 431 to oversized headers and 400 to malformed requests', async () => {
    const big = await raw(f.port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    const junk = await raw(f.port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(junk).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('refuses request smuggling shapes (Content-Length with Transfer-Encoding)', async () => {
    const before = legacy.seen.length;
    const reply = await raw(f.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(legacy.seen.length).toBe(before);
  });
});

describe('slow clients', () => {
  it('answers 408 to a client that does not finish its headers within limits.headersTimeoutMs', async () => {
    const legacy = await upstream('legacy');
    const f = await startFacade({ legacy: legacy.url, limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 } });
    try {
      const reply = await raw(f.port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n'); // never sends the final CRLF
      expect(reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(legacy.seen).toEqual([]);
    } finally {
      await f.close();
      await legacy.close();
    }
  });
});

describe('hostile upstream answers', () => {
  it.each([
    ['a control character in a header', 'HTTP/1.1 200 OK\r\nX-Bad: a\u0001b\r\nContent-Length: 2\r\n\r\nok'],
    ['garbage instead of HTTP', 'SSH-2.0-OpenSSH\r\n\r\n'],
    ['a truncated body', 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort'],
  ])('survives %s: 502 (or a cut response) for that request, and keeps serving', async (_what, answer) => {
    const bad = net.createServer((s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.end(answer));
    });
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    const good = await upstream('good');
    const f = await startFacade({
      legacy: good.url,
      services: { bad: `http://127.0.0.1:${(bad.address() as net.AddressInfo).port}` },
      routes: [{ name: 'bad', match: { prefix: '/bad' }, service: 'bad', weight: 100, fallback: false }],
    });
    try {
      const outcome = await request(f.port, '/bad', { agent: false }).then(
        (r) => r.status,
        (e: NodeJS.ErrnoException) => e.code,
      );
      // Headers already relayed when the body is cut short: the cut is passed on (client sees a reset).
      expect(outcome).toBe(answer.includes('short') ? 'ECONNRESET' : 502);
      expect((await request(f.port, '/fine')).status).toBe(200);
    } finally {
      await f.close();
      await good.close();
      bad.close();
    }
  });
});

describe('config checks the data plane relies on', () => {
  it('refuses headersTimeoutMs above requestTimeoutMs, naming the path', async () => {
    const r = FacadeConfigSchema.safeParse({ legacy: 'http://127.0.0.1:1', limits: { headersTimeoutMs: 70_000 } });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([expect.objectContaining({ path: ['limits', 'headersTimeoutMs'], message: 'must not exceed limits.requestTimeoutMs (60000)' })]);
  });

  it('refuses shadow ignore paths that are not JSON paths', async () => {
    const base = { legacy: 'http://127.0.0.1:1', services: { s: 'http://127.0.0.1:2' } };
    const route = (ignore: string[]) => ({ ...base, routes: [{ name: 'r', match: { prefix: '/' }, service: 's', shadow: { compare: { ignore } } }] });
    expect(FacadeConfigSchema.safeParse(route(['$.updatedAt', '$.items[*].id', "$['odd key']", '$.a.*'])).success).toBe(true);
    const bad = FacadeConfigSchema.safeParse(route(['updatedAt']));
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['routes', 0, 'shadow', 'compare', 'ignore', 0]);
  });
});
