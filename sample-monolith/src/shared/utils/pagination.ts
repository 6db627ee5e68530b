import { intQuery } from '../validation';

export interface Page {
  limit: number;
  offset: number;
}

export interface Paged<T> {
  items: T[];
  limit: number;
  offset: number;
  total: number;
}

export function pageFromQuery(query: Record<string, unknown>, defaultLimit = 20, maxLimit = 100): Page {
  return {
    limit: intQuery(query.limit, 'limit', defaultLimit, 1, maxLimit),
    offset: intQuery(query.offset, 'offset', 0, 0),
  };
}

export function paged<T>(items: T[], page: Page, total: number): Paged<T> {
  return { items, limit: page.limit, offset: page.offset, total };
}
