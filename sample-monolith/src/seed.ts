import type { Db } from '@shared/db';
import { hashPassword } from '@shared/security';
import { nowIso } from '@shared/utils';
import { insertUser, findUserRowByEmail } from './users/users.repository';

export const SEED_PASSWORD = 'password123';
export const SEED_USERS = [
  { email: 'admin@shop.test', displayName: 'Ada Admin', role: 'admin' as const },
  { email: 'alice@shop.test', displayName: 'Alice', role: 'customer' as const },
  { email: 'bob@shop.test', displayName: 'Bob', role: 'customer' as const },
];

/** Fills an empty database with demo data through the domains' own repositories; returns false if already seeded. */
export async function seedDatabase(db: Db): Promise<boolean> {
  if (findUserRowByEmail(db, SEED_USERS[0].email)) return false;
  const hashes = await Promise.all(SEED_USERS.map(() => hashPassword(SEED_PASSWORD)));
  const now = nowIso();
  db.transaction(() => {
    SEED_USERS.forEach((u, i) => insertUser(db, { ...u, passwordHash: hashes[i] }, now));
  })();
  return true;
}
