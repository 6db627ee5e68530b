import { request, startFacade, upstream, load, type Running, type Upstream } from './helpers';

describe('routing', () => {
  let legacy: Upstream, cart: Upstream, orders: Upstream, f: Running;
  beforeAll(async () => {
    legacy = await upstream('legacy');
    cart = await upstream('cart');
    orders = await upstream('orders');
    f = await startFacade({
      legacy: legacy.url,
      services: { cart: cart.url, orders: orders.url },
      routes: [
        { name: 'order-by-id', match: { path: '/api/orders/:id', methods: ['GET'] }, service: 'orders', weight: 100 },
        { name: 'beta-cart', match: { prefix: '/api/cart', headers: { 'x-beta': 'yes' } }, service: 'orders', weight: 100 },
        { name: 'cart', match: { prefix: '/api/cart/' }, service: 'cart', weight: 100 },
        { name: 'cart-shadowed-by-order', match: { prefix: '/api/cart/special' }, service: 'orders', weight: 100 },
        { name: 'orders-moving', match: { prefix: '/api/orders' }, service: 'orders', weight: 30 },
      ],
    });
  });
  afterAll(async () => {
    await f.close();
    await Promise.all([legacy.close(), cart.close(), orders.close()]);
  });

  const who = async (path: string, opts: Parameters<typeof request>[2] = {}) => (await request(f.port, path, opts)).json<{ upstream: string; url: string }>();

  it('matches a prefix on segment boundaries only, and forwards path and query unchanged', async () => {
    expect(await who('/api/cart')).toMatchObject({ upstream: 'cart', url: '/api/cart' });
    expect(await who('/api/cart/items/7?x=1&y=%20')).toMatchObject({ upstream: 'cart', url: '/api/cart/items/7?x=1&y=%20' });
    expect((await who('/api/cartography')).upstream).toBe('legacy');
  });

  it('matches express-style path patterns exactly, with method conditions (GET also answers HEAD)', async () => {
    expect((await who('/api/orders/42')).upstream).toBe('orders');
    const head = await request(f.port, '/api/orders/42', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(orders.seen.at(-1)).toMatchObject({ method: 'HEAD', url: '/api/orders/42' });
    const exact = () => f.facade.stats().find((s) => s.name === 'order-by-id')!.requests.service;
    const before = exact();
    // Wrong method, or an extra segment: the exact route does not match (the weighted prefix route may).
    expect((await request(f.port, '/api/orders/42', { method: 'DELETE' })).status).toBe(200);
    expect((await request(f.port, '/api/orders/42/lines')).status).toBe(200);
    expect(exact()).toBe(before);
    await who('/api/orders/43');
    expect(exact()).toBe(before + 1);
  });

  it('matches header conditions, and the first matching route in config order wins', async () => {
    expect((await who('/api/cart/1', { headers: { 'x-beta': 'yes' } })).upstream).toBe('orders');
    expect((await who('/api/cart/1', { headers: { 'x-beta': 'no' } })).upstream).toBe('cart');
    // `cart` precedes the more specific `cart-shadowed-by-order`: config order, not longest prefix.
    expect((await who('/api/cart/special/1')).upstream).toBe('cart');
  });

  it('sends anything no route matches to legacy', async () => {
    expect(await who('/')).toMatchObject({ upstream: 'legacy', url: '/' });
    expect((await who('/login', { method: 'POST', body: 'a=1' })).upstream).toBe('legacy');
  });

  it('moves about `weight` % of distinct users to the service', async () => {
    const n = 2000;
    const sides = await load(n, 16, (i) => who(`/api/orders?page=${i}`, { headers: { 'x-user-id': `user-${i}` } }));
    const toService = sides.filter((s) => s.upstream === 'orders').length / n;
    expect(toService).toBeGreaterThan(0.25);
    expect(toService).toBeLessThan(0.35);
    const stat = f.facade.stats().find((s) => s.name === 'orders-moving')!;
    expect(stat.serviceShare).toBeGreaterThan(0.25);
    expect(stat.serviceShare).toBeLessThan(0.35);
    expect(stat.requests.service + stat.requests.legacy).toBeGreaterThanOrEqual(n);
  });

  it('counts requests in the prom-client registry by route, side and status class', async () => {
    const text = await f.registry.metrics();
    expect(text).toMatch(/strangler_requests_total\{route="cart",side="service",status_class="2xx"\} \d+/);
    expect(text).toMatch(/strangler_requests_total\{route="_unmatched",side="legacy",status_class="2xx"\} \d+/);
    expect(text).toMatch(/strangler_request_duration_seconds_bucket\{le="0.005",route="cart",side="service"\}/);
  });

  it('counts every request exactly, across reads of the registry', async () => {
    const count = async (): Promise<number> => {
      const m = /strangler_requests_total\{route="order-by-id",side="service",status_class="2xx"\} (\d+)/.exec(await f.registry.metrics());
      return m ? Number(m[1]) : 0;
    };
    const before = await count();
    await load(7, 3, (i) => who(`/api/orders/${i}`));
    expect(await count()).toBe(before + 7);
    await load(5, 2, (i) => who(`/api/orders/${i}`));
    expect(await count()).toBe(before + 12);
    expect(await count()).toBe(before + 12);
  });
});

describe('letter case in route matching', () => {
  let legacy: Upstream, svc: Upstream, f: Running;
  beforeAll(async () => {
    legacy = await upstream('legacy');
    svc = await upstream('svc');
    f = await startFacade({
      legacy: legacy.url,
      services: { svc: svc.url },
      routes: [
        { name: 'cart', match: { prefix: '/api/cart' }, service: 'svc', weight: 100 },
        { name: 'order', match: { path: '/api/orders/:id' }, service: 'svc', weight: 100 },
        { name: 'exact-prefix', match: { prefix: '/Exact', caseSensitive: true }, service: 'svc', weight: 100 },
        { name: 'exact-path', match: { path: '/Items/:id', caseSensitive: true }, service: 'svc', weight: 100 },
      ],
    });
  });
  afterAll(async () => {
    await f.close();
    await Promise.all([legacy.close(), svc.close()]);
  });
  const who = async (path: string) => (await request(f.port, path)).json<{ upstream: string; url: string }>();

  it('ignores letter case in prefix and path matchers alike by default (as Express does), forwarding the path as sent', async () => {
    expect(await who('/API/cart')).toMatchObject({ upstream: 'svc', url: '/API/cart' });
    expect(await who('/api/CART/items')).toMatchObject({ upstream: 'svc', url: '/api/CART/items' });
    expect((await who('/API/cartography')).upstream).toBe('legacy');
    expect(await who('/API/orders/7')).toMatchObject({ upstream: 'svc', url: '/API/orders/7' });
  });

  it('compares case exactly in both matchers with caseSensitive: true', async () => {
    expect((await who('/Exact/x')).upstream).toBe('svc');
    expect((await who('/exact/x')).upstream).toBe('legacy');
    expect((await who('/Items/3')).upstream).toBe('svc');
    expect((await who('/items/3')).upstream).toBe('legacy');
  });
});

describe('balancing over instances', () => {
  it('least-pending (default) avoids an instance busy with a slow request; round-robin alternates', async () => {
    const legacy = await upstream('legacy');
    const held: import('node:http').ServerResponse[] = [];
    const a = await upstream('a', (req, res) => {
      if (req.url === '/api/hold') return void held.push(res); // answered only at the end
      res.end(JSON.stringify({ upstream: 'a' }));
    });
    const b = await upstream('b');
    const f = await startFacade({ legacy: legacy.url, services: { svc: { urls: [a.url, b.url] } }, routes: [{ name: 'r', match: { prefix: '/api' }, service: 'svc', weight: 100 }] });
    try {
      const pending: Promise<unknown>[] = [];
      while (held.length === 0) {
        pending.push(request(f.port, '/api/hold', { agent: false }));
        await new Promise((r) => setTimeout(r, 20));
      }
      const sides = [];
      for (let i = 0; i < 8; i++) sides.push((await request(f.port, '/api/x')).json<{ upstream: string }>().upstream);
      expect(sides).toEqual(Array(8).fill('b'));
      f.facade.apply({ ...f.facade.current(), services: { svc: { urls: [a.url, b.url], balance: 'round-robin' } } });
      const rr = [];
      for (let i = 0; i < 6; i++) rr.push((await request(f.port, '/api/x')).json<{ upstream: string }>().upstream);
      expect(new Set(rr)).toEqual(new Set(['a', 'b']));
      expect(rr.filter((s) => s === 'a').length).toBe(3);
      for (const res of held) res.end('{}');
      await Promise.all(pending);
    } finally {
      await f.close();
      await Promise.all([legacy.close(), a.close(), b.close()]);
    }
  });
});
