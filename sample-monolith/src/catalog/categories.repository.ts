import type { Db } from '@shared/db';
import type { Category } from './catalog.types';

export function listCategories(db: Db): (Category & { productCount: number })[] {
  return db
    .prepare(
      `SELECT c.id, c.slug, c.name, c.description,
        (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id AND p.active = 1) AS productCount
       FROM categories c ORDER BY c.name`,
    )
    .all() as (Category & { productCount: number })[];
}

export function findCategoryBySlug(db: Db, slug: string): Category | undefined {
  return db.prepare(`SELECT id, slug, name, description FROM categories WHERE slug = ?`).get(slug) as Category | undefined;
}

export function insertCategory(db: Db, c: Omit<Category, 'id'>): number {
  return Number(db.prepare(`INSERT INTO categories (slug, name, description) VALUES (?, ?, ?)`).run(c.slug, c.name, c.description).lastInsertRowid);
}
