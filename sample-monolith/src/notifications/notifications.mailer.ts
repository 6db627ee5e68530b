import type { Logger } from '@shared/logger';
import type { OutboxEmail } from './notifications.types';

/** The SMTP relay was never wired up in this codebase; "sending" means logging the mail as JSON. */
export interface Mailer {
  send(from: string, email: OutboxEmail): boolean;
}

export function logMailer(logger: Logger): Mailer {
  return {
    send(from, email) {
      logger.info('email sent', { from, to: email.to, subject: email.subject, outboxId: email.id });
      return true;
    },
  };
}
