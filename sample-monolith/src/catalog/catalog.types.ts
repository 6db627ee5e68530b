import type { ReviewSummary } from '../reviews/reviews.types';

export interface Category {
  id: number;
  slug: string;
  name: string;
  description: string;
}

export interface Product {
  id: number;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  category: { id: number; slug: string; name: string } | null;
  imageUrl: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** Filled in by the product page only (reviews domain). */
  rating?: ReviewSummary;
}

export interface NewProduct {
  sku: string;
  name: string;
  description?: string;
  priceCents: number;
  categoryId?: number | null;
  imageUrl?: string | null;
}

export type ProductUpdate = Partial<NewProduct> & { active?: boolean };

export type ProductSort = 'newest' | 'price_asc' | 'price_desc' | 'name';

export interface ProductQuery {
  text?: string;
  categorySlug?: string;
  minPriceCents?: number;
  maxPriceCents?: number;
  sort: ProductSort;
  includeInactive: boolean;
}

export const PRODUCT_SORTS: readonly ProductSort[] = ['newest', 'price_asc', 'price_desc', 'name'];
