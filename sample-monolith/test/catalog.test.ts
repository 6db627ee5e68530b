import { startApp, type TestApp } from './helpers';

let t: TestApp;
let admin: string;
let alice: string;
beforeAll(async () => {
  t = await startApp();
  admin = await t.login('admin@shop.test');
  alice = await t.login('alice@shop.test');
});
afterAll(() => t.close());

describe('catalog products', () => {
  it('lists the seeded products with paging', async () => {
    const r = await t.request('GET', '/api/catalog/products?limit=3&offset=0&sort=name');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(10);
    expect(r.body.items.map((p: any) => p.name)).toEqual(['Brazil Cerrado 1kg', 'Ceramic dripper size 02', 'Colombia Huila 250g']);
    expect(r.body).toMatchObject({ limit: 3, offset: 0 });
  });

  it('filters by category and price range, sorted by price', async () => {
    const r = await t.request('GET', '/api/catalog/products?category=coffee&minPrice=1200&maxPrice=3500&sort=price_asc');
    expect(r.status).toBe(200);
    expect(r.body.items.map((p: any) => p.sku)).toEqual(['COF-ETH-250', 'COF-DEC-250', 'COF-BRA-1K']);
    expect(r.body.items[0].category).toMatchObject({ slug: 'coffee', name: 'Coffee' });
  });

  it('rejects a bad sort, a bad limit and an inverted price range with 400', async () => {
    const sort = await t.request('GET', '/api/catalog/products?sort=cheapest');
    expect(sort.status).toBe(400);
    expect(sort.body.error.message).toMatch(/sort must be one of newest, price_asc, price_desc, name/);
    const limit = await t.request('GET', '/api/catalog/products?limit=1000');
    expect(limit.status).toBe(400);
    expect(limit.body.error.details[0].field).toBe('limit');
    const range = await t.request('GET', '/api/catalog/products?minPrice=500&maxPrice=100');
    expect(range.status).toBe(400);
  });

  it('shows one product with its rating summary, 404 for an unknown id, 400 for a non-numeric id', async () => {
    const r = await t.request('GET', '/api/catalog/products/1');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 1, sku: 'COF-ETH-250', priceCents: 1290, rating: { count: 0, average: null } });
    const missing = await t.request('GET', '/api/catalog/products/999');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: 'NOT_FOUND', message: 'Product 999 not found' });
    const bad = await t.request('GET', '/api/catalog/products/abc');
    expect(bad.status).toBe(400);
  });

  it('lets only admins create, update and retire products', async () => {
    const body = { sku: 'MUG-ESP-80', name: 'Espresso cup 80ml', priceCents: 950, categoryId: 3 };
    expect((await t.request('POST', '/api/catalog/products', { body })).status).toBe(401);
    const forbidden = await t.request('POST', '/api/catalog/products', { body, token: alice });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');

    const created = await t.request('POST', '/api/catalog/products', { body, token: admin });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sku: 'MUG-ESP-80', active: true, category: { slug: 'mugs' } });
    const dup = await t.request('POST', '/api/catalog/products', { body, token: admin });
    expect(dup.status).toBe(409);
    const invalid = await t.request('POST', '/api/catalog/products', { body: { sku: 'lower case', name: '', priceCents: -1 }, token: admin });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: any) => d.field)).toEqual(['sku', 'name', 'priceCents']);

    const updated = await t.request('PUT', `/api/catalog/products/${created.body.id}`, { body: { priceCents: 1050 }, token: admin });
    expect(updated.status).toBe(200);
    expect(updated.body.priceCents).toBe(1050);
    expect((await t.request('PUT', '/api/catalog/products/999', { body: { priceCents: 1 }, token: admin })).status).toBe(404);

    expect((await t.request('DELETE', `/api/catalog/products/${created.body.id}`, { token: alice })).status).toBe(403);
    expect((await t.request('DELETE', `/api/catalog/products/${created.body.id}`, { token: admin })).status).toBe(204);
    const list = await t.request('GET', '/api/catalog/products?q=Espresso');
    expect(list.body.total).toBe(0);
    expect((await t.request('DELETE', `/api/catalog/products/${created.body.id}`, { token: admin })).status).toBe(404);
  });
});

describe('catalog categories and search', () => {
  it('lists categories with product counts and shows one with its products', async () => {
    const r = await t.request('GET', '/api/catalog/categories');
    expect(r.status).toBe(200);
    expect(r.body.items.find((c: any) => c.slug === 'coffee')).toMatchObject({ name: 'Coffee', productCount: 4 });
    const one = await t.request('GET', '/api/catalog/categories/brewing?limit=2');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ slug: 'brewing', products: { total: 4, limit: 2 } });
    expect((await t.request('GET', '/api/catalog/categories/teapots')).status).toBe(404);
  });

  it('creates a category (admin) with a derived slug', async () => {
    expect((await t.request('POST', '/api/catalog/categories', { body: { name: 'Tea & Tisanes' }, token: alice })).status).toBe(403);
    const r = await t.request('POST', '/api/catalog/categories', { body: { name: 'Tea & Tisanes' }, token: admin });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ slug: 'tea-tisanes', name: 'Tea & Tisanes' });
    expect((await t.request('POST', '/api/catalog/categories', { body: { name: 'Tea & Tisanes' }, token: admin })).status).toBe(409);
    expect((await t.request('POST', '/api/catalog/categories', { body: {}, token: admin })).status).toBe(400);
  });

  it('searches by text and requires q', async () => {
    const r = await t.request('GET', '/api/catalog/search?q=kettle');
    expect(r.status).toBe(200);
    expect(r.body.items.map((p: any) => p.sku)).toEqual(['BRW-KET-GN']);
    const missing = await t.request('GET', '/api/catalog/search');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('Query parameter q is required');
  });
});
