import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate, intParam, intQuery } from '@shared/validation';
import { pageFromQuery } from '@shared/utils';
import { requireAuth, currentUser } from '../auth';
import type { NewReview, ReviewUpdate } from './reviews.types';
import * as reviews from './reviews.service';

export const reviewsRouter = Router();

reviewsRouter.get('/', (req, res) => {
  const page = pageFromQuery(req.query);
  const productId = req.query.productId === undefined ? undefined : intQuery(req.query.productId, 'productId', 0, 1);
  const userId = req.query.userId === undefined ? undefined : intQuery(req.query.userId, 'userId', 0, 1);
  res.json({ items: reviews.listReviews(ctxOf(req).db, { productId, userId }, page.limit, page.offset), limit: page.limit, offset: page.offset });
});

reviewsRouter.get('/summary/:productId', (req, res) => {
  res.json(reviews.productSummary(ctxOf(req).db, intParam(req.params.productId, 'productId')));
});

reviewsRouter.post('/', requireAuth, (req, res) => {
  const input = validate<NewReview>(req.body, {
    productId: { type: 'int', min: 1 },
    rating: { type: 'int', min: 1, max: 5 },
    title: { type: 'string', min: 1, max: 120 },
    body: { type: 'string', required: false, max: 5000 },
  });
  res.status(201).json(reviews.addReview(ctxOf(req).db, currentUser(res), input));
});

reviewsRouter.put('/:id', requireAuth, (req, res) => {
  const update = validate<ReviewUpdate>(req.body, {
    rating: { type: 'int', required: false, min: 1, max: 5 },
    title: { type: 'string', required: false, min: 1, max: 120 },
    body: { type: 'string', required: false, max: 5000 },
  });
  res.json(reviews.editReview(ctxOf(req).db, currentUser(res), intParam(req.params.id, 'id'), update));
});

reviewsRouter.delete('/:id', requireAuth, (req, res) => {
  reviews.removeReview(ctxOf(req).db, currentUser(res), intParam(req.params.id, 'id'));
  res.status(204).end();
});
