import type { Db } from '@shared/db';
import type { AppConfig } from '@shared/config';
import { NotFoundError, ValidationError } from '@shared/errors';
import { nowIso } from '@shared/utils';
import { computeTotals } from '../pricing';
import type { Cart } from './cart.types';
import * as repo from './cart.repository';
import { getActiveProduct } from '../catalog/catalog.service';

export const MAX_QUANTITY_PER_LINE = 99;

export function getCart(db: Db, config: AppConfig, userId: number): Cart {
  const lines = repo.cartLines(db, userId);
  const totals = computeTotals(lines.filter((l) => l.active), config);
  return { userId, lines, itemCount: lines.reduce((n, l) => n + l.quantity, 0), totals };
}

export function addItem(db: Db, userId: number, productId: number, quantity: number): void {
  getActiveProduct(db, productId);
  const total = repo.findQuantity(db, userId, productId) + quantity;
  if (total > MAX_QUANTITY_PER_LINE) {
    throw new ValidationError(`At most ${MAX_QUANTITY_PER_LINE} of one product per order`, [{ field: 'quantity', problem: `total would be ${total}` }]);
  }
  repo.upsertItem(db, userId, productId, total, nowIso());
}

export function setQuantity(db: Db, userId: number, productId: number, quantity: number): void {
  if (repo.findQuantity(db, userId, productId) === 0) throw new NotFoundError('Cart item for product', productId);
  repo.upsertItem(db, userId, productId, quantity, nowIso());
}

export function removeItem(db: Db, userId: number, productId: number): void {
  if (!repo.deleteItem(db, userId, productId)) throw new NotFoundError('Cart item for product', productId);
}

export function clearCart(db: Db, userId: number): number {
  return repo.deleteAll(db, userId);
}
