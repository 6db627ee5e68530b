import type { Db } from '@shared/db';
import { ConflictError, NotFoundError } from '@shared/errors';
import { nowIso } from '@shared/utils';
import type { LowStockItem, MovementReason, StockLevel } from './inventory.types';
import * as repo from './inventory.repository';

export function stockLevel(db: Db, productId: number, movementLimit = 20): StockLevel {
  if (!repo.productExists(db, productId)) throw new NotFoundError('Product', productId);
  return { productId, onHand: repo.onHand(db, productId), movements: repo.recentMovements(db, productId, movementLimit) };
}

export function adjustStock(db: Db, productId: number, delta: number, reason: MovementReason, note = ''): StockLevel {
  if (!repo.productExists(db, productId)) throw new NotFoundError('Product', productId);
  return db.transaction(() => {
    const current = repo.onHand(db, productId);
    if (current + delta < 0) throw new ConflictError(`Cannot remove ${-delta} from product ${productId}: only ${current} on hand`);
    repo.insertMovement(db, { productId, quantity: delta, reason, note, createdAt: nowIso() });
    return stockLevel(db, productId);
  })();
}

export function lowStockReport(db: Db, threshold: number): LowStockItem[] {
  return repo.lowStock(db, threshold);
}
