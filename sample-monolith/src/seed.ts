import type { Db } from '@shared/db';
import { hashPassword } from '@shared/security';
import { nowIso } from '@shared/utils';
import { insertUser, findUserRowByEmail } from './users/users.repository';
import { insertCategory } from './catalog/categories.repository';
import { insertProduct } from './catalog/products.repository';
import { insertMovement } from './inventory/inventory.repository';
import { insertPost } from './feed/feed.repository';

export const SEED_PASSWORD = 'password123';

export const SEED_USERS = [
  { email: 'admin@shop.test', displayName: 'Ada Admin', role: 'admin' as const },
  { email: 'alice@shop.test', displayName: 'Alice Liddell', role: 'customer' as const },
  { email: 'bob@shop.test', displayName: 'Bob Builder', role: 'customer' as const },
];

const CATEGORIES = [
  { slug: 'coffee', name: 'Coffee', description: 'Beans and ground coffee from small roasters' },
  { slug: 'brewing', name: 'Brewing gear', description: 'Kettles, grinders, drippers' },
  { slug: 'mugs', name: 'Mugs & cups', description: 'Things to drink from' },
];

/** [sku, name, category slug, price in cents, initial stock] */
const PRODUCTS: [string, string, string, number, number][] = [
  ['COF-ETH-250', 'Ethiopia Yirgacheffe 250g', 'coffee', 1290, 40],
  ['COF-COL-250', 'Colombia Huila 250g', 'coffee', 1150, 35],
  ['COF-BRA-1K', 'Brazil Cerrado 1kg', 'coffee', 3400, 12],
  ['COF-DEC-250', 'Swiss Water Decaf 250g', 'coffee', 1390, 3],
  ['BRW-V60-02', 'Ceramic dripper size 02', 'brewing', 2490, 25],
  ['BRW-KET-GN', 'Gooseneck kettle 1L', 'brewing', 5990, 8],
  ['BRW-GRD-HND', 'Hand grinder, steel burrs', 'brewing', 8900, 6],
  ['BRW-FLT-100', 'Paper filters x100', 'brewing', 590, 200],
  ['MUG-STO-350', 'Stoneware mug 350ml', 'mugs', 1800, 30],
  ['MUG-GLS-DBL', 'Double-walled glass pair', 'mugs', 2600, 0],
];

const POSTS = [
  { author: 1, caption: 'Morning pour-over with the new Yirgacheffe', image: { url: 'https://cdn.shop.test/feed/pourover.jpg', width: 1080, height: 1350, mime: 'image/jpeg' } },
  { author: 2, caption: 'Latte art attempt #12', image: { url: 'https://cdn.shop.test/feed/latte.png', width: 1080, height: 1080, mime: 'image/png' } },
  { author: 1, caption: 'Roastery visit', image: { url: 'https://cdn.shop.test/feed/roastery.webp', width: 1600, height: 900, mime: 'image/webp' } },
];

/**
 * Fills an empty database with demo data through the domains' own repositories; returns false if it was seeded already.
 * One transaction that checks again under the write lock (BEGIN IMMEDIATE), so two processes starting on a fresh
 * file at once seed it exactly once.
 */
export async function seedDatabase(db: Db): Promise<boolean> {
  if (findUserRowByEmail(db, SEED_USERS[0].email)) return false;
  const hashes = await Promise.all(SEED_USERS.map(() => hashPassword(SEED_PASSWORD)));
  const now = nowIso();
  return db.transaction((): boolean => {
    if (findUserRowByEmail(db, SEED_USERS[0].email)) return false;
    const userIds = SEED_USERS.map((u, i) => insertUser(db, { ...u, passwordHash: hashes[i] }, now));
    const categoryIds = new Map(CATEGORIES.map((c) => [c.slug, insertCategory(db, c)]));
    for (const [sku, name, category, priceCents, stock] of PRODUCTS) {
      const productId = insertProduct(db, { sku, name, priceCents, categoryId: categoryIds.get(category), description: `${name}.`, imageUrl: `https://cdn.shop.test/products/${sku.toLowerCase()}.jpg` }, now);
      if (stock > 0) insertMovement(db, { productId, quantity: stock, reason: 'restock', note: 'initial stock', createdAt: now });
    }
    for (const post of POSTS) insertPost(db, userIds[post.author], post, now);
    return true;
  }).immediate();
}
