import type { Db } from '@shared/db';
import type { OutboxEmail, Preferences, TemplateName } from './notifications.types';

interface OutboxRow {
  id: number;
  user_id: number | null;
  to_address: string;
  subject: string;
  body: string;
  template: TemplateName;
  status: OutboxEmail['status'];
  attempts: number;
  created_at: string;
  sent_at: string | null;
}

const toEmail = (r: OutboxRow): OutboxEmail => ({
  id: r.id,
  userId: r.user_id,
  to: r.to_address,
  subject: r.subject,
  body: r.body,
  template: r.template,
  status: r.status,
  attempts: r.attempts,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

export function insertOutboxEmail(db: Db, e: { userId: number; to: string; subject: string; body: string; template: TemplateName; status: OutboxEmail['status']; createdAt: string }): number {
  return Number(
    db
      .prepare(`INSERT INTO email_outbox (user_id, to_address, subject, body, template, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(e.userId, e.to, e.subject, e.body, e.template, e.status, e.createdAt).lastInsertRowid,
  );
}

export function listOutboxForUser(db: Db, userId: number, limit: number): OutboxEmail[] {
  return (db.prepare(`SELECT * FROM email_outbox WHERE user_id = ? ORDER BY id DESC LIMIT ?`).all(userId, limit) as OutboxRow[]).map(toEmail);
}

export function listOutbox(db: Db, status: string | undefined, limit: number): OutboxEmail[] {
  const rows = status
    ? (db.prepare(`SELECT * FROM email_outbox WHERE status = ? ORDER BY id LIMIT ?`).all(status, limit) as OutboxRow[])
    : (db.prepare(`SELECT * FROM email_outbox ORDER BY id LIMIT ?`).all(limit) as OutboxRow[]);
  return rows.map(toEmail);
}

export function markSent(db: Db, id: number, at: string): void {
  db.prepare(`UPDATE email_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?`).run(at, id);
}

export function markAttemptFailed(db: Db, id: number): void {
  db.prepare(`UPDATE email_outbox SET attempts = attempts + 1 WHERE id = ?`).run(id);
}

export function findPreferences(db: Db, userId: number): Preferences | undefined {
  const row = db.prepare(`SELECT order_updates, marketing FROM notification_preferences WHERE user_id = ?`).get(userId) as
    | { order_updates: number; marketing: number }
    | undefined;
  return row && { orderUpdates: row.order_updates === 1, marketing: row.marketing === 1 };
}

export function upsertPreferences(db: Db, userId: number, p: Preferences, at: string): void {
  db.prepare(
    `INSERT INTO notification_preferences (user_id, order_updates, marketing, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET order_updates = excluded.order_updates, marketing = excluded.marketing, updated_at = excluded.updated_at`,
  ).run(userId, p.orderUpdates ? 1 : 0, p.marketing ? 1 : 0, at);
}
