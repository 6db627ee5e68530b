import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { ValidationError } from '@shared/errors';
import { stringQuery } from '@shared/validation';
import { pageFromQuery } from '@shared/utils';
import { productsRouter } from './products.router';
import { categoriesRouter } from './categories.router';
import * as catalog from './catalog.service';

/** /api/catalog: products and categories are sub-routers; search lives here. */
export const catalogRouter = Router();

catalogRouter.use('/products', productsRouter);
catalogRouter.use('/categories', categoriesRouter);

catalogRouter.get('/search', (req, res) => {
  const text = stringQuery(req.query.q);
  if (!text) throw new ValidationError('Query parameter q is required', [{ field: 'q', problem: 'is required' }]);
  res.json(catalog.findProducts(ctxOf(req).db, { text, sort: 'name', includeInactive: false }, pageFromQuery(req.query, 10, 50)));
});
