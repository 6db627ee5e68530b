import type { Db } from '@shared/db';
import type { Page } from '@shared/utils';
import type { NewProduct, Product, ProductQuery, ProductUpdate } from './catalog.types';

interface ProductRow {
  id: number;
  sku: string;
  name: string;
  description: string;
  price_cents: number;
  category_id: number | null;
  category_slug: string | null;
  category_name: string | null;
  image_url: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

const SELECT_PRODUCT = `SELECT p.id, p.sku, p.name, p.description, p.price_cents, p.category_id, c.slug AS category_slug, c.name AS category_name,
  p.image_url, p.active, p.created_at, p.updated_at
  FROM products p LEFT JOIN categories c ON c.id = p.category_id`;

const ORDER_BY: Record<ProductQuery['sort'], string> = {
  newest: 'p.created_at DESC, p.id DESC',
  price_asc: 'p.price_cents ASC, p.id',
  price_desc: 'p.price_cents DESC, p.id',
  name: 'p.name COLLATE NOCASE, p.id',
};

function toProduct(r: ProductRow): Product {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    priceCents: r.price_cents,
    category: r.category_id && r.category_slug && r.category_name ? { id: r.category_id, slug: r.category_slug, name: r.category_name } : null,
    imageUrl: r.image_url,
    active: r.active === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function findProduct(db: Db, id: number): Product | undefined {
  const row = db.prepare(`${SELECT_PRODUCT} WHERE p.id = ?`).get(id) as ProductRow | undefined;
  return row && toProduct(row);
}

export function searchProducts(db: Db, q: ProductQuery, page: Page): { items: Product[]; total: number } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (!q.includeInactive) where.push('p.active = 1');
  if (q.text) {
    where.push('(p.name LIKE ? OR p.description LIKE ? OR p.sku = ?)');
    args.push(`%${q.text}%`, `%${q.text}%`, q.text);
  }
  if (q.categorySlug) {
    where.push('c.slug = ?');
    args.push(q.categorySlug);
  }
  if (q.minPriceCents !== undefined) {
    where.push('p.price_cents >= ?');
    args.push(q.minPriceCents);
  }
  if (q.maxPriceCents !== undefined) {
    where.push('p.price_cents <= ?');
    args.push(q.maxPriceCents);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const rows = db.prepare(`${SELECT_PRODUCT} ${clause} ORDER BY ${ORDER_BY[q.sort]} LIMIT ? OFFSET ?`).all(...args, page.limit, page.offset) as ProductRow[];
  const { total } = db
    .prepare(`SELECT COUNT(*) AS total FROM products p LEFT JOIN categories c ON c.id = p.category_id ${clause}`)
    .get(...args) as { total: number };
  return { items: rows.map(toProduct), total };
}

export function insertProduct(db: Db, p: NewProduct, now: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO products (sku, name, description, price_cents, category_id, image_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(p.sku, p.name, p.description ?? '', p.priceCents, p.categoryId ?? null, p.imageUrl ?? null, now, now).lastInsertRowid,
  );
}

export function updateProduct(db: Db, id: number, u: ProductUpdate, now: string): boolean {
  return (
    db
      .prepare(
        `UPDATE products SET sku = COALESCE(?, sku), name = COALESCE(?, name), description = COALESCE(?, description),
         price_cents = COALESCE(?, price_cents), category_id = COALESCE(?, category_id), image_url = COALESCE(?, image_url),
         active = COALESCE(?, active), updated_at = ? WHERE id = ?`,
      )
      .run(u.sku ?? null, u.name ?? null, u.description ?? null, u.priceCents ?? null, u.categoryId ?? null, u.imageUrl ?? null,
        u.active === undefined ? null : u.active ? 1 : 0, now, id).changes > 0
  );
}

/** Products referenced by orders cannot be deleted, so "delete" retires them. */
export function deactivateProduct(db: Db, id: number, now: string): boolean {
  return db.prepare(`UPDATE products SET active = 0, updated_at = ? WHERE id = ? AND active = 1`).run(now, id).changes > 0;
}

export function skuExists(db: Db, sku: string): boolean {
  return db.prepare(`SELECT 1 FROM products WHERE sku = ?`).get(sku) !== undefined;
}
