import type { Db } from '@shared/db';
import { ConflictError, ForbiddenError, NotFoundError } from '@shared/errors';
import { nowIso } from '@shared/utils';
import type { AuthUser } from '../auth/auth.types';
import type { NewReview, Review, ReviewSummary, ReviewUpdate } from './reviews.types';
import * as repo from './reviews.repository';
import { getActiveProduct, getProduct } from '../catalog/catalog.service';

export function listReviews(db: Db, filter: { productId?: number; userId?: number }, limit: number, offset: number): Review[] {
  if (filter.productId !== undefined) getProduct(db, filter.productId);
  return repo.listReviews(db, filter, limit, offset);
}

export function summaryFor(db: Db, productId: number): ReviewSummary {
  const histogram: ReviewSummary['histogram'] = [0, 0, 0, 0, 0];
  let count = 0;
  let sum = 0;
  for (const { rating, n } of repo.ratingCounts(db, productId)) {
    histogram[rating - 1] = n;
    count += n;
    sum += rating * n;
  }
  return { count, average: count ? Math.round((sum / count) * 100) / 100 : null, histogram };
}

export function productSummary(db: Db, productId: number): ReviewSummary & { productId: number } {
  getProduct(db, productId);
  return { productId, ...summaryFor(db, productId) };
}

export function addReview(db: Db, user: AuthUser, input: NewReview): Review {
  getActiveProduct(db, input.productId);
  if (repo.findReviewByAuthor(db, input.productId, user.id)) throw new ConflictError(`You already reviewed product ${input.productId}; edit that review instead`);
  const id = repo.insertReview(db, user.id, input, repo.hasPurchased(db, user.id, input.productId), nowIso());
  return repo.findReview(db, id)!;
}

function ownReview(db: Db, user: AuthUser, id: number): Review {
  const review = repo.findReview(db, id);
  if (!review) throw new NotFoundError('Review', id);
  if (review.userId !== user.id && user.role !== 'admin') throw new ForbiddenError('Only the author or an admin can change this review');
  return review;
}

export function editReview(db: Db, user: AuthUser, id: number, update: ReviewUpdate): Review {
  ownReview(db, user, id);
  repo.updateReview(db, id, update, nowIso());
  return repo.findReview(db, id)!;
}

export function removeReview(db: Db, user: AuthUser, id: number): void {
  ownReview(db, user, id);
  repo.deleteReview(db, id);
}
