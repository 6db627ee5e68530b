import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate, intParam, stringQuery } from '@shared/validation';
import { pageFromQuery } from '@shared/utils';
import { requireAuth, requireAdmin, currentUser } from '../auth';
import { ORDER_STATUSES, type CheckoutInput, type OrderStatus } from './orders.types';
import * as orders from './orders.service';

export const ordersRouter = Router();

ordersRouter.get('/', requireAuth, (req, res) => {
  const status = stringQuery(req.query.status) as OrderStatus | undefined;
  validate({ status }, { status: { type: 'string', required: false, oneOf: ORDER_STATUSES } }, 'query');
  res.json(orders.listOrders(ctxOf(req).db, currentUser(res).id, status, pageFromQuery(req.query)));
});

ordersRouter.post('/', requireAuth, (req, res) => {
  const input = validate<CheckoutInput>(req.body ?? {}, { addressId: { type: 'int', required: false, min: 1 } });
  res.status(201).json(orders.placeOrder(ctxOf(req), currentUser(res), input));
});

ordersRouter.get('/:id', requireAuth, (req, res) => {
  res.json(orders.getOrder(ctxOf(req).db, intParam(req.params.id, 'id'), currentUser(res)));
});

ordersRouter.post('/:id/cancel', requireAuth, (req, res) => {
  res.json(orders.cancelOrder(ctxOf(req).db, currentUser(res), intParam(req.params.id, 'id')));
});

ordersRouter.put('/:id/status', requireAdmin, (req, res) => {
  const { status } = validate<{ status: OrderStatus }>(req.body, { status: { type: 'string', oneOf: ORDER_STATUSES } });
  res.json(orders.updateStatus(ctxOf(req).db, intParam(req.params.id, 'id'), status));
});
