export { notificationsRouter } from './notifications.router';
export { enqueueEmail, flushOutbox } from './notifications.service';
