import { deadUrl, eventually, load, request, startFacade, upstream, type Running, type Upstream } from './helpers';

describe('fallback to legacy', () => {
  let legacy: Upstream;
  beforeAll(async () => {
    legacy = await upstream('legacy');
  });
  afterAll(() => legacy.close());

  const route = (extra: Record<string, unknown> = {}) => ({ name: 'cart', match: { prefix: '/api/cart' }, service: 'cart', weight: 100, ...extra });

  it('answers from legacy when the service refuses the connection', async () => {
    const f = await startFacade({ legacy: legacy.url, services: { cart: await deadUrl() }, routes: [route()] });
    try {
      const r = await request(f.port, '/api/cart/1');
      expect(r.status).toBe(200);
      expect(r.json()).toMatchObject({ upstream: 'legacy', url: '/api/cart/1' });
      const s = f.facade.stats()[0];
      expect(s).toMatchObject({ fallbacks: 1, errors: { service: 1, legacy: 0 }, requests: { service: 1, legacy: 1 } });
      expect(await f.registry.metrics()).toMatch(/strangler_fallbacks_total\{route="cart"\} 1/);
    } finally {
      await f.close();
    }
  });

  it('retries idempotent requests answered 5xx by the service; passes 5xx through for unsafe methods', async () => {
    const svc = await upstream('svc', (req, res) => {
      res.statusCode = 503;
      res.end('service broken');
    });
    const f = await startFacade({ legacy: legacy.url, services: { cart: svc.url }, routes: [route({ safeMethods: ['PUT'] })], breaker: { failureThreshold: 100 } });
    try {
      for (const method of ['GET', 'HEAD', 'OPTIONS']) expect((await request(f.port, '/api/cart', { method })).status).toBe(200);
      // PUT is listed in safeMethods: its (small) body is buffered so legacy gets it intact.
      const put = await request(f.port, '/api/cart/9', { method: 'PUT', body: '{"qty":3}', headers: { 'content-type': 'application/json' } });
      expect(put.status).toBe(200);
      expect(put.json()).toMatchObject({ upstream: 'legacy', method: 'PUT', body: '{"qty":3}' });
      expect(svc.seen.at(-1)).toMatchObject({ method: 'PUT', body: '{"qty":3}' });
      // POST is not safe to repeat: the client sees the service's answer.
      const post = await request(f.port, '/api/cart', { method: 'POST', body: 'x' });
      expect(post.status).toBe(503);
      expect(post.body).toBe('service broken');
      expect(f.facade.stats()[0].fallbacks).toBe(4);
    } finally {
      await f.close();
      await svc.close();
    }
  });

  it('retries on legacy when the service times out; answers 504 when legacy times out too', async () => {
    const slow = await upstream('slow', () => undefined); // never answers
    const f = await startFacade({
      legacy: legacy.url,
      services: { cart: { urls: [slow.url], timeoutMs: 150 }, hang: { urls: [slow.url], timeoutMs: 150 } },
      routes: [route()],
    });
    try {
      expect((await request(f.port, '/api/cart')).json()).toMatchObject({ upstream: 'legacy' });
      f.facade.apply({ ...f.facade.current(), legacy: { urls: [slow.url], timeoutMs: 150 } });
      const r = await request(f.port, '/anything');
      expect(r.status).toBe(504);
      expect(r.json()).toMatchObject({ error: { code: 'upstream_timeout' } });
      expect(r.headers['x-request-id']).toBeTruthy();
    } finally {
      await f.close();
      await slow.close();
    }
  });

  it('answers 502 with a JSON code when no side can answer', async () => {
    const dead = await deadUrl();
    const f = await startFacade({ legacy: dead, services: { cart: dead }, routes: [route()] });
    try {
      for (const path of ['/api/cart', '/other']) {
        const r = await request(f.port, path);
        expect(r.status).toBe(502);
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.json()).toMatchObject({ error: { code: 'upstream_unavailable' } });
      }
      expect(f.facade.ready()).toBe(true); // health checks are off here: nothing says legacy is down
    } finally {
      await f.close();
    }
  });

  it('loses no GET when the service is killed mid-load', async () => {
    const svc = await upstream('svc');
    const f = await startFacade({ legacy: legacy.url, services: { cart: svc.url }, routes: [route({ weight: 50 })] });
    try {
      let killed = false;
      const results = await load(1500, 24, async (i) => {
        if (i === 500 && !killed) {
          killed = true;
          void svc.close(); // drops open keep-alive connections too
        }
        const r = await request(f.port, `/api/cart/${i}`, { headers: { 'x-user-id': `u${i}` } });
        return r.status;
      });
      expect(results.filter((s) => s !== 200)).toEqual([]);
      const s = f.facade.stats()[0];
      expect(s.fallbacks).toBeGreaterThan(0);
      expect(s.requests.service).toBeGreaterThan(100);
    } finally {
      await f.close();
    }
  });
});

describe('circuit breaker', () => {
  it('opens after failureThreshold failures, probes once after cooldown (half-open), closes on success', async () => {
    const legacy = await upstream('legacy');
    let healthy = false;
    const svc = await upstream('svc', (req, res) => {
      res.statusCode = healthy ? 200 : 500;
      res.end(JSON.stringify({ upstream: 'svc' }));
    });
    const f = await startFacade({
      legacy: legacy.url,
      services: { cart: { urls: [svc.url], breaker: { failureThreshold: 3, windowMs: 10_000, cooldownMs: 400 } } },
      routes: [{ name: 'cart', match: { prefix: '/api/cart' }, service: 'cart', weight: 100 }],
    });
    try {
      for (let i = 0; i < 3; i++) expect((await request(f.port, '/api/cart')).json()).toMatchObject({ upstream: 'legacy' });
      expect(svc.seen.length).toBe(3);
      expect(f.facade.stats()[0].breaker).toBe('open');
      expect(await f.registry.metrics()).toMatch(/strangler_breaker_state\{service="cart"\} 2/);
      // Open: the service gets nothing, legacy answers.
      for (let i = 0; i < 5; i++) expect((await request(f.port, '/api/cart')).json()).toMatchObject({ upstream: 'legacy' });
      expect(svc.seen.length).toBe(3);
      // After the cooldown: one probe; it fails → open again.
      await eventually(() => f.facade.stats()[0].breaker === 'half-open', 3000, 'half-open');
      expect(await f.registry.metrics()).toMatch(/strangler_breaker_state\{service="cart"\} 1/);
      await request(f.port, '/api/cart');
      expect(svc.seen.length).toBe(4);
      expect(f.facade.stats()[0].breaker).toBe('open');
      // Next probe succeeds → closed, traffic returns to the service.
      healthy = true;
      await eventually(() => f.facade.stats()[0].breaker === 'half-open', 3000, 'half-open again');
      expect((await request(f.port, '/api/cart')).json()).toMatchObject({ upstream: 'svc' });
      expect(f.facade.stats()[0].breaker).toBe('closed');
      expect((await request(f.port, '/api/cart')).json()).toMatchObject({ upstream: 'svc' });
      expect(await f.registry.metrics()).toMatch(/strangler_breaker_state\{service="cart"\} 0/);
    } finally {
      await f.close();
      await Promise.all([legacy.close(), svc.close()]);
    }
  });
});

describe('active health checks', () => {
  it('takes a failing instance out, spreads over the others, puts it back when it recovers', async () => {
    const legacy = await upstream('legacy');
    let aUp = true;
    const a = await upstream('a', (req, res) => {
      if (req.url === '/health') res.statusCode = aUp ? 200 : 500;
      res.end(JSON.stringify({ upstream: 'a' }));
    });
    const b = await upstream('b');
    const f = await startFacade({
      legacy: { urls: [legacy.url], healthCheck: { enabled: false } },
      services: { cart: { urls: [a.url, b.url], balance: 'round-robin', healthCheck: { intervalMs: 50, timeoutMs: 200, unhealthyThreshold: 2, healthyThreshold: 2, enabled: true } } },
      routes: [{ name: 'cart', match: { prefix: '/api/cart' }, service: 'cart', weight: 100 }],
    });
    const sides = async (n: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push((await request(f.port, '/api/cart')).json<{ upstream: string }>().upstream);
      return new Set(out);
    };
    try {
      expect(await sides(6)).toEqual(new Set(['a', 'b']));
      aUp = false;
      await eventually(async () => (await sides(4)).size === 1, 5000, 'instance a taken out');
      expect(await sides(6)).toEqual(new Set(['b']));
      await b.close();
      const fallbacksNow = () => f.facade.stats()[0].fallbacks;
      await eventually(
        async () => {
          const before = fallbacksNow();
          return (await sides(1)).has('legacy') && fallbacksNow() === before; // routed, not retried
        },
        5000,
        'instance b taken out',
      );
      // No healthy instance left: the route goes straight to legacy (no failed attempt, no fallback).
      const fallbacks = fallbacksNow();
      expect(await sides(4)).toEqual(new Set(['legacy']));
      expect(fallbacksNow()).toBe(fallbacks);
      aUp = true;
      await eventually(async () => (await sides(1)).has('a'), 3000, 'instance a back in rotation');
      expect(f.facade.ready()).toBe(true);
    } finally {
      await f.close();
      await Promise.all([legacy.close(), a.close()]);
    }
  });

  it('is not ready while no legacy instance passes its health check', async () => {
    let up = false;
    const legacy = await upstream('legacy', (req, res) => {
      res.statusCode = up ? 200 : 503;
      res.end();
    });
    const f = await startFacade({ legacy: legacy.url, healthCheck: { intervalMs: 50, unhealthyThreshold: 1, healthyThreshold: 1, enabled: true } });
    try {
      await eventually(() => !f.facade.ready(), 3000, 'not ready');
      up = true;
      await eventually(() => f.facade.ready(), 3000, 'ready');
    } finally {
      await f.close();
      await legacy.close();
    }
  });
});

describe('replaying request bodies', () => {
  it('buffers a safeMethods body up to limits.retryBufferBytes; a larger one is streamed and not retried', async () => {
    const legacy = await upstream('legacy');
    const svc = await upstream('svc', (req, res, body) => {
      res.statusCode = 503;
      res.end(`svc got ${body.length}`);
    });
    const f = await startFacade({
      legacy: legacy.url,
      services: { cart: svc.url },
      limits: { retryBufferBytes: 1000 },
      breaker: { failureThreshold: 100 },
      routes: [{ name: 'cart', match: { prefix: '/api/cart' }, service: 'cart', weight: 100, safeMethods: ['PUT'] }],
    });
    try {
      const small = await request(f.port, '/api/cart', { method: 'PUT', body: 'x'.repeat(1000) });
      expect(small.json()).toMatchObject({ upstream: 'legacy', body: 'x'.repeat(1000) });
      const large = await request(f.port, '/api/cart', { method: 'PUT', body: 'y'.repeat(5000) });
      expect(large.status).toBe(503);
      expect(large.body).toBe('svc got 5000');
      // Chunked (no Content-Length) and larger than the cap: the buffered prefix and the rest arrive intact.
      const chunked = await request(f.port, '/api/cart', { method: 'PUT', body: 'z'.repeat(3000), headers: { 'transfer-encoding': 'chunked' } });
      expect(chunked.body).toBe('svc got 3000');
      expect(f.facade.stats()[0].fallbacks).toBe(1);
    } finally {
      await f.close();
      await Promise.all([legacy.close(), svc.close()]);
    }
  });
});

describe('several legacy instances', () => {
  it('retries a refused idempotent request on another legacy instance', async () => {
    const legacy = await upstream('legacy');
    const f = await startFacade({ legacy: { urls: [await deadUrl(), legacy.url], balance: 'round-robin' } });
    try {
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await request(f.port, `/p/${i}`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      expect(legacy.seen.length).toBe(6);
      expect(await f.registry.metrics()).toMatch(/strangler_upstream_errors_total\{route="_unmatched",side="legacy",code="ECONNREFUSED"\} [1-9]/);
      const failed = f.logs.filter((l) => l.msg === 'request failed');
      expect(failed).toEqual([]);
    } finally {
      await f.close();
      await legacy.close();
    }
  });
});

describe('request logs', () => {
  it('logs failed requests with request id, route, side, status and duration', async () => {
    const f = await startFacade({ legacy: await deadUrl() });
    try {
      await request(f.port, '/broken', { headers: { 'x-request-id': 'trace-me' } });
      expect(f.logs.find((l) => l.msg === 'request failed')).toMatchObject({ requestId: 'trace-me', route: '_unmatched', side: 'legacy', status: 502, path: '/broken', ms: expect.any(Number) });
    } finally {
      await f.close();
    }
  });
});
