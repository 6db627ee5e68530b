import type { Db } from '@shared/db';
import type { LowStockItem, MovementReason, StockMovement } from './inventory.types';

/** Stock on hand is the sum of movements: there is no mutable counter to drift. */
export function onHand(db: Db, productId: number): number {
  const row = db.prepare(`SELECT COALESCE(SUM(quantity), 0) AS on_hand FROM stock_movements WHERE product_id = ?`).get(productId) as { on_hand: number };
  return row.on_hand;
}

export function recentMovements(db: Db, productId: number, limit: number): StockMovement[] {
  return db
    .prepare(
      `SELECT id, product_id AS productId, quantity, reason, order_id AS orderId, note, created_at AS createdAt
       FROM stock_movements WHERE product_id = ? ORDER BY id DESC LIMIT ?`,
    )
    .all(productId, limit) as StockMovement[];
}

export function insertMovement(db: Db, m: { productId: number; quantity: number; reason: MovementReason; note: string; createdAt: string }): number {
  return Number(
    db
      .prepare(`INSERT INTO stock_movements (product_id, quantity, reason, note, created_at) VALUES (?, ?, ?, ?, ?)`)
      .run(m.productId, m.quantity, m.reason, m.note, m.createdAt).lastInsertRowid,
  );
}

export function lowStock(db: Db, threshold: number): LowStockItem[] {
  return db
    .prepare(
      `SELECT p.id AS productId, p.sku, p.name, COALESCE(SUM(sm.quantity), 0) AS onHand
       FROM products p LEFT JOIN stock_movements sm ON sm.product_id = p.id
       WHERE p.active = 1 GROUP BY p.id HAVING onHand <= ? ORDER BY onHand, p.id`,
    )
    .all(threshold) as LowStockItem[];
}

export function productExists(db: Db, productId: number): boolean {
  return db.prepare(`SELECT 1 FROM products WHERE id = ?`).get(productId) !== undefined;
}
