import { startApp, type TestApp } from './helpers';

const GOOD_CARD = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2099, cvc: '123' };
const DECLINED_CARD = { number: '4000000000000002', expMonth: 12, expYear: 2099, cvc: '123' };

let t: TestApp;
let admin: string;
let alice: string;
let bob: string;
beforeAll(async () => {
  t = await startApp();
  [admin, alice, bob] = await Promise.all([t.login('admin@shop.test'), t.login('alice@shop.test'), t.login('bob@shop.test')]);
});
afterAll(() => t.close());

const stockOf = async (productId: number) => (await t.request('GET', `/api/inventory/${productId}`)).body.onHand as number;

describe('cart', () => {
  it('needs a login', async () => {
    const r = await t.request('GET', '/api/cart');
    expect(r.status).toBe(401);
  });

  it('adds, changes, removes and clears items with live prices and totals', async () => {
    const empty = await t.request('GET', '/api/cart', { token: bob });
    expect(empty.body).toMatchObject({ lines: [], itemCount: 0, totals: { subtotalCents: 0, totalCents: 0 } });

    const added = await t.request('POST', '/api/cart/items', { body: { productId: 1, quantity: 2 }, token: bob });
    expect(added.status).toBe(201);
    expect(added.body.lines).toEqual([{ productId: 1, name: 'Ethiopia Yirgacheffe 250g', unitPriceCents: 1290, quantity: 2, lineTotalCents: 2580, active: true }]);
    // 20 % tax on 2580 = 516; below the 5000 free-shipping threshold, so 499 shipping.
    expect(added.body.totals).toEqual({ subtotalCents: 2580, taxCents: 516, shippingCents: 499, totalCents: 3595 });

    const again = await t.request('POST', '/api/cart/items', { body: { productId: 1, quantity: 1 }, token: bob });
    expect(again.body.lines[0].quantity).toBe(3);
    const set = await t.request('PUT', '/api/cart/items/1', { body: { quantity: 5 }, token: bob });
    expect(set.status).toBe(200);
    expect(set.body.totals.shippingCents).toBe(0);
    expect((await t.request('PUT', '/api/cart/items/2', { body: { quantity: 1 }, token: bob })).status).toBe(404);
    expect((await t.request('PUT', '/api/cart/items/1', { body: { quantity: 0 }, token: bob })).status).toBe(400);
    expect((await t.request('POST', '/api/cart/items', { body: { productId: 999, quantity: 1 }, token: bob })).status).toBe(404);
    expect((await t.request('POST', '/api/cart/items', { body: { productId: 1 }, token: bob })).status).toBe(400);

    await t.request('POST', '/api/cart/items', { body: { productId: 2, quantity: 1 }, token: bob });
    const removed = await t.request('DELETE', '/api/cart/items/1', { token: bob });
    expect(removed.body.lines.map((l: any) => l.productId)).toEqual([2]);
    expect((await t.request('DELETE', '/api/cart/items/1', { token: bob })).status).toBe(404);
    expect((await t.request('DELETE', '/api/cart', { token: bob })).status).toBe(204);
    expect((await t.request('GET', '/api/cart', { token: bob })).body.lines).toEqual([]);
  });
});

describe('cart → order → payment', () => {
  it('places an order, takes the stock, charges the card, marks it paid and mails the buyer', async () => {
    const stockBefore = await stockOf(5);
    await t.request('POST', '/api/cart/items', { body: { productId: 5, quantity: 2 }, token: alice });
    await t.request('POST', '/api/cart/items', { body: { productId: 8, quantity: 1 }, token: alice });

    const placed = await t.request('POST', '/api/orders', { body: {}, token: alice });
    expect(placed.status).toBe(201);
    const order = placed.body;
    expect(order).toMatchObject({ status: 'pending_payment', subtotalCents: 5570, taxCents: 1114, shippingCents: 0, totalCents: 6684 });
    expect(order.items).toHaveLength(2);
    expect(await stockOf(5)).toBe(stockBefore - 2);
    expect((await t.request('GET', '/api/cart', { token: alice })).body.lines).toEqual([]);

    const paid = await t.request('POST', '/api/payments', { body: { orderId: order.id, card: GOOD_CARD }, token: alice });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ orderId: order.id, amountCents: 6684, status: 'captured', cardLast4: '4242' });

    const after = await t.request('GET', `/api/orders/${order.id}`, { token: alice });
    expect(after.body.status).toBe('paid');
    const mails = (await t.request('GET', '/api/notifications', { token: alice })).body.items;
    expect(mails.map((m: any) => m.template)).toEqual(expect.arrayContaining(['order_placed', 'payment_received']));
    const receipt = mails.find((m: any) => m.template === 'payment_received');
    expect(receipt).toMatchObject({ to: 'alice@shop.test', status: 'pending', subject: `Payment for order #${order.id} received` });
    expect(receipt.body).toContain('€66.84');

    expect((await t.request('POST', '/api/payments', { body: { orderId: order.id, card: GOOD_CARD }, token: alice })).status).toBe(409);
    const listed = await t.request('GET', `/api/payments?orderId=${order.id}`, { token: alice });
    expect(listed.body.items).toHaveLength(1);
    expect((await t.request('GET', `/api/payments/${paid.body.id}`, { token: alice })).body.id).toBe(paid.body.id);
    expect((await t.request('GET', `/api/payments/${paid.body.id}`, { token: bob })).status).toBe(404);

    // Fulfilment by an admin mails the buyer again.
    expect((await t.request('PUT', `/api/orders/${order.id}/status`, { body: { status: 'shipped' }, token: alice })).status).toBe(403);
    const shipped = await t.request('PUT', `/api/orders/${order.id}/status`, { body: { status: 'shipped' }, token: admin });
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe('shipped');
    expect((await t.request('PUT', `/api/orders/${order.id}/status`, { body: { status: 'paid' }, token: admin })).status).toBe(400);
    expect((await t.request('PUT', `/api/orders/${order.id}/status`, { body: { status: 'lost' }, token: admin })).status).toBe(400);
    expect((await t.request('POST', `/api/orders/${order.id}/cancel`, { token: alice })).status).toBe(409);

    // Having bought it, Alice's review is a verified purchase.
    const review = await t.request('POST', '/api/reviews', { body: { productId: 5, rating: 5, title: 'Great dripper' }, token: alice });
    expect(review.status).toBe(201);
    expect(review.body).toMatchObject({ verifiedPurchase: true, rating: 5 });
  });

  it('records a declined card with 402 and leaves the order awaiting payment', async () => {
    await t.request('POST', '/api/cart/items', { body: { productId: 2, quantity: 1 }, token: bob });
    const order = (await t.request('POST', '/api/orders', { token: bob })).body;
    const declined = await t.request('POST', '/api/payments', { body: { orderId: order.id, card: DECLINED_CARD }, token: bob });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({ code: 'PAYMENT_DECLINED' });
    expect(declined.body.error.message).toMatch(/card declined/);
    expect((await t.request('GET', `/api/orders/${order.id}`, { token: bob })).body.status).toBe('pending_payment');
    const attempts = await t.request('GET', `/api/payments?orderId=${order.id}`, { token: bob });
    expect(attempts.body.items).toEqual([expect.objectContaining({ status: 'declined', failureReason: 'card declined' })]);
    const invalid = await t.request('POST', '/api/payments', { body: { orderId: order.id, card: { number: 'x' } }, token: bob });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: any) => d.field)).toEqual(['card.number', 'card.expMonth', 'card.expYear', 'card.cvc']);
  });

  it('cancelling a paid order refunds the payment and puts the stock back', async () => {
    await t.request('POST', '/api/cart/items', { body: { productId: 9, quantity: 3 }, token: bob });
    const before = await stockOf(9);
    const order = (await t.request('POST', '/api/orders', { token: bob })).body;
    expect(await stockOf(9)).toBe(before - 3);
    const payment = (await t.request('POST', '/api/payments', { body: { orderId: order.id, card: GOOD_CARD }, token: bob })).body;
    expect((await t.request('POST', `/api/orders/${order.id}/cancel`, { token: alice })).status).toBe(404);
    const cancelled = await t.request('POST', `/api/orders/${order.id}/cancel`, { token: bob });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await stockOf(9)).toBe(before);
    expect((await t.request('GET', `/api/payments/${payment.id}`, { token: bob })).body.status).toBe('refunded');
  });

  it('lets an admin refund a captured payment, which marks the order refunded', async () => {
    await t.request('POST', '/api/cart/items', { body: { productId: 3, quantity: 1 }, token: bob });
    const order = (await t.request('POST', '/api/orders', { token: bob })).body;
    const payment = (await t.request('POST', '/api/payments', { body: { orderId: order.id, card: GOOD_CARD }, token: bob })).body;
    expect((await t.request('POST', `/api/payments/${payment.id}/refund`, { token: bob })).status).toBe(403);
    const refunded = await t.request('POST', `/api/payments/${payment.id}/refund`, { token: admin });
    expect(refunded.status).toBe(200);
    expect(refunded.body.status).toBe('refunded');
    expect((await t.request('GET', `/api/orders/${order.id}`, { token: bob })).body.status).toBe('refunded');
    expect((await t.request('POST', `/api/payments/${payment.id}/refund`, { token: admin })).status).toBe(409);
    expect((await t.request('POST', '/api/payments/999/refund', { token: admin })).status).toBe(404);
  });

  it('refuses an empty cart, more than the stock, and a foreign address', async () => {
    expect((await t.request('POST', '/api/orders', { token: bob })).status).toBe(409);
    await t.request('POST', '/api/cart/items', { body: { productId: 4, quantity: 50 }, token: bob });
    const tooMany = await t.request('POST', '/api/orders', { token: bob });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.message).toBe('Only 3 of "Swiss Water Decaf 250g" left in stock');
    const address = (await t.request('POST', '/api/users/me/addresses', { body: { line1: 'x', city: 'y', postcode: 'z1', country: 'FR' }, token: alice })).body;
    const foreign = await t.request('POST', '/api/orders', { body: { addressId: address.id }, token: bob });
    expect(foreign.status).toBe(400);
    await t.request('DELETE', '/api/cart', { token: bob });
  });

  it('ships to one of the buyer addresses, which then cannot be deleted while the order refers to it', async () => {
    const address = (await t.request('POST', '/api/users/me/addresses', { body: { line1: '2 Side St', city: 'Cork', postcode: 'T12', country: 'IE' }, token: bob })).body;
    await t.request('POST', '/api/cart/items', { body: { productId: 8, quantity: 1 }, token: bob });
    const order = await t.request('POST', '/api/orders', { body: { addressId: address.id }, token: bob });
    expect(order.status).toBe(201);
    expect(order.body.addressId).toBe(address.id);
    const del = await t.request('DELETE', `/api/users/me/addresses/${address.id}`, { token: bob });
    expect(del.status).toBe(409);
    expect(del.body.error).toEqual({ code: 'CONFLICT', message: 'Other records still refer to this, or it refers to something missing' });
    expect((await t.request('POST', `/api/orders/${order.body.id}/cancel`, { token: bob })).body.status).toBe('cancelled');
  });

  it('lists the caller orders, filtered by status', async () => {
    const all = await t.request('GET', '/api/orders', { token: bob });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(4);
    const pending = await t.request('GET', '/api/orders?status=pending_payment', { token: bob });
    expect(pending.body.items.map((o: any) => o.status)).toEqual(['pending_payment']);
    expect((await t.request('GET', '/api/orders?status=lost', { token: bob })).status).toBe(400);
    expect((await t.request('GET', '/api/orders/999', { token: bob })).status).toBe(404);
    expect((await t.request('GET', '/api/payments', { token: bob })).status).toBe(400);
  });
});

describe('inventory', () => {
  it('shows stock and movements; admins adjust it and see low stock', async () => {
    const level = await t.request('GET', '/api/inventory/7');
    expect(level.status).toBe(200);
    expect(level.body).toMatchObject({ productId: 7, onHand: 6, movements: [{ reason: 'restock', quantity: 6 }] });
    expect((await t.request('GET', '/api/inventory/999')).status).toBe(404);

    expect((await t.request('POST', '/api/inventory/7/adjust', { body: { delta: 4, reason: 'restock' }, token: alice })).status).toBe(403);
    const adjusted = await t.request('POST', '/api/inventory/7/adjust', { body: { delta: 4, reason: 'restock', note: 'delivery' }, token: admin });
    expect(adjusted.status).toBe(201);
    expect(adjusted.body.onHand).toBe(10);
    const over = await t.request('POST', '/api/inventory/7/adjust', { body: { delta: -11, reason: 'damaged' }, token: admin });
    expect(over.status).toBe(409);
    expect((await t.request('POST', '/api/inventory/7/adjust', { body: { delta: 1, reason: 'sale' }, token: admin })).status).toBe(400);
    expect((await t.request('POST', '/api/inventory/7/adjust', { body: { delta: 0, reason: 'adjustment' }, token: admin })).status).toBe(400);

    const low = await t.request('GET', '/api/inventory/low-stock?threshold=3', { token: admin });
    expect(low.status).toBe(200);
    expect(low.body.items.map((i: any) => i.sku)).toEqual(['MUG-GLS-DBL', 'COF-DEC-250']);
    expect((await t.request('GET', '/api/inventory/low-stock', { token: alice })).status).toBe(403);
  });
});

describe('reviews', () => {
  it('lists, summarises, edits and deletes reviews with ownership checks', async () => {
    const created = await t.request('POST', '/api/reviews', { body: { productId: 1, rating: 3, title: 'Fine', body: 'Bit sour' }, token: bob });
    expect(created.status).toBe(201);
    expect(created.body.verifiedPurchase).toBe(false);
    expect((await t.request('POST', '/api/reviews', { body: { productId: 1, rating: 4, title: 'Again' }, token: bob })).status).toBe(409);
    expect((await t.request('POST', '/api/reviews', { body: { productId: 1, rating: 6, title: '' }, token: bob })).status).toBe(400);
    expect((await t.request('POST', '/api/reviews', { body: { productId: 999, rating: 4, title: 'x' }, token: bob })).status).toBe(404);
    expect((await t.request('POST', '/api/reviews', { body: { productId: 1, rating: 4, title: 'x' } })).status).toBe(401);
    await t.request('POST', '/api/reviews', { body: { productId: 1, rating: 5, title: 'Lovely' }, token: alice });

    const list = await t.request('GET', '/api/reviews?productId=1');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect((await t.request('GET', '/api/reviews?productId=999')).status).toBe(404);
    const summary = await t.request('GET', '/api/reviews/summary/1');
    expect(summary.body).toEqual({ productId: 1, count: 2, average: 4, histogram: [0, 0, 1, 0, 1] });
    expect((await t.request('GET', '/api/catalog/products/1')).body.rating.count).toBe(2);

    expect((await t.request('PUT', `/api/reviews/${created.body.id}`, { body: { rating: 2 }, token: alice })).status).toBe(403);
    const edited = await t.request('PUT', `/api/reviews/${created.body.id}`, { body: { rating: 2 }, token: bob });
    expect(edited.body).toMatchObject({ rating: 2, title: 'Fine' });
    expect((await t.request('PUT', '/api/reviews/999', { body: { rating: 2 }, token: bob })).status).toBe(404);
    expect((await t.request('DELETE', `/api/reviews/${created.body.id}`, { token: admin })).status).toBe(204);
    expect((await t.request('GET', '/api/reviews/summary/1')).body.count).toBe(1);
  });
});

describe('admin reports', () => {
  it('reports stats, sales, top products, customers and a CSV export to admins only', async () => {
    expect((await t.request('GET', '/api/admin/stats', { token: alice })).status).toBe(403);
    expect((await t.request('GET', '/api/admin/stats')).status).toBe(401);
    const stats = await t.request('GET', '/api/admin/stats', { token: admin });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ users: 3, activeProducts: 10, ordersByStatus: { shipped: 1, cancelled: 2, refunded: 1, pending_payment: 1 } });
    expect(stats.body.capturedCents).toBe(6684);

    const { day } = (await t.request('GET', '/api/admin/reports/sales?from=2000-01-01&to=2100-12-31', { token: admin })).body.days[0];
    const sales = await t.request('GET', `/api/admin/reports/sales?from=${day}&to=${day}`, { token: admin });
    expect(sales.body).toMatchObject({ range: { from: day, to: day }, days: [{ day, orders: 1, revenueCents: 6684 }], totalCents: 6684 });
    const bad = await t.request('GET', '/api/admin/reports/sales?from=yesterday', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Query parameter from must be a date like 2024-01-31, got "yesterday"');

    const csv = await fetch(`${t.base}/api/admin/reports/sales/export?from=${day}&to=${day}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toBe(`day,orders,revenue_cents\r\n${day},1,6684\r\n`);

    const top = await t.request('GET', '/api/admin/reports/top-products?limit=1', { token: admin });
    expect(top.body.items).toEqual([{ productId: 5, name: 'Ceramic dripper size 02', unitsSold: 2, revenueCents: 4980 }]);
    const customers = await t.request('GET', '/api/admin/reports/customers', { token: admin });
    expect(customers.body.items[0]).toMatchObject({ email: 'alice@shop.test', orders: 1, spentCents: 6684 });
  });
});
