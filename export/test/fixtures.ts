/** A routes config that uses every feature the export has to carry, written for these tests. */
import type { FacadeConfigInput } from '../../facade/config/schema';

export const FULL_CONFIG: FacadeConfigInput = {
  listen: { host: '127.0.0.1', port: 8080 },
  legacy: { urls: ['http://127.0.0.1:3000', 'http://127.0.0.1:3001'], balance: 'round-robin' },
  services: {
    notifications: 'http://notifications.shop.svc.cluster.local:4001',
    reviews: { urls: ['http://127.0.0.1:4002'], timeoutMs: 2000 },
    orders: 'http://127.0.0.1:4003',
  },
  routes: [
    { name: 'notifications', match: { prefix: '/api/notifications/' }, service: 'notifications', weight: 10 },
    { name: 'reviews', match: { prefix: '/api/reviews' }, service: 'reviews', weight: 0, shadow: { percent: 0.5, compare: { ignore: ['$.generatedAt'] } } },
    { name: 'order-detail', match: { path: '/api/orders/:id', methods: ['GET'], headers: { 'x-beta': 'on' } }, service: 'orders', weight: 12.5, safeMethods: ['PUT'] },
  ],
  sticky: { keys: [{ header: 'x-user-id' }, { cookie: 'session' }] },
  override: { enabled: true },
  trustedProxies: ['10.0.0.0/8'],
};
