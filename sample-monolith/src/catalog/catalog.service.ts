import type { Db } from '@shared/db';
import { ConflictError, NotFoundError, ValidationError } from '@shared/errors';
import { nowIso, paged, slugify, type Page, type Paged } from '@shared/utils';
import type { Category, NewProduct, Product, ProductQuery, ProductUpdate } from './catalog.types';
import * as products from './products.repository';
import * as categories from './categories.repository';

export function getProduct(db: Db, id: number): Product {
  const product = products.findProduct(db, id);
  if (!product) throw new NotFoundError('Product', id);
  return product;
}

/** Checkout and cart only sell products that are still active. */
export function getActiveProduct(db: Db, id: number): Product {
  const product = getProduct(db, id);
  if (!product.active) throw new NotFoundError('Product', id);
  return product;
}

export function findProducts(db: Db, query: ProductQuery, page: Page): Paged<Product> {
  const { items, total } = products.searchProducts(db, query, page);
  return paged(items, page, total);
}

export function createProduct(db: Db, input: NewProduct): Product {
  if (products.skuExists(db, input.sku)) throw new ConflictError(`A product with SKU ${input.sku} already exists`);
  if (input.categoryId != null) requireCategoryId(db, input.categoryId);
  return getProduct(db, products.insertProduct(db, input, nowIso()));
}

export function updateProduct(db: Db, id: number, update: ProductUpdate): Product {
  if (update.categoryId != null) requireCategoryId(db, update.categoryId);
  if (!products.updateProduct(db, id, update, nowIso())) throw new NotFoundError('Product', id);
  return getProduct(db, id);
}

export function retireProduct(db: Db, id: number): void {
  if (!products.deactivateProduct(db, id, nowIso())) throw new NotFoundError('Product', id);
}

export function listCategories(db: Db) {
  return categories.listCategories(db);
}

export function getCategoryWithProducts(db: Db, slug: string, page: Page) {
  const category = categories.findCategoryBySlug(db, slug);
  if (!category) throw new NotFoundError('Category', slug);
  const items = findProducts(db, { categorySlug: slug, sort: 'name', includeInactive: false }, page);
  return { ...category, products: items };
}

export function createCategory(db: Db, input: { name: string; description?: string; slug?: string }): Category {
  const slug = input.slug ?? slugify(input.name);
  if (categories.findCategoryBySlug(db, slug)) throw new ConflictError(`Category ${slug} already exists`);
  const id = categories.insertCategory(db, { slug, name: input.name, description: input.description ?? '' });
  return { id, slug, name: input.name, description: input.description ?? '' };
}

function requireCategoryId(db: Db, id: number): void {
  if (!categories.listCategories(db).some((c) => c.id === id)) {
    throw new ValidationError(`Category ${id} does not exist`, [{ field: 'categoryId', problem: 'does not exist' }]);
  }
}
