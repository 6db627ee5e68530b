import type { Db } from '@shared/db';
import { ValidationError } from '@shared/errors';
import { isIsoDate } from '@shared/utils';
import { stringQuery } from '@shared/validation';
// A plain import used only in type positions: the compiler elides it, so at runtime reports does not load orders.
import { OrderStatus } from '../orders/orders.types';
import type { CustomerSummary, DailySales, DateRange, ShopStats, TopProduct } from './reports.types';
import * as repo from './reports.repository';

export function parseRange(query: Record<string, unknown>, today = new Date()): DateRange {
  const to = stringQuery(query.to) ?? today.toISOString().slice(0, 10);
  const from = stringQuery(query.from) ?? new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (!isIsoDate(value)) throw new ValidationError(`Query parameter ${field} must be a date like 2024-01-31, got "${value}"`, [{ field, problem: 'must be YYYY-MM-DD' }]);
  }
  if (from > to) throw new ValidationError('from must not be after to', [{ field: 'from', problem: 'must be <= to' }]);
  return { from, to };
}

export function salesReport(db: Db, range: DateRange): { range: DateRange; days: DailySales[]; totalCents: number } {
  const days = repo.dailySales(db, range);
  return { range, days, totalCents: days.reduce((t, d) => t + d.revenueCents, 0) };
}

export function topProducts(db: Db, limit: number): TopProduct[] {
  return repo.topProducts(db, limit);
}

export function customers(db: Db, limit: number): CustomerSummary[] {
  return repo.customerSummaries(db, limit);
}

export function stats(db: Db): ShopStats {
  const ordersByStatus: Partial<Record<OrderStatus, number>> = {};
  for (const { status, n } of repo.ordersByStatus(db)) ordersByStatus[status as OrderStatus] = n;
  return {
    users: repo.countUsers(db),
    activeProducts: repo.countActiveProducts(db),
    ordersByStatus,
    capturedCents: repo.capturedCents(db),
  };
}
