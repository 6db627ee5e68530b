import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate, intParam } from '@shared/validation';
import { pageFromQuery } from '@shared/utils';
import { requireAdmin } from '../auth';
import type { NewProduct, ProductUpdate } from './catalog.types';
import { parseProductQuery } from './catalog.search';
import * as catalog from './catalog.service';
import { summaryFor } from '../reviews/reviews.service';

export const productsRouter = Router();

const productFields = {
  sku: { type: 'string', min: 3, max: 40, pattern: /^[A-Z0-9-]+$/ },
  name: { type: 'string', min: 1, max: 200 },
  description: { type: 'string', required: false, max: 5000 },
  priceCents: { type: 'int', min: 0, max: 10_000_000 },
  categoryId: { type: 'int', required: false, min: 1 },
  imageUrl: { type: 'string', required: false, pattern: /^https?:\/\// },
} as const;

productsRouter.get('/', (req, res) => {
  res.json(catalog.findProducts(ctxOf(req).db, parseProductQuery(req.query), pageFromQuery(req.query)));
});

productsRouter.get('/:id', (req, res) => {
  const { db } = ctxOf(req);
  const product = catalog.getProduct(db, intParam(req.params.id, 'id'));
  res.json({ ...product, rating: summaryFor(db, product.id) });
});

productsRouter.post('/', requireAdmin, (req, res) => {
  const input = validate<NewProduct>(req.body, productFields);
  res.status(201).json(catalog.createProduct(ctxOf(req).db, input));
});

productsRouter.put('/:id', requireAdmin, (req, res) => {
  const optional = Object.fromEntries(Object.entries(productFields).map(([k, rule]) => [k, { ...rule, required: false }]));
  const update = validate<ProductUpdate>(req.body, { ...optional, active: { type: 'boolean', required: false } });
  res.json(catalog.updateProduct(ctxOf(req).db, intParam(req.params.id, 'id'), update));
});

productsRouter.delete('/:id', requireAdmin, (req, res) => {
  catalog.retireProduct(ctxOf(req).db, intParam(req.params.id, 'id'));
  res.status(204).end();
});
