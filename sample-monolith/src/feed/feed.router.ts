import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate, intParam, intQuery } from '@shared/validation';
import { requireAuth, currentUser } from '../auth/auth.middleware';
import type { NewPost } from './feed.types';
import { newPostSchema, editPostSchema, commentSchema } from './feed.validation';
import * as feed from './feed.service';

/** /api/feed: the social part of the shop. Owns its tables and talks to no other domain. */
export const feedRouter = Router();

feedRouter.get('/', (req, res) => {
  const limit = intQuery(req.query.limit, 'limit', 20, 1, 100);
  const before = req.query.before === undefined ? undefined : intQuery(req.query.before, 'before', 0, 1);
  const authorId = req.query.authorId === undefined ? undefined : intQuery(req.query.authorId, 'authorId', 0, 1);
  res.json(feed.feedPage(ctxOf(req).db, { limit, before, authorId }));
});

feedRouter.post('/posts', requireAuth, (req, res) => {
  const input = validate<NewPost>(req.body, newPostSchema);
  res.status(201).json(feed.createPost(ctxOf(req).db, currentUser(res), input));
});

feedRouter.get('/posts/:id', (req, res) => {
  res.json(feed.getPost(ctxOf(req).db, intParam(req.params.id, 'id')));
});

feedRouter.put('/posts/:id', requireAuth, (req, res) => {
  const { caption } = validate<{ caption: string }>(req.body, editPostSchema);
  res.json(feed.editCaption(ctxOf(req).db, currentUser(res), intParam(req.params.id, 'id'), caption));
});

feedRouter.delete('/posts/:id', requireAuth, (req, res) => {
  feed.deletePost(ctxOf(req).db, currentUser(res), intParam(req.params.id, 'id'));
  res.status(204).end();
});

feedRouter.post('/posts/:id/like', requireAuth, (req, res) => {
  res.json(feed.like(ctxOf(req).db, currentUser(res), intParam(req.params.id, 'id')));
});

feedRouter.delete('/posts/:id/like', requireAuth, (req, res) => {
  res.json(feed.unlike(ctxOf(req).db, currentUser(res), intParam(req.params.id, 'id')));
});

feedRouter.get('/posts/:id/comments', (req, res) => {
  res.json({ items: feed.comments(ctxOf(req).db, intParam(req.params.id, 'id'), intQuery(req.query.limit, 'limit', 50, 1, 200)) });
});

feedRouter.post('/posts/:id/comments', requireAuth, (req, res) => {
  const { body } = validate<{ body: string }>(req.body, commentSchema);
  res.status(201).json(feed.addComment(ctxOf(req).db, currentUser(res), intParam(req.params.id, 'id'), body));
});
