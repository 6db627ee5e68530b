import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate, intParam, intQuery } from '@shared/validation';
import { requireAuth, requireAdmin, currentUser } from '../auth';
import type { CardInput } from './payments.types';
import * as payments from './payments.service';

export const paymentsRouter = Router();

paymentsRouter.post('/', requireAuth, (req, res) => {
  const input = validate<{ orderId: number; card: CardInput }>(req.body, {
    orderId: { type: 'int', min: 1 },
    card: {
      type: 'object',
      fields: {
        number: { type: 'string', pattern: /^[\d ]{12,23}$/ },
        expMonth: { type: 'int', min: 1, max: 12 },
        expYear: { type: 'int', min: 2000, max: 2100 },
        cvc: { type: 'string', pattern: /^\d{3,4}$/ },
      },
    },
  });
  res.status(201).json(payments.payForOrder(ctxOf(req).db, currentUser(res), input.orderId, input.card));
});

paymentsRouter.get('/', requireAuth, (req, res) => {
  const orderId = intQuery(req.query.orderId, 'orderId', 0, 1);
  if (orderId === 0) {
    res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'Query parameter orderId is required', details: [{ field: 'orderId', problem: 'is required' }] } });
    return;
  }
  res.json({ items: payments.paymentsForOrder(ctxOf(req).db, currentUser(res), orderId) });
});

paymentsRouter.get('/:id', requireAuth, (req, res) => {
  res.json(payments.getPayment(ctxOf(req).db, currentUser(res), intParam(req.params.id, 'id')));
});

paymentsRouter.post('/:id/refund', requireAdmin, (req, res) => {
  res.json(payments.refundPayment(ctxOf(req).db, intParam(req.params.id, 'id')));
});
