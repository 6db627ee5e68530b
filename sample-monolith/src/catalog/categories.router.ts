import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate } from '@shared/validation';
import { pageFromQuery } from '@shared/utils';
import { requireAdmin } from '../auth';
import * as catalog from './catalog.service';

export const categoriesRouter = Router();

categoriesRouter.get('/', (req, res) => {
  res.json({ items: catalog.listCategories(ctxOf(req).db) });
});

categoriesRouter.get('/:slug', (req, res) => {
  res.json(catalog.getCategoryWithProducts(ctxOf(req).db, req.params.slug, pageFromQuery(req.query)));
});

categoriesRouter.post('/', requireAdmin, (req, res) => {
  const input = validate<{ name: string; description?: string; slug?: string }>(req.body, {
    name: { type: 'string', min: 1, max: 100 },
    description: { type: 'string', required: false, max: 1000 },
    slug: { type: 'string', required: false, pattern: /^[a-z0-9-]+$/ },
  });
  res.status(201).json(catalog.createCategory(ctxOf(req).db, input));
});
