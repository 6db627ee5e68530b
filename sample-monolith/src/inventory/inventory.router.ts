import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate, intParam, intQuery } from '@shared/validation';
import { requireAdmin } from '../auth/auth.middleware';
import { ADJUSTMENT_REASONS, type MovementReason } from './inventory.types';
import * as inventory from './inventory.service';

export const inventoryRouter = Router();

inventoryRouter.get('/low-stock', requireAdmin, (req, res) => {
  const threshold = intQuery(req.query.threshold, 'threshold', 5, 0, 100_000);
  res.json({ threshold, items: inventory.lowStockReport(ctxOf(req).db, threshold) });
});

inventoryRouter.get('/:productId', (req, res) => {
  res.json(inventory.stockLevel(ctxOf(req).db, intParam(req.params.productId, 'productId')));
});

inventoryRouter.post('/:productId/adjust', requireAdmin, (req, res) => {
  const input = validate<{ delta: number; reason: MovementReason; note?: string }>(req.body, {
    delta: { type: 'int', min: -100_000, max: 100_000 },
    reason: { type: 'string', oneOf: ADJUSTMENT_REASONS },
    note: { type: 'string', required: false, max: 500 },
  });
  if (input.delta === 0) {
    res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'delta must not be 0', details: [{ field: 'delta', problem: 'must not be 0' }] } });
    return;
  }
  res.status(201).json(inventory.adjustStock(ctxOf(req).db, intParam(req.params.productId, 'productId'), input.delta, input.reason, input.note));
});
