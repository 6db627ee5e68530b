import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { intQuery } from '@shared/validation';
import { requireAdmin } from '../auth';
import * as reports from './reports.service';

/** /api/admin: reports for the back office, admin only. */
export const reportsRouter = Router();

reportsRouter.use(requireAdmin);

reportsRouter.get('/stats', (req, res) => {
  res.json(reports.stats(ctxOf(req).db));
});

reportsRouter.get('/reports/sales', (req, res) => {
  res.json(reports.salesReport(ctxOf(req).db, reports.parseRange(req.query)));
});

reportsRouter.get('/reports/sales/export', async (req, res) => {
  const report = reports.salesReport(ctxOf(req).db, reports.parseRange(req.query));
  const { toCsv } = await import('./reports.csv');
  res
    .type('text/csv')
    .attachment(`sales-${report.range.from}-${report.range.to}.csv`)
    .send(toCsv(['day', 'orders', 'revenue_cents'], report.days.map((d) => [d.day, d.orders, d.revenueCents])));
});

reportsRouter.get('/reports/top-products', (req, res) => {
  res.json({ items: reports.topProducts(ctxOf(req).db, intQuery(req.query.limit, 'limit', 10, 1, 100)) });
});

reportsRouter.get('/reports/customers', (req, res) => {
  res.json({ items: reports.customers(ctxOf(req).db, intQuery(req.query.limit, 'limit', 20, 1, 200)) });
});
