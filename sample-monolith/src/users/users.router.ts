import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate, intParam, stringQuery } from '@shared/validation';
import { pageFromQuery } from '@shared/utils';
import { requireAuth, requireAdmin, currentUser } from '../auth';
import type { NewAddress, ProfileUpdate } from './users.types';
import * as users from './users.service';

export const usersRouter = Router();

usersRouter.get('/', requireAdmin, (req, res) => {
  res.json(users.listUsers(ctxOf(req).db, stringQuery(req.query.q), pageFromQuery(req.query)));
});

usersRouter.put('/me', requireAuth, (req, res) => {
  const update = validate<ProfileUpdate>(req.body, {
    displayName: { type: 'string', required: false, min: 1, max: 80 },
    bio: { type: 'string', required: false, max: 500 },
    avatarUrl: { type: 'string', required: false, pattern: /^https?:\/\// },
  });
  res.json(users.updateProfile(ctxOf(req).db, currentUser(res).id, update));
});

usersRouter.get('/me/addresses', requireAuth, (req, res) => {
  res.json({ items: users.listAddresses(ctxOf(req).db, currentUser(res).id) });
});

usersRouter.post('/me/addresses', requireAuth, (req, res) => {
  const address = validate<NewAddress>(req.body, {
    line1: { type: 'string', min: 1, max: 200 },
    line2: { type: 'string', required: false, max: 200 },
    city: { type: 'string', min: 1, max: 100 },
    postcode: { type: 'string', min: 2, max: 20 },
    country: { type: 'string', pattern: /^[A-Z]{2}$/ },
  });
  res.status(201).json(users.addAddress(ctxOf(req).db, currentUser(res).id, address));
});

usersRouter.delete('/me/addresses/:addressId', requireAuth, (req, res) => {
  users.removeAddress(ctxOf(req).db, currentUser(res).id, intParam(req.params.addressId, 'addressId'));
  res.status(204).end();
});

usersRouter.get('/:id', (req, res) => {
  res.json(users.getPublicProfile(ctxOf(req).db, intParam(req.params.id, 'id')));
});

usersRouter.delete('/:id', requireAdmin, (req, res) => {
  users.deleteUser(ctxOf(req).db, intParam(req.params.id, 'id'));
  res.status(204).end();
});
