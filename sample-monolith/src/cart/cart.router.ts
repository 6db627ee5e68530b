import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate, intParam } from '@shared/validation';
import { requireAuth, currentUser } from '../auth';
import * as cart from './cart.service';

export const cartRouter = Router();

cartRouter.use(requireAuth);

cartRouter.get('/', (req, res) => {
  const { db, config } = ctxOf(req);
  res.json(cart.getCart(db, config, currentUser(res).id));
});

cartRouter.post('/items', (req, res) => {
  const { db, config } = ctxOf(req);
  const input = validate<{ productId: number; quantity: number }>(req.body, {
    productId: { type: 'int', min: 1 },
    quantity: { type: 'int', min: 1, max: cart.MAX_QUANTITY_PER_LINE },
  });
  const userId = currentUser(res).id;
  cart.addItem(db, userId, input.productId, input.quantity);
  res.status(201).json(cart.getCart(db, config, userId));
});

cartRouter.put('/items/:productId', (req, res) => {
  const { db, config } = ctxOf(req);
  const { quantity } = validate<{ quantity: number }>(req.body, { quantity: { type: 'int', min: 1, max: cart.MAX_QUANTITY_PER_LINE } });
  const userId = currentUser(res).id;
  cart.setQuantity(db, userId, intParam(req.params.productId, 'productId'), quantity);
  res.json(cart.getCart(db, config, userId));
});

cartRouter.delete('/items/:productId', (req, res) => {
  const { db, config } = ctxOf(req);
  const userId = currentUser(res).id;
  cart.removeItem(db, userId, intParam(req.params.productId, 'productId'));
  res.json(cart.getCart(db, config, userId));
});

cartRouter.delete('/', (req, res) => {
  cart.clearCart(ctxOf(req).db, currentUser(res).id);
  res.status(204).end();
});
