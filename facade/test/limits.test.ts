import { createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { deadUrl, load, raw, request, startFacade, upstream, type Running, type Upstream } from './helpers';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('bodies and limits', () => {
  let legacy: Upstream, f: Running;
  beforeAll(async () => {
    legacy = await upstream('legacy', (req, res, body) => {
      if (req.url === '/bytes') {
        // Every byte value, small enough to go out with the response head in one write.
        const all = Buffer.from(Array.from({ length: 512 }, (_, i) => i & 0xff));
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': all.length });
        return void res.end(all);
      }
      if (req.url === '/big') {
        // A 1 MiB answer, in chunks.
        res.setHeader('content-type', 'application/octet-stream');
        for (let i = 0; i < 16; i++) res.write(Buffer.alloc(64 * 1024, i));
        return void res.end();
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ size: body.length, sha: sha(body), te: req.headers['transfer-encoding'] ?? null }));
    });
    f = await startFacade({ legacy: legacy.url, limits: { maxBodyBytes: 2 * 1024 * 1024 } });
  });
  afterAll(async () => {
    await f.close();
    await legacy.close();
  });

  it('streams a 1 MiB POST through intact (Content-Length and chunked)', async () => {
    const body = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 0xff;
    const r = await request(f.port, '/upload', { method: 'POST', body });
    expect(r.json()).toEqual({ size: body.length, sha: sha(body), te: null });
    const chunked = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: f.port, path: '/upload', method: 'POST' }, (res) => {
        const c: Buffer[] = [];
        res.on('data', (d: Buffer) => c.push(d)).on('end', () => resolve(JSON.parse(Buffer.concat(c).toString())));
      });
      req.on('error', reject);
      Readable.from((function* () { for (let o = 0; o < body.length; o += 100_000) yield body.subarray(o, o + 100_000); })()).pipe(req);
    });
    expect(chunked).toEqual({ size: body.length, sha: sha(body), te: 'chunked' });
  });

  it('relays a small binary body byte-exact', async () => {
    const r = await new Promise<Buffer>((resolve) =>
      http.get({ host: '127.0.0.1', port: f.port, path: '/bytes' }, (res) => {
        const c: Buffer[] = [];
        res.on('data', (d: Buffer) => c.push(d)).on('end', () => resolve(Buffer.concat(c)));
      }),
    );
    expect(r).toEqual(Buffer.from(Array.from({ length: 512 }, (_, i) => i & 0xff)));
  });

  it('streams a 1 MiB response through', async () => {
    const r = await new Promise<Buffer>((resolve) =>
      http.get({ host: '127.0.0.1', port: f.port, path: '/big' }, (res) => {
        const c: Buffer[] = [];
        res.on('data', (d: Buffer) => c.push(d)).on('end', () => resolve(Buffer.concat(c)));
      }),
    );
    expect(r.length).toBe(1024 * 1024);
    expect(r[64 * 1024 * 15]).toBe(15);
  });

  it('answers 413 when Content-Length exceeds limits.maxBodyBytes, without contacting the upstream', async () => {
    const before = legacy.seen.length;
    const reply = await raw(f.port, `POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: ${3 * 1024 * 1024}\r\n\r\nfirst bytes`);
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toMatch(/connection: close/i);
    expect(reply).toContain('"code":"payload_too_large"');
    expect(legacy.seen.length).toBe(before);
  });

  it('answers 413 when a chunked body grows past the limit', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: f.port, path: '/upload', method: 'POST', agent: false }, (res) => {
        resolve(res.statusCode!);
        res.resume();
      });
      req.on('error', reject);
      let sent = 0;
      const chunk = Buffer.alloc(256 * 1024, 1);
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });
});

describe('a stalled upstream body', () => {
  it('is given up after limits.upstreamBodyTimeoutMs without a chunk: the response is cut and the timeout counted', async () => {
    const stalls = await upstream('stalls', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 100 });
      res.write('first part, then nothing'); // and never the rest
    });
    const f = await startFacade({ legacy: stalls.url, limits: { upstreamBodyTimeoutMs: 300 } });
    try {
      const outcome = await request(f.port, '/stream', { agent: false }).then(
        (r) => `answered ${r.status}`,
        (e: NodeJS.ErrnoException) => e.code,
      );
      expect(outcome).toBe('ECONNRESET'); // headers were relayed: the cut is passed on
      expect(await f.registry.metrics()).toMatch(/strangler_upstream_errors_total\{route="_unmatched",side="legacy",code="UND_ERR_BODY_TIMEOUT"\} 1/);
    } finally {
      await f.close();
      await stalls.close();
    }
  });
});

describe('forwarding headers', () => {
  let legacy: Upstream;
  beforeAll(async () => {
    legacy = await upstream('legacy', (req, res) => {
      res.setHeader('connection', 'keep-alive, x-hop');
      res.setHeader('x-hop', 'secret');
      res.setHeader('keep-alive', 'timeout=5');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end(JSON.stringify({ headers: req.headers }));
    });
  });
  afterAll(() => legacy.close());

  const headersSeen = async (f: Running, headers: Record<string, string>) => {
    const r = await request(f.port, '/x', { headers });
    return { reply: r, seen: r.json<{ headers: http.IncomingHttpHeaders }>().headers };
  };

  it('replaces X-Forwarded-* from an untrusted peer, adds a request id, passes traceparent, drops hop-by-hop headers', async () => {
    const f = await startFacade({ legacy: legacy.url });
    try {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const { reply, seen } = await headersSeen(f, {
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
        forwarded: 'for=6.6.6.6',
        traceparent,
        tracestate: 'vendor=1',
        connection: 'x-private',
        'x-private': 'do not forward',
        'proxy-authorization': 'Basic xxx',
      });
      expect(seen['x-forwarded-for']).toBe('127.0.0.1');
      expect(seen['x-forwarded-host']).toBe(`127.0.0.1:${f.port}`);
      expect(seen['x-forwarded-proto']).toBe('http');
      expect(seen.forwarded).toBeUndefined();
      expect(seen.traceparent).toBe(traceparent);
      expect(seen.tracestate).toBe('vendor=1');
      expect(seen['x-private']).toBeUndefined();
      expect(seen['proxy-authorization']).toBeUndefined();
      expect(seen['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(reply.headers['x-request-id']).toBe(seen['x-request-id']);
      // Response side: hop-by-hop and Connection-listed headers removed, repeated headers kept.
      expect(reply.headers['x-hop']).toBeUndefined();
      expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2']);
      const again = await headersSeen(f, { 'x-request-id': 'req-123' });
      expect(again.seen['x-request-id']).toBe('req-123');
      expect(again.reply.headers['x-request-id']).toBe('req-123');
    } finally {
      await f.close();
    }
  });

  it('extends X-Forwarded-* from a trusted proxy', async () => {
    const f = await startFacade({ legacy: legacy.url, trustedProxies: ['127.0.0.0/8'] });
    try {
      const { seen } = await headersSeen(f, { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'https' });
      expect(seen['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
      expect(seen['x-forwarded-host']).toBe('shop.example');
      expect(seen['x-forwarded-proto']).toBe('https');
    } finally {
      await f.close();
    }
  });

  it('uses the client address behind a trusted proxy as the sticky key of last resort', async () => {
    const svc = await upstream('svc');
    const f = await startFacade({
      legacy: legacy.url,
      services: { svc: svc.url },
      trustedProxies: ['127.0.0.1'],
      sticky: { keys: [{ header: 'x-user-id' }] },
      routes: [{ name: 'r', match: { prefix: '/' }, service: 'svc', weight: 50 }],
    });
    try {
      const side = async (ip: string) => ((await request(f.port, '/', { headers: { 'x-forwarded-for': ip } })).body.includes('"upstream":"svc"') ? 'svc' : 'legacy');
      const ips = Array.from({ length: 30 }, (_, i) => `198.51.100.${i}`);
      const first = await Promise.all(ips.map(side));
      expect(new Set(first).size).toBe(2);
      expect(await Promise.all(ips.map(side))).toEqual(first);
    } finally {
      await f.close();
      await svc.close();
    }
  });
});

describe('apply() under load', () => {
  it('swaps configs repeatedly while requests flow, with zero failed requests', async () => {
    const legacy = await upstream('legacy');
    const a = await upstream('a');
    const b = await upstream('b');
    const f = await startFacade({ legacy: legacy.url, services: { svc: a.url }, routes: [{ name: 'r', match: { prefix: '/api' }, service: 'svc', weight: 50 }] });
    try {
      const base = f.facade.current();
      let flips = 0;
      const timer = setInterval(() => {
        flips++;
        f.facade.apply({
          ...base,
          services: { svc: { urls: [flips % 2 ? b.url : a.url] } },
          routes: [{ ...base.routes[0], weight: (flips * 37) % 101 }],
        });
      }, 15);
      const statuses = await load(1500, 16, async (i) => (await request(f.port, i % 3 ? '/api/x' : '/other', { method: i % 5 ? 'GET' : 'POST', body: i % 5 ? undefined : 'b', headers: { 'x-user-id': `u${i}` } })).status);
      clearInterval(timer);
      expect(flips).toBeGreaterThan(3);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(a.seen.length + b.seen.length).toBeGreaterThan(100);
    } finally {
      await f.close();
      await Promise.all([legacy.close(), a.close(), b.close()]);
    }
  });

  it('keeps per-route counters across apply() and reports the new weight', async () => {
    const legacy = await upstream('legacy');
    const f = await startFacade({ legacy: legacy.url, services: { svc: await deadUrl() }, routes: [{ name: 'r', match: { prefix: '/' }, service: 'svc', weight: 0 }] });
    try {
      await request(f.port, '/');
      f.facade.apply({ ...f.facade.current(), routes: [{ ...f.facade.current().routes[0], weight: 10 }] });
      expect(f.facade.stats()).toEqual([
        expect.objectContaining({ name: 'r', weight: 10, requests: { legacy: 1, service: 0, shadow: 0 }, serviceShare: 0 }),
      ]);
    } finally {
      await f.close();
      await legacy.close();
    }
  });
});

describe('upstream connection pools', () => {
  it('keeps keep-alive pools for unchanged URLs across apply()', async () => {
    const legacy = await upstream('legacy');
    let connections = 0;
    legacy.server.on('connection', () => connections++);
    const f = await startFacade({ legacy: legacy.url });
    try {
      for (let i = 0; i < 5; i++) await request(f.port, '/a');
      const opened = connections;
      expect(opened).toBe(1); // sequential requests share one upstream connection
      f.facade.apply({ ...f.facade.current(), routes: [], trustedProxies: ['10.0.0.1'] });
      for (let i = 0; i < 5; i++) await request(f.port, '/b');
      expect(connections).toBe(opened);
    } finally {
      await f.close();
      await legacy.close();
    }
  });
});

describe('close()', () => {
  it('lets in-flight requests finish, refuses new connections, then resolves', async () => {
    const slow = await upstream('slow', (req, res) => setTimeout(() => res.end('done'), 300));
    const f = await startFacade({ legacy: slow.url });
    try {
      const inFlight = request(f.port, '/slow', { agent: false });
      await eventuallySeen(slow);
      const closing = f.facade.close();
      const r = await inFlight;
      expect(r.status).toBe(200);
      expect(r.body).toBe('done');
      await closing;
      expect(f.facade.ready()).toBe(false);
      await expect(request(f.port, '/after', { agent: false })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await slow.close();
    }
  });
});

async function eventuallySeen(u: Upstream): Promise<void> {
  while (u.seen.length === 0) await new Promise((r) => setTimeout(r, 10));
}
