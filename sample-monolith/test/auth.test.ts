import { startApp, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startApp();
});
afterAll(() => t.close());

describe('auth', () => {
  it('registers a user, returns tokens, and queues a welcome email', async () => {
    const r = await t.request('POST', '/api/auth/register', { body: { email: 'Carol@Shop.test', password: 'longenough', displayName: 'Carol' } });
    expect(r.status).toBe(201);
    expect(r.body.user).toMatchObject({ email: 'carol@shop.test', displayName: 'Carol', role: 'customer' });
    expect(r.body.accessToken).toEqual(expect.any(String));
    const inbox = await t.request('GET', '/api/notifications', { token: r.body.accessToken });
    expect(inbox.status).toBe(200);
    expect(inbox.body.items[0]).toMatchObject({ template: 'welcome', to: 'carol@shop.test', status: 'pending' });
  });

  it('rejects a duplicate email with 409', async () => {
    const r = await t.request('POST', '/api/auth/register', { body: { email: 'alice@shop.test', password: 'longenough', displayName: 'A2' } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('CONFLICT');
  });

  it('lists every invalid field with 400', async () => {
    const r = await t.request('POST', '/api/auth/register', { body: { email: 'nope', password: 'short' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.details).toEqual([
      { field: 'email', problem: 'must be an email address' },
      { field: 'password', problem: 'must be at least 8 characters' },
      { field: 'displayName', problem: 'is required' },
    ]);
  });

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const r = await t.request('POST', '/api/auth/login', { raw: '{"email":' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_JSON');
  });

  it('logs in, reads /me, refreshes, and logs out (which ends the session)', async () => {
    const login = await t.request('POST', '/api/auth/login', { body: { email: 'alice@shop.test', password: 'password123' } });
    expect(login.status).toBe(200);
    const me = await t.request('GET', '/api/auth/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'alice@shop.test', role: 'customer' });

    const refreshed = await t.request('POST', '/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    const reused = await t.request('POST', '/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(reused.status).toBe(401);

    expect((await t.request('POST', '/api/auth/logout', { token: refreshed.body.accessToken })).status).toBe(204);
    const after = await t.request('GET', '/api/auth/me', { token: refreshed.body.accessToken });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/Session has ended/);
  });

  it('refuses a wrong password, a missing token and a forged token with 401', async () => {
    const bad = await t.request('POST', '/api/auth/login', { body: { email: 'alice@shop.test', password: 'wrong-password' } });
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toBe('Wrong email or password');
    const none = await t.request('GET', '/api/auth/me');
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/Missing bearer token/);
    const forged = await t.request('GET', '/api/auth/me', { token: 'abc.def.ghi' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toBe('Invalid access token');
  });

  it('answers unknown routes with 404 ROUTE_NOT_FOUND and /health with ok', async () => {
    const r = await t.request('GET', '/api/nope');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('ROUTE_NOT_FOUND');
    const h = await t.request('GET', '/health');
    expect(h.status).toBe(200);
    expect(h.body.status).toBe('ok');
  });
});
