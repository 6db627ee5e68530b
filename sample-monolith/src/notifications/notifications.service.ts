import type { Db } from '@shared/db';
import type { AppContext } from '@shared/http';
import { nowIso } from '@shared/utils';
import type { EmailRequest, OutboxEmail, Preferences } from './notifications.types';
import * as repo from './notifications.repository';
import { render, ORDER_TEMPLATES } from './notifications.templates';
import { logMailer } from './notifications.mailer';
// Runtime cycle users <-> notifications (see users.service).
import { getUserById } from '../users/users.service';

const DEFAULT_PREFERENCES: Preferences = { orderUpdates: true, marketing: false };

/** Writes the mail to the outbox in the caller's transaction; a flush sends it later. */
export function enqueueEmail(db: Db, request: EmailRequest): number {
  const user = getUserById(db, request.userId);
  const prefs = getPreferences(db, request.userId);
  const { subject, body } = render(request.template, { name: user.displayName, ...request.data });
  const skipped = ORDER_TEMPLATES.includes(request.template) && !prefs.orderUpdates;
  return repo.insertOutboxEmail(db, { userId: user.id, to: user.email, subject, body, template: request.template, status: skipped ? 'skipped' : 'pending', createdAt: nowIso() });
}

export function notificationsFor(db: Db, userId: number, limit = 50): OutboxEmail[] {
  return repo.listOutboxForUser(db, userId, limit);
}

export function outbox(db: Db, status: string | undefined, limit = 100): OutboxEmail[] {
  return repo.listOutbox(db, status, limit);
}

export function flushOutbox(ctx: AppContext, limit = 100): { sent: number; failed: number } {
  const mailer = logMailer(ctx.logger);
  let sent = 0;
  let failed = 0;
  for (const email of repo.listOutbox(ctx.db, 'pending', limit)) {
    if (mailer.send(ctx.config.mailFrom, email)) {
      repo.markSent(ctx.db, email.id, nowIso());
      sent++;
    } else {
      repo.markAttemptFailed(ctx.db, email.id);
      failed++;
    }
  }
  return { sent, failed };
}

export function getPreferences(db: Db, userId: number): Preferences {
  return repo.findPreferences(db, userId) ?? DEFAULT_PREFERENCES;
}

export function setPreferences(db: Db, userId: number, prefs: Preferences): Preferences {
  repo.upsertPreferences(db, userId, prefs, nowIso());
  return getPreferences(db, userId);
}
