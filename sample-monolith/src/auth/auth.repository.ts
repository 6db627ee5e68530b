import type { Db } from '@shared/db';
import type { Role, SessionRow } from './auth.types';

export interface Credentials {
  id: number;
  password_hash: string;
  role: Role;
}

/** Auth reads the users table directly for login: an old shortcut that couples it to the users domain's schema. */
export function findCredentialsByEmail(db: Db, email: string): Credentials | undefined {
  return db
    .prepare(`SELECT id, password_hash, role FROM users WHERE email = ? AND deleted_at IS NULL`)
    .get(email.toLowerCase()) as Credentials | undefined;
}

export function insertSession(db: Db, session: { id: string; userId: number; refreshTokenHash: string; userAgent: string | null; createdAt: string; expiresAt: string }): void {
  db.prepare(
    `INSERT INTO sessions (id, user_id, refresh_token_hash, user_agent, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(session.id, session.userId, session.refreshTokenHash, session.userAgent, session.createdAt, session.expiresAt);
}

export function findSessionByRefreshHash(db: Db, hash: string): SessionRow | undefined {
  return db.prepare(`SELECT id, user_id, expires_at, revoked_at FROM sessions WHERE refresh_token_hash = ?`).get(hash) as SessionRow | undefined;
}

/** A session counts only while it is not revoked and its user still exists. */
export function findActiveSession(db: Db, sessionId: string): { id: string; role: Role; user_id: number } | undefined {
  return db
    .prepare(
      `SELECT s.id, s.user_id, u.role FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = ? AND s.revoked_at IS NULL AND u.deleted_at IS NULL`,
    )
    .get(sessionId) as { id: string; role: Role; user_id: number } | undefined;
}

export function rotateRefreshToken(db: Db, sessionId: string, newHash: string, expiresAt: string): void {
  db.prepare(`UPDATE sessions SET refresh_token_hash = ?, expires_at = ? WHERE id = ?`).run(newHash, expiresAt, sessionId);
}

export function revokeSession(db: Db, sessionId: string, at: string): boolean {
  return db.prepare(`UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`).run(at, sessionId).changes > 0;
}

export function revokeAllSessionsOfUser(db: Db, userId: number, at: string): number {
  return db.prepare(`UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`).run(at, userId).changes;
}
