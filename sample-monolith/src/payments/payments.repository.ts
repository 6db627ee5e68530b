import type { Db } from '@shared/db';
import type { Payment, PaymentStatus } from './payments.types';

const COLUMNS = `id, order_id AS orderId, amount_cents AS amountCents, status, provider, provider_ref AS providerRef,
  card_last4 AS cardLast4, failure_reason AS failureReason, created_at AS createdAt, refunded_at AS refundedAt`;

export function insertPayment(
  db: Db,
  p: { orderId: number; amountCents: number; status: PaymentStatus; provider: string; providerRef: string | null; cardLast4: string; failureReason: string | null; now: string },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO payments (order_id, amount_cents, status, provider, provider_ref, card_last4, failure_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(p.orderId, p.amountCents, p.status, p.provider, p.providerRef, p.cardLast4, p.failureReason, p.now).lastInsertRowid,
  );
}

export function findPayment(db: Db, id: number): Payment | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM payments WHERE id = ?`).get(id) as Payment | undefined;
}

export function listPaymentsForOrder(db: Db, orderId: number): Payment[] {
  return db.prepare(`SELECT ${COLUMNS} FROM payments WHERE order_id = ? ORDER BY id`).all(orderId) as Payment[];
}

export function findCapturedPayment(db: Db, orderId: number): Payment | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM payments WHERE order_id = ? AND status = 'captured'`).get(orderId) as Payment | undefined;
}

export function markRefunded(db: Db, id: number, at: string): void {
  db.prepare(`UPDATE payments SET status = 'refunded', refunded_at = ? WHERE id = ?`).run(at, id);
}
