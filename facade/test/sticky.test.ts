import { FacadeConfigSchema } from '../config/schema';
import { bucketOf } from '../routing/hash';
import { RoutingTable } from '../routing/table';
import { load, request, startFacade, upstream, type Running, type Upstream } from './helpers';

const tableAt = (weight: number) =>
  new RoutingTable(
    FacadeConfigSchema.parse({
      legacy: 'http://127.0.0.1:1',
      services: { cart: 'http://127.0.0.1:2' },
      routes: [{ name: 'cart', match: { prefix: '/api/cart' }, service: 'cart', weight }],
    }),
  );

describe('sticky assignment', () => {
  const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i * 7919}`);
  const sidesAt = (weight: number) => {
    const t = tableAt(weight);
    return keys.map((k) => t.decide('GET', '/api/cart', { 'x-user-id': k }, '10.0.0.1').side);
  };

  it.each([
    [0, 1],
    [1, 5],
    [5, 25],
    [25, 50],
    [50, 100],
    [10, 10.5],
  ])('raising the weight %p% → %p% moves only users in between, all towards the service', (p, q) => {
    const before = sidesAt(p);
    const after = sidesAt(q);
    let moved = 0;
    let backwards = 0;
    let outsideRange = 0;
    for (let i = 0; i < keys.length; i++) {
      if (before[i] === after[i]) continue;
      moved++;
      if (before[i] !== 'legacy') backwards++; // nobody may go back to legacy when the weight rises
      const b = bucketOf('cart', keys[i]);
      if (!(b >= p * 100 && b < q * 100)) outsideRange++;
    }
    expect(backwards).toBe(0);
    expect(outsideRange).toBe(0);
    // Each user moves iff their bucket lies in [p·100, q·100): expected |q−p| %; allow binomial noise
    // (3σ over 10k keys) on top of the 0.1 % bucket granularity.
    const share = moved / keys.length;
    const expected = (q - p) / 100;
    const noise = 3 * Math.sqrt((expected * (1 - expected)) / keys.length);
    expect(share).toBeLessThanOrEqual(expected + 0.001 + noise);
    expect(share).toBeGreaterThanOrEqual(expected - noise);
  });

  it('lowering the weight moves users back only towards legacy, the same users', () => {
    const at50 = sidesAt(50);
    const at20 = sidesAt(20);
    expect(at20.filter((s, i) => s !== at50[i] && s !== 'legacy')).toEqual([]);
    expect(at20.filter((s, i) => s !== at50[i]).length).toBeGreaterThan(2000);
    expect(sidesAt(50)).toEqual(at50); // stable: same keys, same decisions, no shared state
  });

  it('buckets differ per route, so the same users are not always the first moved', () => {
    const a = keys.slice(0, 2000).map((k) => bucketOf('cart', k) < 1000);
    const b = keys.slice(0, 2000).map((k) => bucketOf('orders', k) < 1000);
    const both = a.filter((x, i) => x && b[i]).length;
    expect(both).toBeLessThan(60); // independent → about 1 % of 2000 = 20
  });
});

describe('sticky assignment over HTTP', () => {
  let legacy: Upstream, cart: Upstream, f: Running;
  beforeAll(async () => {
    legacy = await upstream('legacy');
    cart = await upstream('cart');
    f = await startFacade({
      legacy: legacy.url,
      services: { cart: cart.url },
      sticky: { keys: [{ header: 'X-User-Id' }, { cookie: 'sid' }] },
      routes: [{ name: 'cart', match: { prefix: '/api/cart' }, service: 'cart', weight: 50 }],
    });
  });
  afterAll(async () => {
    await f.close();
    await Promise.all([legacy.close(), cart.close()]);
  });
  const side = async (headers: Record<string, string>) => (await request(f.port, '/api/cart', { headers })).json<{ upstream: string }>().upstream;

  it('keeps each user on one side across requests (header key, then cookie key)', async () => {
    const users = Array.from({ length: 40 }, (_, i) => `u${i}`);
    const first = await Promise.all(users.map((u) => side({ 'x-user-id': u })));
    expect(new Set(first).size).toBe(2); // both sides in use at 50 %
    for (let round = 0; round < 3; round++) expect(await Promise.all(users.map((u) => side({ 'x-user-id': u })))).toEqual(first);
    const byCookie = await Promise.all(users.map((u) => side({ cookie: `theme=dark; sid=${u}` })));
    expect(await Promise.all(users.map((u) => side({ cookie: `sid=${u}; other=1` })))).toEqual(byCookie);
  });

  it('moving the weight with apply() only moves users from legacy to the service', async () => {
    const users = Array.from({ length: 400 }, (_, i) => `user-${i}`);
    const before = await load(users.length, 8, (i) => side({ 'x-user-id': users[i] }));
    const cfg = f.facade.current();
    f.facade.apply({ ...cfg, routes: [{ ...cfg.routes[0], weight: 75 }] });
    const after = await load(users.length, 8, (i) => side({ 'x-user-id': users[i] }));
    let moved = 0;
    for (let i = 0; i < users.length; i++) {
      if (before[i] === after[i]) continue;
      expect([before[i], after[i]]).toEqual(['legacy', 'cart']);
      moved++;
    }
    expect(moved / users.length).toBeGreaterThan(0.15);
    expect(moved / users.length).toBeLessThan(0.35);
  });
});
