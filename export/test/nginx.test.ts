/**
 * The nginx export run by a real nginx, with traffic sent through it: the routing it must keep
 * from the facade (shares, stickiness, override, first match, fallback, mirror) checked from what
 * the upstreams received.
 */
import { Agent, request } from 'undici';
import { FacadeConfigSchema, type FacadeConfigInput } from '../../facade/config/schema';
import { exportConfig } from '../index';
import { freePort, startNginx, type RunningNginx } from '../nginx-process';
import { testUpstream, type TestUpstream } from './support/upstreams';

let legacy: TestUpstream, cart: TestUpstream, reviews: TestUpstream, flaky: TestUpstream;
let nginx: RunningNginx;
let base: string;
let deadUrl: string;
const agent = new Agent({ connections: 16, keepAliveTimeout: 10_000 });

async function get(path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; from: string | null; headers: Record<string, unknown> }> {
  const res = await request(base + path, { method: method as 'GET', headers, body, dispatcher: agent });
  const text = await res.body.text();
  let from: string | null = null;
  try {
    from = (JSON.parse(text) as { from?: string }).from ?? null;
  } catch {
    /* nginx's own error page */
  }
  return { status: res.statusCode, from, headers: res.headers };
}

beforeAll(async () => {
  legacy = await testUpstream('legacy');
  cart = await testUpstream('cart');
  reviews = await testUpstream('reviews');
  // Answers 500 to GETs, which the facade (and the export) retry on legacy.
  flaky = await testUpstream('flaky', (req, res) => {
    if (req.method !== 'GET') return false;
    res.statusCode = 500;
    res.end('{"from":"flaky"}');
    return true;
  });
  deadUrl = `http://127.0.0.1:${await freePort()}`;
  const port = await freePort();
  const input: FacadeConfigInput = {
    listen: { host: '127.0.0.1', port },
    legacy: legacy.url,
    services: { cart: cart.url, reviews: reviews.url, flaky: flaky.url, dead: deadUrl, special: cart.url },
    routes: [
      { name: 'cart', match: { prefix: '/api/cart' }, service: 'cart', weight: 30 },
      // Never reached: the cart route above takes /api/cart/special first, in the facade and here.
      { name: 'special', match: { prefix: '/api/cart/special' }, service: 'special', weight: 100 },
      { name: 'reviews', match: { prefix: '/api/reviews' }, service: 'reviews', weight: 0, shadow: { percent: 100 } },
      { name: 'flaky', match: { prefix: '/api/flaky' }, service: 'flaky', weight: 100 },
      { name: 'dead', match: { prefix: '/api/dead' }, service: 'dead', weight: 100 },
      { name: 'admin-only', match: { prefix: '/api/admin', methods: ['GET'], headers: { 'x-role': 'admin' } }, service: 'cart', weight: 100 },
    ],
    sticky: { keys: [{ header: 'x-user-id' }, { cookie: 'session' }] },
    override: { enabled: true },
  };
  const out = exportConfig({ config: FacadeConfigSchema.parse(input), source: 'routes.yaml' }, 'nginx');
  nginx = await startNginx(out.text, port);
  base = `http://127.0.0.1:${port}`;
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  await agent.close();
  await Promise.all([legacy, cart, reviews, flaky].map((u) => u?.close()));
});

describe('the nginx export under real traffic', () => {
  it('sends the route weight of users to the service (30 % of 2,000 users, within 3 points)', async () => {
    let toService = 0;
    for (let u = 0; u < 2000; u++) {
      const r = await get('/api/cart/items', { 'x-user-id': `user-${u}` });
      expect(r.status).toBe(200);
      if (r.from === 'cart') toService++;
      else expect(r.from).toBe('legacy');
    }
    expect(toService / 2000).toBeGreaterThan(0.27);
    expect(toService / 2000).toBeLessThan(0.33);
  });

  it('keeps every user on one side, by header, else by cookie', async () => {
    for (let u = 0; u < 100; u++) {
      const sides = new Set<string | null>();
      for (let i = 0; i < 5; i++) sides.add((await get(`/api/cart/${i}`, { 'x-user-id': `sticky-${u}` })).from);
      for (let i = 0; i < 3; i++) sides.add((await get('/api/cart', { cookie: `theme=dark; session=sticky-${u}` })).from);
      // The header and the cookie carry the same user key, so all eight requests land alike.
      expect(sides.size).toBe(1);
    }
  });

  it('lets the override header force a side, on the route only', async () => {
    const users = Array.from({ length: 40 }, (_, u) => `forced-${u}`);
    for (const u of users) {
      expect((await get('/api/cart', { 'x-user-id': u, 'x-strangler-target': 'service' })).from).toBe('cart');
      expect((await get('/api/cart', { 'x-user-id': u, 'x-strangler-target': 'cart' })).from).toBe('cart');
      expect((await get('/api/cart', { 'x-user-id': u, 'x-strangler-target': 'legacy' })).from).toBe('legacy');
    }
    expect((await get('/elsewhere', { 'x-strangler-target': 'service' })).from).toBe('legacy');
  });

  it('tries routes in file order and matches prefixes on segment boundaries', async () => {
    const sides = new Set<string | null>();
    for (let u = 0; u < 200; u++) sides.add((await get('/api/cart/special', { 'x-user-id': `order-${u}` })).from);
    // `special` (weight 100) never answers: cart's 30 % split decides, so both sides appear.
    expect(sides).toEqual(new Set(['legacy', 'cart']));
    for (let u = 0; u < 50; u++) expect((await get('/api/cartography', { 'x-user-id': `order-${u}` })).from).toBe('legacy');
  });

  it('matches methods and headers as the facade does (GET brings HEAD)', async () => {
    expect((await get('/api/admin/users', { 'x-role': 'admin' })).from).toBe('cart');
    expect((await get('/api/admin/users', { 'x-role': 'Admin' })).from).toBe('legacy');
    expect((await get('/api/admin/users')).from).toBe('legacy');
    expect((await get('/api/admin/users', { 'x-role': 'admin' }, 'POST', '{}')).from).toBe('legacy');
    const before = cart.seen.length;
    expect((await get('/api/admin/users', { 'x-role': 'admin' }, 'HEAD')).status).toBe(200);
    expect(cart.seen.slice(before).map((s) => s.method)).toEqual(['HEAD']);
  });

  it('retries a GET the service answers with 500 on legacy, and not a POST', async () => {
    expect(await get('/api/flaky/1')).toMatchObject({ status: 200, from: 'legacy' });
    const post = await get('/api/flaky/1', {}, 'POST', '{"a":1}');
    expect(post.from).toBe('flaky');
    expect(post.status).toBe(200);
  });

  it('falls back to legacy for GETs when the service is dead, and answers 502 to a POST', async () => {
    // The POST first: nginx would take a dead server out after failures, as the facade's breaker does.
    expect((await get('/api/dead/1', {}, 'POST', '{}')).status).toBe(502);
    for (let i = 0; i < 5; i++) expect(await get(`/api/dead/${i}`)).toMatchObject({ status: 200, from: 'legacy' });
    expect((await get('/api/dead/x', {}, 'HEAD')).status).toBe(200);
  });

  it('mirrors the shadowed route to its service, marked as shadow, while legacy answers', async () => {
    const before = reviews.seen.length;
    for (let i = 0; i < 10; i++) expect(await get(`/api/reviews/${i}?q=${i}`, { 'x-user-id': `m-${i}` })).toMatchObject({ status: 200, from: 'legacy' });
    expect((await get('/api/reviews/new', {}, 'POST', '{"stars":5}')).from).toBe('legacy');
    const deadline = Date.now() + 5000;
    while (reviews.seen.length - before < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const copies = reviews.seen.slice(before);
    expect(copies.map((c) => `${c.method} ${c.url}`).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `GET /api/reviews/${i}?q=${i}`).sort());
    for (const c of copies) expect(c.headers['x-strangler-shadow']).toBe('1');
    // Nothing else is mirrored: not the POST, not other routes.
    await new Promise((r) => setTimeout(r, 200));
    expect(reviews.seen.length - before).toBe(10);
  });

  it('logs route and side per request and echoes the request id', async () => {
    const r = await get('/api/cart', { 'x-user-id': 'log-me', 'x-request-id': 'req-42' });
    expect(r.headers['x-request-id']).toBe('req-42');
    const line = nginx.accessLog().find((l) => l.requestId === 'req-42');
    expect(line).toMatchObject({ route: 'cart', side: r.from === 'cart' ? 'service' : 'legacy', status: 200 });
    expect(legacy.seen.concat(cart.seen).find((s) => s.headers['x-request-id'] === 'req-42')).toBeDefined();
  });
});
