import { ValidationError } from '@shared/errors';
import { intQuery, stringQuery } from '@shared/validation';
import { PRODUCT_SORTS, type ProductQuery, type ProductSort } from './catalog.types';

/** Turns `?q=&category=&minPrice=&maxPrice=&sort=` (prices in cents) into a ProductQuery. */
export function parseProductQuery(query: Record<string, unknown>, includeInactive = false): ProductQuery {
  const sort = (stringQuery(query.sort) ?? 'newest') as ProductSort;
  if (!PRODUCT_SORTS.includes(sort)) {
    throw new ValidationError(`Query parameter sort must be one of ${PRODUCT_SORTS.join(', ')}, got "${sort}"`, [{ field: 'sort', problem: `must be one of ${PRODUCT_SORTS.join(', ')}` }]);
  }
  const minPriceCents = query.minPrice === undefined ? undefined : intQuery(query.minPrice, 'minPrice', 0, 0);
  const maxPriceCents = query.maxPrice === undefined ? undefined : intQuery(query.maxPrice, 'maxPrice', 0, 0);
  if (minPriceCents !== undefined && maxPriceCents !== undefined && minPriceCents > maxPriceCents) {
    throw new ValidationError('minPrice must not be greater than maxPrice', [{ field: 'minPrice', problem: 'must be <= maxPrice' }]);
  }
  return { text: stringQuery(query.q), categorySlug: stringQuery(query.category), minPriceCents, maxPriceCents, sort, includeInactive };
}
