import type { Db } from '@shared/db';
import type { Page } from '@shared/utils';
import type { OrderItem, OrderRow, OrderStatus } from './orders.types';

/** Reads the catalog's products table directly for current prices: the coupling the strangler has to cut. */
export function productsForCheckout(db: Db, ids: number[]): Map<number, { id: number; name: string; price_cents: number; active: number }> {
  if (ids.length === 0) return new Map();
  const rows = db
    .prepare(`SELECT id, name, price_cents, active FROM products WHERE id IN (${ids.map(() => '?').join(', ')})`)
    .all(...ids) as { id: number; name: string; price_cents: number; active: number }[];
  return new Map(rows.map((r) => [r.id, r]));
}

/** Same sum as the inventory domain computes, duplicated here long ago. */
export function stockOnHand(db: Db, productId: number): number {
  return (db.prepare(`SELECT COALESCE(SUM(quantity), 0) AS n FROM stock_movements WHERE product_id = ?`).get(productId) as { n: number }).n;
}

export function insertStockMovement(db: Db, productId: number, quantity: number, reason: 'sale' | 'cancellation', orderId: number, now: string): void {
  db.prepare(`INSERT INTO stock_movements (product_id, quantity, reason, order_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`).run(
    productId,
    quantity,
    reason,
    orderId,
    `order #${orderId}`,
    now,
  );
}

export function insertOrder(
  db: Db,
  o: { userId: number; status: OrderStatus; subtotalCents: number; taxCents: number; shippingCents: number; totalCents: number; addressId: number | null; now: string },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO orders (user_id, status, subtotal_cents, tax_cents, shipping_cents, total_cents, address_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(o.userId, o.status, o.subtotalCents, o.taxCents, o.shippingCents, o.totalCents, o.addressId, o.now, o.now).lastInsertRowid,
  );
}

export function insertOrderItem(db: Db, orderId: number, item: Omit<OrderItem, 'lineTotalCents'>): void {
  db.prepare(`INSERT INTO order_items (order_id, product_id, name, unit_price_cents, quantity) VALUES (?, ?, ?, ?, ?)`).run(
    orderId,
    item.productId,
    item.name,
    item.unitPriceCents,
    item.quantity,
  );
}

export function findOrderRow(db: Db, id: number): OrderRow | undefined {
  return db.prepare(`SELECT * FROM orders WHERE id = ?`).get(id) as OrderRow | undefined;
}

export function findOrderItems(db: Db, orderId: number): OrderItem[] {
  return db
    .prepare(
      `SELECT product_id AS productId, name, unit_price_cents AS unitPriceCents, quantity, unit_price_cents * quantity AS lineTotalCents
       FROM order_items WHERE order_id = ? ORDER BY id`,
    )
    .all(orderId) as OrderItem[];
}

export function listOrderRows(db: Db, userId: number, status: OrderStatus | undefined, page: Page): { rows: OrderRow[]; total: number } {
  const rows = db
    .prepare(`SELECT * FROM orders WHERE user_id = ? AND (? IS NULL OR status = ?) ORDER BY id DESC LIMIT ? OFFSET ?`)
    .all(userId, status ?? null, status ?? null, page.limit, page.offset) as OrderRow[];
  const { total } = db.prepare(`SELECT COUNT(*) AS total FROM orders WHERE user_id = ? AND (? IS NULL OR status = ?)`).get(userId, status ?? null, status ?? null) as {
    total: number;
  };
  return { rows, total };
}

export function updateOrderStatus(db: Db, id: number, status: OrderStatus, now: string): void {
  db.prepare(`UPDATE orders SET status = ?, updated_at = ? WHERE id = ?`).run(status, now, id);
}
