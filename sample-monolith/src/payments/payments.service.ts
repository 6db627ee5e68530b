import type { Db } from '@shared/db';
import { ConflictError, NotFoundError, PaymentRequiredError } from '@shared/errors';
import { formatCents, nowIso } from '@shared/utils';
import type { AuthUser } from '../auth/auth.types';
import type { CardInput, Payment } from './payments.types';
import * as repo from './payments.repository';
import { loadProvider } from './payments.gateway';
import { enqueueEmail } from '../notifications/notifications.service';
// Runtime cycle payments <-> orders (see orders.service).
import { getOrder, markOrderPaid, markOrderRefunded } from '../orders/orders.service';

const PROVIDER = 'fakecard';

/** Charges the card for the order's total; a decline is recorded and answered with 402. */
export function payForOrder(db: Db, user: AuthUser, orderId: number, card: CardInput): Payment {
  const order = getOrder(db, orderId, user);
  if (order.status !== 'pending_payment') throw new ConflictError(`Order ${orderId} is ${order.status}, not awaiting payment`);
  const provider = loadProvider(PROVIDER);
  const result = provider.charge(card, order.totalCents, `order-${orderId}`);
  const cardLast4 = card.number.replace(/\s+/g, '').slice(-4);
  if (!result.ok) {
    const id = repo.insertPayment(db, { orderId, amountCents: order.totalCents, status: 'declined', provider: provider.name, providerRef: null, cardLast4, failureReason: result.reason, now: nowIso() });
    throw new PaymentRequiredError(`Payment ${id} for order ${orderId} was declined: ${result.reason}`);
  }
  const id = db.transaction(() => {
    const paymentId = repo.insertPayment(db, { orderId, amountCents: order.totalCents, status: 'captured', provider: provider.name, providerRef: result.reference, cardLast4, failureReason: null, now: nowIso() });
    markOrderPaid(db, orderId);
    enqueueEmail(db, { userId: order.userId, template: 'payment_received', data: { orderId, amount: formatCents(order.totalCents) } });
    return paymentId;
  })();
  return repo.findPayment(db, id)!;
}

export function getPayment(db: Db, user: AuthUser, id: number): Payment {
  const payment = repo.findPayment(db, id);
  if (!payment) throw new NotFoundError('Payment', id);
  getOrder(db, payment.orderId, user);
  return payment;
}

export function paymentsForOrder(db: Db, user: AuthUser, orderId: number): Payment[] {
  getOrder(db, orderId, user);
  return repo.listPaymentsForOrder(db, orderId);
}

function refund(db: Db, payment: Payment): void {
  if (!payment.providerRef || !loadProvider(payment.provider).refund(payment.providerRef, payment.amountCents)) {
    throw new ConflictError(`Provider refused to refund payment ${payment.id}`);
  }
  repo.markRefunded(db, payment.id, nowIso());
}

/** Admin refund of a captured payment; the order becomes refunded. */
export function refundPayment(db: Db, id: number): Payment {
  const payment = repo.findPayment(db, id);
  if (!payment) throw new NotFoundError('Payment', id);
  if (payment.status !== 'captured') throw new ConflictError(`Payment ${id} is ${payment.status}; only captured payments can be refunded`);
  db.transaction(() => {
    refund(db, payment);
    markOrderRefunded(db, payment.orderId);
  })();
  return repo.findPayment(db, id)!;
}

/** Called by orders when a paid order is cancelled. */
export function refundForOrder(db: Db, orderId: number): void {
  const payment = repo.findCapturedPayment(db, orderId);
  if (payment) refund(db, payment);
}
