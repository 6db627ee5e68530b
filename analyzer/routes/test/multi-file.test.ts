import * as path from 'node:path';
import { routesOfDir, show } from './helpers';

describe('routes across files (fixtures/shop)', () => {
  it('composes mounts through barrels, export *, default re-exports, factories, nested and repeated mounts; `env ?? \'csv\'` keeps csv', () => {
    const routes = routesOfDir(path.join(__dirname, 'fixtures', 'shop'));
    expect(show(routes)).toEqual([
      'GET /api/catalog/products src/catalog/catalog.router.ts:5',
      'GET /api/catalog/products/:id src/catalog/catalog.router.ts:6',
      'GET /api/orders src/orders/orders.router.ts:8',
      'DELETE /api/orders/:id src/orders/orders.router.ts:13',
      'GET /api/orders/:id src/orders/orders.router.ts:11',
      'PUT /api/orders/:id src/orders/orders.router.ts:12',
      'GET /api/orders/:orderId/items src/orders/items.router.ts:5',
      'POST /api/orders/:orderId/items src/orders/items.router.ts:6',
      'GET /api/orders/export/csv src/orders/orders.router.ts:14',
      'POST /api/payments src/payments/payments.router.ts:9',
      'GET /api/payments/:id src/payments/payments.router.ts:10',
      'ALL /api/users/admin/*splat src/users/users.router.ts:6',
      'PATCH /api/users/me src/users/users.router.ts:5',
      'GET /health src/app.ts:12',
      'GET /internal/metrics src/admin/metrics.router.ts:6',
      'GET /legacy/orders src/orders/orders.router.ts:8',
      'DELETE /legacy/orders/:id src/orders/orders.router.ts:13',
      'GET /legacy/orders/:id src/orders/orders.router.ts:11',
      'PUT /legacy/orders/:id src/orders/orders.router.ts:12',
      'GET /legacy/orders/:orderId/items src/orders/items.router.ts:5',
      'POST /legacy/orders/:orderId/items src/orders/items.router.ts:6',
      'GET /legacy/orders/export/csv src/orders/orders.router.ts:14',
    ]);
  });
});
