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

describe('users', () => {
  it('lets admins list and search users; customers get 403, anonymous 401', async () => {
    const r = await t.request('GET', '/api/users?q=alice', { token: admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 1, items: [{ email: 'alice@shop.test', displayName: 'Alice Liddell' }] });
    expect((await t.request('GET', '/api/users', { token: alice })).status).toBe(403);
    expect((await t.request('GET', '/api/users')).status).toBe(401);
  });

  it('shows a public profile without the email; 404 for unknown, 400 for a bad id', async () => {
    const r = await t.request('GET', '/api/users/2');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 2, displayName: 'Alice Liddell', bio: '' });
    expect(r.body.email).toBeUndefined();
    expect((await t.request('GET', '/api/users/999')).status).toBe(404);
    expect((await t.request('GET', '/api/users/0')).status).toBe(400);
  });

  it('updates the caller profile and validates it', async () => {
    const r = await t.request('PUT', '/api/users/me', { body: { bio: 'Filter coffee person', avatarUrl: 'https://cdn.shop.test/a.png' }, token: alice });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ bio: 'Filter coffee person', avatarUrl: 'https://cdn.shop.test/a.png', displayName: 'Alice Liddell' });
    const bad = await t.request('PUT', '/api/users/me', { body: { displayName: 42 }, token: alice });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'displayName', problem: 'must be a string' }]);
    expect((await t.request('PUT', '/api/users/me', { body: { bio: 'x' } })).status).toBe(401);
  });

  it('adds, lists and deletes the caller addresses', async () => {
    const created = await t.request('POST', '/api/users/me/addresses', { body: { line1: '1 Main St', city: 'Dublin', postcode: 'D01', country: 'IE' }, token: alice });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ line1: '1 Main St', country: 'IE', userId: 2 });
    const list = await t.request('GET', '/api/users/me/addresses', { token: alice });
    expect(list.body.items).toHaveLength(1);
    const bad = await t.request('POST', '/api/users/me/addresses', { body: { line1: '1 Main St', city: 'Dublin', postcode: 'D01', country: 'Ireland' }, token: alice });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('country');
    const bob = await t.login('bob@shop.test');
    expect((await t.request('DELETE', `/api/users/me/addresses/${created.body.id}`, { token: bob })).status).toBe(404);
    expect((await t.request('DELETE', `/api/users/me/addresses/${created.body.id}`, { token: alice })).status).toBe(204);
    expect((await t.request('GET', '/api/users/me/addresses', { token: alice })).body.items).toHaveLength(0);
  });

  it('lets an admin delete a user, which ends their sessions and logins', async () => {
    const bob = await t.login('bob@shop.test');
    expect((await t.request('DELETE', '/api/users/3', { token: alice })).status).toBe(403);
    expect((await t.request('DELETE', '/api/users/3', { token: admin })).status).toBe(204);
    expect((await t.request('GET', '/api/auth/me', { token: bob })).status).toBe(401);
    expect((await t.request('POST', '/api/auth/login', { body: { email: 'bob@shop.test', password: 'password123' } })).status).toBe(401);
    expect((await t.request('GET', '/api/users/3')).status).toBe(404);
    expect((await t.request('DELETE', '/api/users/3', { token: admin })).status).toBe(404);
  });
});
