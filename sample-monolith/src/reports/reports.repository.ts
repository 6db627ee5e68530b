import type { Db } from '@shared/db';
import type { CustomerSummary, DailySales, DateRange, TopProduct } from './reports.types';

/** Admin reports read every domain's tables straight from SQL; that is why they are last in line to be extracted. */
const SOLD = `('paid', 'shipped', 'delivered')`;

export function dailySales(db: Db, range: DateRange): DailySales[] {
  return db
    .prepare(
      `SELECT substr(o.created_at, 1, 10) AS day, COUNT(*) AS orders, SUM(o.total_cents) AS revenueCents
       FROM orders o WHERE o.status IN ${SOLD} AND substr(o.created_at, 1, 10) BETWEEN ? AND ?
       GROUP BY day ORDER BY day`,
    )
    .all(range.from, range.to) as DailySales[];
}

export function topProducts(db: Db, limit: number): TopProduct[] {
  return db
    .prepare(
      `SELECT p.id AS productId, p.name, SUM(oi.quantity) AS unitsSold, SUM(oi.quantity * oi.unit_price_cents) AS revenueCents
       FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id
       WHERE o.status IN ${SOLD} GROUP BY p.id ORDER BY unitsSold DESC, p.id LIMIT ?`,
    )
    .all(limit) as TopProduct[];
}

export function customerSummaries(db: Db, limit: number): CustomerSummary[] {
  return db
    .prepare(
      `SELECT u.id AS userId, u.email, u.display_name AS displayName, COUNT(o.id) AS orders, COALESCE(SUM(o.total_cents), 0) AS spentCents
       FROM users u LEFT JOIN orders o ON o.user_id = u.id AND o.status IN ${SOLD}
       WHERE u.deleted_at IS NULL GROUP BY u.id ORDER BY spentCents DESC, u.id LIMIT ?`,
    )
    .all(limit) as CustomerSummary[];
}

export function countUsers(db: Db): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM users WHERE deleted_at IS NULL`).get() as { n: number }).n;
}

export function countActiveProducts(db: Db): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM products WHERE active = 1`).get() as { n: number }).n;
}

export function ordersByStatus(db: Db): { status: string; n: number }[] {
  return db.prepare(`SELECT status, COUNT(*) AS n FROM orders GROUP BY status`).all() as { status: string; n: number }[];
}

export function capturedCents(db: Db): number {
  return (db.prepare(`SELECT COALESCE(SUM(amount_cents), 0) AS n FROM payments WHERE status = 'captured'`).get() as { n: number }).n;
}
