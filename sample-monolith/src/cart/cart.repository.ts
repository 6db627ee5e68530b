import type { Db } from '@shared/db';
import type { CartLine } from './cart.types';

/** Joins the catalog's products table for current prices: the cart never stores a price. */
export function cartLines(db: Db, userId: number): CartLine[] {
  const rows = db
    .prepare(
      `SELECT ci.product_id, ci.quantity, p.name, p.price_cents, p.active
       FROM cart_items ci JOIN products p ON p.id = ci.product_id
       WHERE ci.user_id = ? ORDER BY ci.added_at, ci.product_id`,
    )
    .all(userId) as { product_id: number; quantity: number; name: string; price_cents: number; active: number }[];
  return rows.map((r) => ({
    productId: r.product_id,
    name: r.name,
    unitPriceCents: r.price_cents,
    quantity: r.quantity,
    lineTotalCents: r.price_cents * r.quantity,
    active: r.active === 1,
  }));
}

export function findQuantity(db: Db, userId: number, productId: number): number {
  const row = db.prepare(`SELECT quantity FROM cart_items WHERE user_id = ? AND product_id = ?`).get(userId, productId) as { quantity: number } | undefined;
  return row?.quantity ?? 0;
}

export function upsertItem(db: Db, userId: number, productId: number, quantity: number, now: string): void {
  db.prepare(
    `INSERT INTO cart_items (user_id, product_id, quantity, added_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = excluded.quantity`,
  ).run(userId, productId, quantity, now);
}

export function deleteItem(db: Db, userId: number, productId: number): boolean {
  return db.prepare(`DELETE FROM cart_items WHERE user_id = ? AND product_id = ?`).run(userId, productId).changes > 0;
}

export function deleteAll(db: Db, userId: number): number {
  return db.prepare(`DELETE FROM cart_items WHERE user_id = ?`).run(userId).changes;
}
