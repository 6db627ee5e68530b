import { eventually, idleThreads, request, startFacade, upstream, type Running, type Upstream } from './helpers';

const order = (over: Record<string, unknown> = {}) => ({
  id: 7,
  total: 42.5,
  updatedAt: new Date().toISOString(),
  items: [
    { id: Math.random(), sku: 'A', qty: 1 },
    { id: Math.random(), sku: 'B', qty: 2 },
  ],
  ...over,
});

describe('shadow traffic', () => {
  let legacy: Upstream, shadow: Upstream, f: Running;
  let shadowBody: () => unknown = () => order();
  let shadowMode: 'answer' | 'hang' = 'answer';
  beforeAll(async () => {
    legacy = await upstream('legacy', (req, res, body) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-version', '1');
      res.end(JSON.stringify(req.method === 'POST' ? { echoed: body.toString() } : order()));
    });
    shadow = await upstream('shadow', (req, res, body) => {
      if (shadowMode === 'hang') return; // never answers
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-version', '2');
      res.end(JSON.stringify(req.method === 'POST' ? { echoed: body.toString() } : shadowBody()));
    });
    f = await startFacade({
      legacy: legacy.url,
      services: { orders: shadow.url },
      routes: [
        {
          name: 'orders',
          match: { prefix: '/api/orders' },
          service: 'orders',
          weight: 0,
          shadow: { percent: 100, methods: ['GET', 'POST'], timeoutMs: 300, shedUnderLoad: false, compare: { ignore: ['$.updatedAt', '$.items[*].id'] } },
        },
        {
          name: 'orders-headers',
          match: { prefix: '/api/v2/orders' },
          service: 'orders',
          shadow: { percent: 100, shedUnderLoad: false, compare: { headers: ['x-version'], ignore: ['$.updatedAt', '$.items[*].id'] } },
        },
      ],
    });
  });
  afterAll(async () => {
    await f.close();
    await Promise.all([legacy.close(), shadow.close()]);
  });
  const stat = (name = 'orders') => f.facade.stats().find((s) => s.name === name)!;

  it('mirrors requests and finds no mismatch when only ignored fields differ', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await request(f.port, `/api/orders/${i}`);
      expect(r.status).toBe(200);
      expect(r.headers['x-version']).toBe('1'); // the user always gets legacy's answer
    }
    await eventually(() => shadow.seen.length >= 5, 3000, 'mirrored requests');
    expect(shadow.seen[0]).toMatchObject({ method: 'GET', url: '/api/orders/0' });
    expect(shadow.seen[0].headers['x-strangler-shadow']).toBe('1');
    await eventually(() => stat().shadowCompared === 5, 3000, 'five comparisons');
    expect(stat().shadowMismatches).toBe(0);
  });

  it('counts and logs a mismatch with the differing paths and both values', async () => {
    shadowBody = () => order({ total: 40, items: [{ id: 1, sku: 'A', qty: 1 }, { id: 2, sku: 'B', qty: 3 }] });
    try {
      await request(f.port, '/api/orders/9');
      await eventually(() => stat().shadowMismatches === 1, 3000, 'a mismatch');
      const log = f.logs.find((l) => l.msg === 'shadow mismatch')!;
      expect(log).toMatchObject({ route: 'orders', path: '/api/orders/9', reasons: ['body'], differenceCount: 2 });
      expect(log.differences).toEqual([
        { path: '$.total', legacy: 42.5, shadow: 40 },
        { path: '$.items[1].qty', legacy: 2, shadow: 3 },
      ]);
      expect(await f.registry.metrics()).toMatch(/strangler_shadow_mismatches_total\{route="orders"\} 1/);
      expect(await f.registry.metrics()).toMatch(/strangler_shadow_requests_total\{route="orders"\} \d+/);
    } finally {
      shadowBody = () => order();
    }
  });

  it('compares chosen headers', async () => {
    const before = stat('orders-headers').shadowMismatches;
    await request(f.port, '/api/v2/orders/1');
    await eventually(() => stat('orders-headers').shadowMismatches === before + 1, 3000, 'header mismatch');
    expect(f.logs.filter((l) => l.msg === 'shadow mismatch').at(-1)).toMatchObject({
      reasons: ['headers'],
      differences: [{ path: 'header x-version', legacy: '1', shadow: '2' }],
    });
  });

  it('mirrors a POST body (within maxBodyBytes) to both sides', async () => {
    const before = stat().shadowMismatches;
    const r = await request(f.port, '/api/orders', { method: 'POST', body: '{"sku":"C"}', headers: { 'content-type': 'application/json' } });
    expect(r.json()).toEqual({ echoed: '{"sku":"C"}' });
    await eventually(() => shadow.seen.some((s) => s.method === 'POST' && s.body === '{"sku":"C"}'), 3000, 'mirrored POST');
    expect(stat().shadowMismatches).toBe(before);
  });

  it('never delays or fails the user when the shadow hangs or is down', async () => {
    shadowMode = 'hang';
    try {
      const before = stat().shadowMismatches;
      const r = await request(f.port, '/api/orders/1'); // would hang with the shadow if it were on the hot path
      expect(r.status).toBe(200);
      expect(r.headers['x-version']).toBe('1');
      // The shadow's own timeout (300 ms) ends it and counts a mismatch (shadow-error).
      await eventually(() => stat().shadowMismatches === before + 1, 3000, 'shadow timeout counted');
      expect(f.logs.filter((l) => l.msg === 'shadow mismatch').at(-1)).toMatchObject({ reasons: ['shadow-error'] });
    } finally {
      shadowMode = 'answer';
    }
    await shadow.close();
    const r = await request(f.port, '/api/orders/2');
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ id: 7 });
  });
});

describe('shadow sampling', () => {
  it('mirrors about `percent` % of requests, only methods listed, only while legacy answers', async () => {
    const legacy = await upstream('legacy');
    const svc = await upstream('svc');
    const f = await startFacade({
      legacy: legacy.url,
      services: { svc: svc.url },
      routes: [{ name: 'r', match: { prefix: '/' }, service: 'svc', weight: 0, shadow: { percent: 30, shedUnderLoad: false } }],
    });
    try {
      for (let i = 0; i < 300; i++) await request(f.port, `/item/${i}`);
      await request(f.port, '/item', { method: 'POST', body: 'x' }); // POST is not in shadow.methods by default
      await eventually(() => svc.seen.length === f.facade.stats()[0].requests.shadow, 3000, 'mirrors arrived');
      const mirrored = f.facade.stats()[0].requests.shadow;
      expect(mirrored).toBeGreaterThan(300 * 0.18);
      expect(mirrored).toBeLessThan(300 * 0.42);
      expect(svc.seen.every((s) => s.method === 'GET')).toBe(true);
      // Once the route is moved, users are answered by the service and nothing is mirrored.
      f.facade.apply({ ...f.facade.current(), routes: [{ ...f.facade.current().routes[0], weight: 100 }] });
      const before = f.facade.stats()[0].requests.shadow;
      for (let i = 0; i < 20; i++) await request(f.port, `/item/${i}`);
      expect(f.facade.stats()[0].requests.shadow).toBe(before);
    } finally {
      await f.close();
      await Promise.all([legacy.close(), svc.close()]);
    }
  });
});

describe('shadow under load', () => {
  it('sheds mirroring while the facade is busy, and counts what it skipped', async () => {
    const legacy = await upstream('legacy');
    const svc = await upstream('svc');
    const f = await startFacade({ legacy: legacy.url, services: { svc: svc.url }, routes: [{ name: 'r', match: { prefix: '/' }, service: 'svc', shadow: {} }] });
    try {
      const busyUntil = Date.now() + 700;
      while (Date.now() < busyUntil) {
        /* keep the event loop busy: the next load sample sees ~100 % utilisation */
      }
      await new Promise((r) => setTimeout(r, 0)); // the overdue load sample runs first
      const r = await request(f.port, '/a');
      expect(r.status).toBe(200);
      expect(await f.registry.metrics()).toMatch(/strangler_shadow_skipped_total\{route="r",reason="busy"\} 1/);
      expect(f.facade.stats()[0].requests.shadow).toBe(0);
      expect(svc.seen).toEqual([]);
    } finally {
      await f.close();
      await Promise.all([legacy.close(), svc.close()]);
    }
  });
});

describe('shadow ordering', () => {
  it('sends the mirror only after legacy has answered the user', async () => {
    let release: () => void = () => undefined;
    const legacy = await upstream('legacy', (req, res) => {
      release = () => res.end('{"ok":true}');
    });
    const svc = await upstream('svc', (req, res) => res.end('{"ok":true}'));
    const f = await startFacade({ legacy: legacy.url, services: { svc: svc.url }, routes: [{ name: 'r', match: { prefix: '/' }, service: 'svc', shadow: { shedUnderLoad: false } }] });
    try {
      const answer = request(f.port, '/x');
      await eventually(() => legacy.seen.length === 1, 3000, 'legacy got the request');
      await new Promise((r) => setTimeout(r, 100));
      expect(svc.seen).toEqual([]); // legacy has not answered yet: nothing mirrored so far
      release();
      expect((await answer).body).toBe('{"ok":true}');
      await eventually(() => svc.seen.length === 1, 3000, 'the mirror');
      await eventually(() => f.facade.stats()[0].requests.shadow === 1, 3000, 'shadow counted');
      expect(f.facade.stats()[0].shadowMismatches).toBe(0);
    } finally {
      await f.close();
      await Promise.all([legacy.close(), svc.close()]);
    }
  });
});

describe('shadow comparison rules', () => {
  const json = (over: Record<string, unknown> = {}) => JSON.stringify({ id: 1, items: Array.from({ length: 50 }, (_, i) => ({ i, name: `item ${i}` })), ...over });

  it('joins a repeated header the same way on both sides, so identical answers match', async () => {
    const both = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      res.setHeader('x-tag', ['a', 'b']);
      res.end('{"ok":true}');
    };
    const legacy = await upstream('legacy', both);
    const svc = await upstream('svc', both);
    const f = await startFacade({
      legacy: legacy.url,
      services: { svc: svc.url },
      routes: [{ name: 'r', match: { prefix: '/' }, service: 'svc', shadow: { shedUnderLoad: false, compare: { headers: ['x-tag'] } } }],
    });
    try {
      for (let i = 0; i < 3; i++) await request(f.port, `/h/${i}`);
      await eventually(() => f.facade.stats()[0].shadowCompared === 3, 3000, 'three comparisons');
      expect(f.facade.stats()[0].shadowMismatches).toBe(0);
    } finally {
      await f.close();
      await Promise.all([legacy.close(), svc.close()]);
    }
  });

  it('decodes a gzip answer from legacy against an identity answer from the service, and diffs the JSON inside', async () => {
    const { gzipSync } = await import('node:zlib');
    let serviceBody = json();
    let serviceGzipLevel = 0; // 0: identity
    const legacy = await upstream('legacy', (req, res) => {
      res.setHeader('content-type', 'application/json');
      if (/gzip/.test(String(req.headers['accept-encoding']))) {
        res.setHeader('content-encoding', 'gzip');
        return void res.end(gzipSync(json()));
      }
      res.end(json());
    });
    const svc = await upstream('svc', (req, res) => {
      res.setHeader('content-type', 'application/json');
      if (serviceGzipLevel === 0) return void res.end(serviceBody);
      res.setHeader('content-encoding', 'gzip');
      res.end(gzipSync(serviceBody, { level: serviceGzipLevel }));
    });
    const f = await startFacade({ legacy: legacy.url, services: { svc: svc.url }, routes: [{ name: 'r', match: { prefix: '/' }, service: 'svc', shadow: { shedUnderLoad: false } }] });
    try {
      const gz = { 'accept-encoding': 'gzip' };
      await request(f.port, '/same', { headers: gz });
      await eventually(() => svc.seen.length === 1, 3000, 'the mirror');
      expect(svc.seen[0].headers['accept-encoding']).toBe('gzip'); // the mirror is the user's request; this service answers identity anyway
      serviceBody = json({ id: 2 });
      await request(f.port, '/different', { headers: gz });
      await eventually(() => f.facade.stats()[0].shadowMismatches === 1, 5000, 'one mismatch');
      expect(f.logs.find((l) => l.msg === 'shadow mismatch')).toMatchObject({ path: '/different', reasons: ['body'], differences: [{ path: '$.id', legacy: 1, shadow: 2 }] });
      // Both compressed, with other bytes (another gzip level) but the same JSON: decoded on both sides, equal.
      serviceBody = json();
      serviceGzipLevel = 1;
      await request(f.port, '/both-gzip', { headers: gz });
      await eventually(() => f.facade.stats()[0].shadowCompared === 3, 5000, 'three comparisons');
      expect(f.facade.stats()[0].shadowMismatches).toBe(1);
    } finally {
      await f.close();
      await Promise.all([legacy.close(), svc.close()]);
    }
  });
});

describe('mirrors not sent, counted by reason', () => {
  const skipped = async (f: Running, reason: string): Promise<number> =>
    Number(new RegExp(`strangler_shadow_skipped_total\\{route="r",reason="${reason}"\\} (\\d+)`).exec(await f.registry.metrics())?.[1] ?? NaN);

  it('counts no_healthy_instance (shadow service down), body_too_large and legacy_failed', async () => {
    const legacy = await upstream('legacy');
    const svc = await upstream('svc');
    const f = await startFacade({
      legacy: legacy.url,
      services: { svc: svc.url },
      routes: [{ name: 'r', match: { prefix: '/' }, service: 'svc', shadow: { shedUnderLoad: false, methods: ['GET', 'POST'], maxBodyBytes: 100 } }],
      healthCheck: { enabled: true, intervalMs: 100, timeoutMs: 200, unhealthyThreshold: 1 },
    });
    try {
      expect(await skipped(f, 'busy')).toBe(0); // every reason is exported from the start
      await request(f.port, '/small', { method: 'POST', body: 'x'.repeat(50) });
      await request(f.port, '/big', { method: 'POST', body: 'x'.repeat(500) });
      await eventually(() => svc.seen.length === 1, 3000, 'the small POST mirrored');
      expect(svc.seen[0].url).toBe('/small');
      expect(await skipped(f, 'body_too_large')).toBe(1);

      await legacy.close();
      await eventually(() => f.facade.upstreams().find((u) => u.role === 'legacy')?.healthy === 0, 5000, 'legacy down');
      expect((await request(f.port, '/y', { agent: false })).status).toBe(502);
      expect(await skipped(f, 'legacy_failed')).toBe(1);

      await svc.close();
      await eventually(() => f.facade.upstreams().find((u) => u.name === 'svc')?.healthy === 0, 5000, 'svc taken out');
      expect((await request(f.port, '/x', { agent: false })).status).toBe(502);
      expect(await skipped(f, 'no_healthy_instance')).toBe(1);
    } finally {
      await f.close();
    }
  });
});

describe('shadow with large compressed answers', () => {
  it('compares 1 MiB gzip JSON answers on the shadow worker, at the service URL’s base path, and finds the one changed field', async () => {
    const { gzipSync } = await import('node:zlib');
    const idleBefore = idleThreads();
    const items = Array.from({ length: 16_000 }, (_, i) => ({ id: i, sku: `SKU-${i}`, name: `product ${i}`, price: i / 4 }));
    const json = (changed: boolean) => JSON.stringify({ items: changed ? items.map((x) => (x.id === 9_999 ? { ...x, price: -1 } : x)) : items });
    expect(json(false).length).toBeGreaterThan(1024 * 1024);
    const legacyBody = gzipSync(json(false), { level: 6 });
    const same = gzipSync(json(false), { level: 1 }); // same JSON, other bytes: decoded before comparing
    const changed = gzipSync(json(true), { level: 1 });
    let serviceBody = same;
    const answer = (body: () => Buffer) => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body().length });
      res.end(body());
    };
    const legacy = await upstream('legacy', answer(() => legacyBody));
    const svc = await upstream('svc', answer(() => serviceBody));
    const f = await startFacade({
      legacy: legacy.url,
      services: { svc: `${svc.url}/v2` },
      routes: [{ name: 'r', match: { prefix: '/' }, service: 'svc', weight: 0, shadow: { shedUnderLoad: false, compare: { maxBodyBytes: 2 * 1024 * 1024 } } }],
    });
    try {
      const r = await request(f.port, '/catalog', { headers: { 'accept-encoding': 'gzip' } });
      expect(r.status).toBe(200);
      await eventually(() => f.facade.stats()[0].shadowCompared === 1, 5000, 'first comparison');
      expect(svc.seen[0]).toMatchObject({ method: 'GET', url: '/v2/catalog' });
      expect(f.facade.stats()[0].shadowMismatches).toBe(0);
      // the shadow worker and its comparison worker, each moved to SCHED_IDLE; the proxy's thread not
      expect(idleThreads().filter((tid) => !idleBefore.includes(tid))).toHaveLength(2);
      expect(idleThreads()).not.toContain(String(process.pid));
      serviceBody = changed;
      await request(f.port, '/catalog', { headers: { 'accept-encoding': 'gzip' } });
      await eventually(() => f.facade.stats()[0].shadowMismatches === 1, 5000, 'the mismatch');
      expect(f.logs.find((l) => l.msg === 'shadow mismatch')).toMatchObject({ reasons: ['body'], differences: [{ path: '$.items[9999].price', legacy: 9_999 / 4, shadow: -1 }] });
    } finally {
      await f.close();
      await Promise.all([legacy.close(), svc.close()]);
    }
  });
});
