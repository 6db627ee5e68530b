import { Router } from 'express';
import { ctxOf } from '@shared/http';
import { validate, intQuery, stringQuery } from '@shared/validation';
import { requireAuth, requireAdmin, currentUser } from '../auth/auth.middleware';
import type { Preferences } from './notifications.types';
import * as notifications from './notifications.service';

export const notificationsRouter = Router();

notificationsRouter.get('/', requireAuth, (req, res) => {
  const limit = intQuery(req.query.limit, 'limit', 50, 1, 200);
  res.json({ items: notifications.notificationsFor(ctxOf(req).db, currentUser(res).id, limit) });
});

notificationsRouter.get('/outbox', requireAdmin, (req, res) => {
  const status = stringQuery(req.query.status);
  validate({ status }, { status: { type: 'string', required: false, oneOf: ['pending', 'sent', 'skipped'] } }, 'query');
  res.json({ items: notifications.outbox(ctxOf(req).db, status, intQuery(req.query.limit, 'limit', 100, 1, 500)) });
});

notificationsRouter.post('/outbox/flush', requireAdmin, (req, res) => {
  res.json(notifications.flushOutbox(ctxOf(req)));
});

notificationsRouter.get('/preferences', requireAuth, (req, res) => {
  res.json(notifications.getPreferences(ctxOf(req).db, currentUser(res).id));
});

notificationsRouter.put('/preferences', requireAuth, (req, res) => {
  const prefs = validate<Preferences>(req.body, { orderUpdates: { type: 'boolean' }, marketing: { type: 'boolean' } });
  res.json(notifications.setPreferences(ctxOf(req).db, currentUser(res).id, prefs));
});
