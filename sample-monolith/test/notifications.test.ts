import { startApp, type TestApp } from './helpers';

let t: TestApp;
let alice: string;
let admin: string;
beforeAll(async () => {
  t = await startApp();
  [alice, admin] = await Promise.all([t.login('alice@shop.test'), t.login('admin@shop.test')]);
});
afterAll(() => t.close());

const GOOD_CARD = { number: '4242424242424242', expMonth: 1, expYear: 2099, cvc: '999' };

describe('notifications', () => {
  it('reads and writes the caller preferences', async () => {
    expect((await t.request('GET', '/api/notifications/preferences', { token: alice })).body).toEqual({ orderUpdates: true, marketing: false });
    const set = await t.request('PUT', '/api/notifications/preferences', { body: { orderUpdates: false, marketing: true }, token: alice });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ orderUpdates: false, marketing: true });
    const bad = await t.request('PUT', '/api/notifications/preferences', { body: { orderUpdates: 'no' }, token: alice });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { field: 'orderUpdates', problem: 'must be true or false' },
      { field: 'marketing', problem: 'is required' },
    ]);
    expect((await t.request('GET', '/api/notifications/preferences')).status).toBe(401);
  });

  it('skips order mails for users who opted out, and an admin flush sends the pending ones', async () => {
    await t.request('POST', '/api/cart/items', { body: { productId: 1, quantity: 1 }, token: alice });
    const order = (await t.request('POST', '/api/orders', { token: alice })).body;
    await t.request('POST', '/api/payments', { body: { orderId: order.id, card: GOOD_CARD }, token: alice });
    const mine = (await t.request('GET', '/api/notifications', { token: alice })).body.items;
    expect(mine.filter((m: any) => m.template !== 'welcome').map((m: any) => [m.template, m.status])).toEqual([
      ['payment_received', 'skipped'],
      ['order_placed', 'skipped'],
    ]);

    const register = await t.request('POST', '/api/auth/register', { body: { email: 'dan@shop.test', password: 'longenough', displayName: 'Dan' } });
    expect(register.status).toBe(201);
    expect((await t.request('GET', '/api/notifications/outbox', { token: alice })).status).toBe(403);
    const pending = await t.request('GET', '/api/notifications/outbox?status=pending', { token: admin });
    expect(pending.body.items.map((m: any) => m.to)).toEqual(['dan@shop.test']);
    expect((await t.request('GET', '/api/notifications/outbox?status=lost', { token: admin })).status).toBe(400);

    expect((await t.request('POST', '/api/notifications/outbox/flush', { token: alice })).status).toBe(403);
    const flushed = await t.request('POST', '/api/notifications/outbox/flush', { token: admin });
    expect(flushed.body).toEqual({ sent: 1, failed: 0 });
    const sent = await t.request('GET', '/api/notifications/outbox?status=sent', { token: admin });
    expect(sent.body.items).toEqual([expect.objectContaining({ to: 'dan@shop.test', status: 'sent', attempts: 1, subject: 'Welcome to the shop' })]);
    expect((await t.request('POST', '/api/notifications/outbox/flush', { token: admin })).body).toEqual({ sent: 0, failed: 0 });
  });
});
