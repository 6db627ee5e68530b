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

/**
 * A config whose routes carry rollout plans: orders with every gate, both kinds of webhook and
 * `inconclusive: pause`; reviews with a shadow step, a shadow gate and `inconclusive: proceed`.
 */
export const PLANNED_CONFIG: FacadeConfigInput = {
  legacy: 'http://legacy.shop.svc:3000',
  services: { orders: 'http://orders.shop.svc:4003', reviews: 'http://reviews.shop.svc:4002' },
  routes: [
    {
      name: 'order-detail',
      match: { prefix: '/api/orders' },
      service: 'orders',
      rollout: {
        steps: [5, 25, 50, 100],
        intervalMs: 120_000,
        minRequests: 50,
        gates: { errorRate: { maxPercent: 2 }, latency: { p99MaxMs: 400, p99MaxRatio: 1.5 } },
        failureLimit: 2,
        metricErrorLimit: 4,
        inconclusive: 'pause',
        webhooks: [
          { name: 'smoke', url: 'http://smoke.shop/check' },
          { name: 'signoff', url: 'http://signoff.shop/ok', before: 'promotion', timeoutMs: 10_000 },
        ],
      },
    },
    {
      name: 'reviews',
      match: { prefix: '/api/reviews' },
      service: 'reviews',
      shadow: { percent: 100 },
      rollout: { steps: [0, 30, 100], intervalMs: 45_000, gates: { shadowMismatch: { maxPercent: 1 } }, inconclusive: 'proceed' },
    },
  ],
};
