import { RouteSchema } from '../config/schema';
import { request, startFacade, upstream, type Running, type Upstream } from './helpers';

describe('override header', () => {
  let legacy: Upstream, cart: Upstream;
  beforeAll(async () => {
    legacy = await upstream('legacy');
    cart = await upstream('cart');
  });
  afterAll(() => Promise.all([legacy.close(), cart.close()]));

  const routes = (weight: number) => [{ name: 'cart', match: { prefix: '/api/cart' }, service: 'cart', weight }];
  const side = async (f: Running, headers: Record<string, string>, path = '/api/cart') => (await request(f.port, path, { headers })).json<{ upstream: string }>().upstream;

  it('forces the side with `legacy`, `service` or the service name when enabled', async () => {
    const f = await startFacade({ legacy: legacy.url, services: { cart: cart.url }, routes: routes(0), override: { enabled: true, header: 'X-Go' } });
    try {
      expect(await side(f, {})).toBe('legacy');
      expect(await side(f, { 'x-go': 'service' })).toBe('cart');
      expect(await side(f, { 'x-go': 'cart' })).toBe('cart');
      f.facade.apply({ ...f.facade.current(), routes: routes(100).map((r) => RouteSchema.parse(r)) });
      expect(await side(f, {})).toBe('cart');
      expect(await side(f, { 'x-go': 'legacy' })).toBe('legacy');
      expect(await side(f, { 'x-go': 'nonsense' })).toBe('cart');
      // Outside any route there is no service to force.
      expect(await side(f, { 'x-go': 'service' }, '/home')).toBe('legacy');
    } finally {
      await f.close();
    }
  });

  it('is ignored unless override.enabled', async () => {
    const f = await startFacade({ legacy: legacy.url, services: { cart: cart.url }, routes: routes(0) });
    try {
      expect(await side(f, { 'x-strangler-target': 'service' })).toBe('legacy');
    } finally {
      await f.close();
    }
  });
});
