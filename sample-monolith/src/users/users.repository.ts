import type { Db } from '@shared/db';
import type { Page } from '@shared/utils';
import type { Address, NewAddress, NewUser, ProfileUpdate, UserRow } from './users.types';

const USER_COLUMNS = `id, email, role, display_name, bio, avatar_url, created_at`;

export function insertUser(db: Db, user: NewUser, createdAt: string): number {
  const result = db
    .prepare(`INSERT INTO users (email, password_hash, role, display_name, created_at) VALUES (?, ?, ?, ?, ?)`)
    .run(user.email.toLowerCase(), user.passwordHash, user.role, user.displayName, createdAt);
  return Number(result.lastInsertRowid);
}

export function findUserRow(db: Db, id: number): UserRow | undefined {
  return db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ? AND deleted_at IS NULL`).get(id) as UserRow | undefined;
}

export function findUserRowByEmail(db: Db, email: string): UserRow | undefined {
  return db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE email = ? AND deleted_at IS NULL`).get(email.toLowerCase()) as UserRow | undefined;
}

export function searchUserRows(db: Db, q: string | undefined, page: Page): { rows: UserRow[]; total: number } {
  const pattern = `%${q ?? ''}%`;
  const rows = db
    .prepare(
      `SELECT ${USER_COLUMNS} FROM users WHERE deleted_at IS NULL AND (email LIKE ? OR display_name LIKE ?)
       ORDER BY id LIMIT ? OFFSET ?`,
    )
    .all(pattern, pattern, page.limit, page.offset) as UserRow[];
  const { total } = db
    .prepare(`SELECT COUNT(*) AS total FROM users WHERE deleted_at IS NULL AND (email LIKE ? OR display_name LIKE ?)`)
    .get(pattern, pattern) as { total: number };
  return { rows, total };
}

export function updateProfileRow(db: Db, id: number, update: ProfileUpdate): void {
  db.prepare(
    `UPDATE users SET display_name = COALESCE(?, display_name), bio = COALESCE(?, bio), avatar_url = COALESCE(?, avatar_url) WHERE id = ?`,
  ).run(update.displayName ?? null, update.bio ?? null, update.avatarUrl ?? null, id);
}

/** Soft delete: orders and reviews keep pointing at the row. */
export function softDeleteUser(db: Db, id: number, at: string): boolean {
  return db.prepare(`UPDATE users SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`).run(at, id).changes > 0;
}

interface AddressRow {
  id: number;
  user_id: number;
  line1: string;
  line2: string | null;
  city: string;
  postcode: string;
  country: string;
}

const toAddress = (r: AddressRow): Address => ({ id: r.id, userId: r.user_id, line1: r.line1, line2: r.line2, city: r.city, postcode: r.postcode, country: r.country });

export function listAddresses(db: Db, userId: number): Address[] {
  return (db.prepare(`SELECT id, user_id, line1, line2, city, postcode, country FROM addresses WHERE user_id = ? ORDER BY id`).all(userId) as AddressRow[]).map(toAddress);
}

export function findAddress(db: Db, id: number): Address | undefined {
  const row = db.prepare(`SELECT id, user_id, line1, line2, city, postcode, country FROM addresses WHERE id = ?`).get(id) as AddressRow | undefined;
  return row && toAddress(row);
}

export function insertAddress(db: Db, userId: number, a: NewAddress, createdAt: string): number {
  return Number(
    db
      .prepare(`INSERT INTO addresses (user_id, line1, line2, city, postcode, country, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(userId, a.line1, a.line2 ?? null, a.city, a.postcode, a.country, createdAt).lastInsertRowid,
  );
}

export function deleteAddress(db: Db, userId: number, id: number): boolean {
  return db.prepare(`DELETE FROM addresses WHERE id = ? AND user_id = ?`).run(id, userId).changes > 0;
}
