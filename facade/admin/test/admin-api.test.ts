import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { loadConfigFile } from '../../control/config-file';
import { ConfigController } from '../../control/controller';
import { RecordingFacade } from '../../control/test/support/recording-facade';
import { memoryLogger, SAMPLE_YAML, tempDir } from '../../control/test/support/files';
import { createAdminApp } from '../app';
import { listenAdmin, type AdminServer } from '../server';
import { StartError, checkAdminExposure, resolveAdminToken } from '../token';

const TOKEN = 'test-token-0123456789';

async function start(token: string | undefined) {
  const t = tempDir();
  const file = path.join(t.dir, 'routes.yaml');
  writeFileSync(file, SAMPLE_YAML);
  const source = await loadConfigFile(file);
  const facade = new RecordingFacade(source.config);
  const { logger } = memoryLogger();
  const controller = new ConfigController(facade, source, { logger });
  const server: AdminServer = await listenAdmin(createAdminApp({ facade, controller, token, logger }), '127.0.0.1', 0);
  const base = `http://127.0.0.1:${server.address.port}`;
  const call = async (method: string, p: string, opts: { token?: string | null; body?: string; headers?: Record<string, string> } = {}) => {
    const auth = opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? TOKEN}` };
    const res = await request(`${base}${p}`, {
      method: method as 'GET',
      headers: { ...auth, ...(opts.body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      body: opts.body,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, any> };
  };
  return {
    file,
    facade,
    call,
    async stop() {
      await server.close();
      t.cleanup();
    },
  };
}

describe('admin API with a token', () => {
  let api: Awaited<ReturnType<typeof start>>;
  beforeEach(async () => {
    api = await start(TOKEN);
  });
  afterEach(() => api.stop());

  it('answers health and readiness without a token', async () => {
    expect((await api.call('GET', '/healthz', { token: null })).status).toBe(200);
    expect((await api.call('GET', '/readyz', { token: null })).json()).toEqual({ ready: true });
  });

  it.each([
    ['GET', '/routes'],
    ['GET', '/config'],
    ['GET', '/metrics'],
    ['POST', '/reload'],
    ['POST', '/routes/cart/promote'],
    ['PUT', '/routes/cart/weight'],
  ])('refuses %s %s without a token or with a wrong one (401)', async (method, p) => {
    const none = await api.call(method, p, { token: null });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await api.call(method, p, { token: 'test-token-0123456788' })).status).toBe(401);
    expect((await api.call(method, p, { token: 'short' })).status).toBe(401);
    expect(api.facade.applied).toHaveLength(0);
  });

  it('lists routes with weights and live stats', async () => {
    const r = await api.call('GET', '/routes');
    expect(r.status).toBe(200);
    expect(r.json().routes).toEqual([
      expect.objectContaining({ name: 'cart', service: 'cart', weight: 10, serviceShare: 0, errorRate: 0, fallbacks: 0, breaker: 'closed', requests: { legacy: 0, service: 0, shadow: 0 } }),
      expect.objectContaining({ name: 'users', service: 'users', weight: 0 }),
    ]);
  });

  it('sets a weight and writes it to the file', async () => {
    const r = await api.call('PUT', '/routes/cart/weight', { body: '{"weight": 35}' });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ route: 'cart', weight: 35, previous: 10, persisted: true, file: api.file });
    expect(readFileSync(api.file, 'utf8')).toContain('weight: 35    # canary: 10 %');
    expect((await api.call('GET', '/config')).json().config.routes[0].weight).toBe(35);
  });

  it('rejects bad weights and bad JSON with 400', async () => {
    for (const body of ['{"weight": 101}', '{"weight": "50"}', '{}', '{"weight": -1}']) expect((await api.call('PUT', '/routes/cart/weight', { body })).status).toBe(400);
    const bad = await api.call('PUT', '/routes/cart/weight', { body: '{weight: 5' });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatch(/bad request body/);
    expect(api.facade.applied).toHaveLength(0);
  });

  it('answers 404 with the route names for an unknown route', async () => {
    const r = await api.call('POST', '/routes/kart/promote');
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({ error: 'unknown route "kart" (routes: cart, users)', routes: ['cart', 'users'] });
  });

  it('promotes to 100, rolls back to 0, and to the previous weight on request', async () => {
    expect((await api.call('POST', '/routes/cart/promote')).json()).toMatchObject({ weight: 100, previous: 10 });
    expect((await api.call('POST', '/routes/cart/rollback')).json()).toMatchObject({ weight: 0, previous: 100 });
    expect((await api.call('POST', '/routes/cart/rollback', { body: '{"to":"previous"}' })).json()).toMatchObject({ weight: 100, previous: 0 });
    expect((await loadConfigFile(api.file)).config.routes[0].weight).toBe(100);
  });

  it('reloads on POST /reload, and answers 422 with the problems for a bad file', async () => {
    writeFileSync(api.file, SAMPLE_YAML.replace('weight: 10 ', 'weight: 20 '));
    expect((await api.call('POST', '/reload')).json()).toMatchObject({ result: 'applied' });
    writeFileSync(api.file, SAMPLE_YAML.replace('service: users', 'service: nobody'));
    const r = await api.call('POST', '/reload');
    expect(r.status).toBe(422);
    expect(r.json().problems).toEqual(['routes.yaml:21: routes[1].service: unknown service "nobody" (services: cart, users)']);
    expect(api.facade.current().routes[0].weight).toBe(20);
  });

  it('serves Prometheus text from the facade registry, with the reload counter', async () => {
    await api.call('POST', '/reload');
    const r = await api.call('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.text).toMatch(/strangler_config_reloads_total\{result="unchanged"\} 1/);
  });
});

describe('admin API without a token (loopback only)', () => {
  it('answers local non-browser clients and refuses browsers and foreign Host headers', async () => {
    const api = await start(undefined);
    try {
      expect((await api.call('GET', '/routes', { token: null })).status).toBe(200);
      expect((await api.call('POST', '/routes/cart/promote', { token: null, headers: { origin: 'https://evil.example' } })).status).toBe(403);
      expect((await api.call('GET', '/routes', { token: null, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
      expect((await api.call('GET', '/routes', { token: null, headers: { host: 'rebind.evil.example:8081' } })).status).toBe(403);
      expect(api.facade.applied).toHaveLength(0);
    } finally {
      await api.stop();
    }
  });
});

describe('admin token policy', () => {
  const admin = { enabled: true, host: '127.0.0.1', port: 8081, tokenEnv: 'MY_TOKEN' };
  it('refuses a non-loopback address without a token', () => {
    expect(() => checkAdminExposure({ ...admin, host: '0.0.0.0' }, undefined)).toThrow(
      new StartError('refusing to start the admin API on 0.0.0.0:8081 without a token: set MY_TOKEN or admin.tokenFile, or bind admin.host to 127.0.0.1'),
    );
    expect(() => checkAdminExposure({ ...admin, host: '0.0.0.0' }, 'x')).not.toThrow();
    expect(() => checkAdminExposure({ ...admin, host: '::1' }, undefined)).not.toThrow();
  });
  it('reads the token from the named env var, or from tokenFile which wins', () => {
    const t = tempDir();
    try {
      expect(resolveAdminToken(admin, { MY_TOKEN: ' abc \n' })).toBe('abc');
      expect(resolveAdminToken(admin, {})).toBeUndefined();
      writeFileSync(path.join(t.dir, 'token'), 'from-file\n');
      expect(resolveAdminToken({ ...admin, tokenFile: path.join(t.dir, 'token') }, { MY_TOKEN: 'abc' })).toBe('from-file');
      expect(() => resolveAdminToken({ ...admin, tokenFile: path.join(t.dir, 'nope') }, {})).toThrow(/cannot read the admin token: ENOENT/);
    } finally {
      t.cleanup();
    }
  });
});
