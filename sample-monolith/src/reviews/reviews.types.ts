import type { Product } from '../catalog/catalog.types';

export interface Review {
  id: number;
  productId: number;
  userId: number;
  rating: number;
  title: string;
  body: string;
  verifiedPurchase: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ReviewSummary {
  count: number;
  average: number | null;
  /** Count per star, index 0 = one star. */
  histogram: [number, number, number, number, number];
}

export interface NewReview {
  productId: number;
  rating: number;
  title: string;
  body?: string;
}

export type ReviewUpdate = Partial<Pick<NewReview, 'rating' | 'title' | 'body'>>;

/** The "my reviews" page shows each review with the product it is about. */
export interface ReviewWithProduct extends Review {
  product: Pick<Product, 'id' | 'name' | 'imageUrl'>;
}
