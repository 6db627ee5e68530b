import type { Db } from '@shared/db';
import type { NewReview, Review, ReviewUpdate } from './reviews.types';

interface ReviewRow {
  id: number;
  product_id: number;
  user_id: number;
  rating: number;
  title: string;
  body: string;
  verified_purchase: number;
  created_at: string;
  updated_at: string;
}

const toReview = (r: ReviewRow): Review => ({
  id: r.id,
  productId: r.product_id,
  userId: r.user_id,
  rating: r.rating,
  title: r.title,
  body: r.body,
  verifiedPurchase: r.verified_purchase === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function listReviews(db: Db, filter: { productId?: number; userId?: number }, limit: number, offset: number): Review[] {
  const rows = db
    .prepare(
      `SELECT * FROM reviews WHERE (? IS NULL OR product_id = ?) AND (? IS NULL OR user_id = ?)
       ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    )
    .all(filter.productId ?? null, filter.productId ?? null, filter.userId ?? null, filter.userId ?? null, limit, offset) as ReviewRow[];
  return rows.map(toReview);
}

export function findReview(db: Db, id: number): Review | undefined {
  const row = db.prepare(`SELECT * FROM reviews WHERE id = ?`).get(id) as ReviewRow | undefined;
  return row && toReview(row);
}

export function findReviewByAuthor(db: Db, productId: number, userId: number): Review | undefined {
  const row = db.prepare(`SELECT * FROM reviews WHERE product_id = ? AND user_id = ?`).get(productId, userId) as ReviewRow | undefined;
  return row && toReview(row);
}

export function insertReview(db: Db, userId: number, r: NewReview, verified: boolean, now: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO reviews (product_id, user_id, rating, title, body, verified_purchase, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.productId, userId, r.rating, r.title, r.body ?? '', verified ? 1 : 0, now, now).lastInsertRowid,
  );
}

export function updateReview(db: Db, id: number, u: ReviewUpdate, now: string): void {
  db.prepare(`UPDATE reviews SET rating = COALESCE(?, rating), title = COALESCE(?, title), body = COALESCE(?, body), updated_at = ? WHERE id = ?`).run(
    u.rating ?? null,
    u.title ?? null,
    u.body ?? null,
    now,
    id,
  );
}

export function deleteReview(db: Db, id: number): void {
  db.prepare(`DELETE FROM reviews WHERE id = ?`).run(id);
}

export function ratingCounts(db: Db, productId: number): { rating: number; n: number }[] {
  return db.prepare(`SELECT rating, COUNT(*) AS n FROM reviews WHERE product_id = ? GROUP BY rating`).all(productId) as { rating: number; n: number }[];
}

/** Reads the orders domain's tables directly to badge verified purchases. */
export function hasPurchased(db: Db, userId: number, productId: number): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM orders o JOIN order_items oi ON oi.order_id = o.id
         WHERE o.user_id = ? AND oi.product_id = ? AND o.status IN ('paid', 'shipped', 'delivered') LIMIT 1`,
      )
      .get(userId, productId) !== undefined
  );
}
