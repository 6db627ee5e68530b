import type { AppContext } from '@shared/http';
import type { Db } from '@shared/db';
import { ConflictError, NotFoundError, ValidationError } from '@shared/errors';
import { nowIso, paged, formatCents, type Page, type Paged } from '@shared/utils';
import type { AuthUser } from '../auth/auth.types';
import { computeTotals } from '../pricing';
import type { CheckoutInput, Order, OrderRow, OrderStatus } from './orders.types';
import { canTransition } from './orders.state';
import * as repo from './orders.repository';
import { getCart, clearCart } from '../cart/cart.service';
import { findAddressOf } from '../users/users.service';
import { enqueueEmail } from '../notifications/notifications.service';
// Runtime cycle orders <-> payments: cancelling a paid order refunds it; a captured payment marks the order paid.
import { refundForOrder } from '../payments/payments.service';

function toOrder(db: Db, row: OrderRow): Order {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    items: repo.findOrderItems(db, row.id),
    subtotalCents: row.subtotal_cents,
    taxCents: row.tax_cents,
    shippingCents: row.shipping_cents,
    totalCents: row.total_cents,
    addressId: row.address_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Turns the caller's cart into an order awaiting payment, taking the stock in the same transaction. */
export function placeOrder(ctx: AppContext, user: AuthUser, input: CheckoutInput): Order {
  const { db, config } = ctx;
  const cart = getCart(db, config, user.id);
  if (cart.lines.length === 0) throw new ConflictError('Your cart is empty');
  if (input.addressId !== undefined && !findAddressOf(db, user.id, input.addressId)) {
    throw new ValidationError(`Address ${input.addressId} is not one of yours`, [{ field: 'addressId', problem: 'unknown address' }]);
  }
  const products = repo.productsForCheckout(db, cart.lines.map((l) => l.productId));
  const items = cart.lines.map((line) => {
    const product = products.get(line.productId);
    if (!product || product.active !== 1) throw new ConflictError(`Product ${line.productId} is no longer sold; remove it from your cart`);
    return { productId: product.id, name: product.name, unitPriceCents: product.price_cents, quantity: line.quantity };
  });
  const totals = computeTotals(items, config);

  const orderId = db.transaction(() => {
    for (const item of items) {
      const available = repo.stockOnHand(db, item.productId);
      if (available < item.quantity) throw new ConflictError(`Only ${available} of "${item.name}" left in stock`);
    }
    const now = nowIso();
    const id = repo.insertOrder(db, { userId: user.id, status: 'pending_payment', ...totals, addressId: input.addressId ?? null, now });
    for (const item of items) {
      repo.insertOrderItem(db, id, item);
      repo.insertStockMovement(db, item.productId, -item.quantity, 'sale', id, now);
    }
    clearCart(db, user.id);
    enqueueEmail(db, { userId: user.id, template: 'order_placed', data: { orderId: id, total: formatCents(totals.totalCents) } });
    return id;
  })();
  return getOrderRecord(db, orderId);
}

export function getOrderRecord(db: Db, id: number): Order {
  const row = repo.findOrderRow(db, id);
  if (!row) throw new NotFoundError('Order', id);
  return toOrder(db, row);
}

/** Other people's orders are reported as missing, not forbidden, so ids cannot be probed. */
export function getOrder(db: Db, id: number, user: AuthUser): Order {
  const order = getOrderRecord(db, id);
  if (order.userId !== user.id && user.role !== 'admin') throw new NotFoundError('Order', id);
  return order;
}

export function listOrders(db: Db, userId: number, status: OrderStatus | undefined, page: Page): Paged<Order> {
  const { rows, total } = repo.listOrderRows(db, userId, status, page);
  return paged(rows.map((r) => toOrder(db, r)), page, total);
}

function transition(db: Db, order: Order, to: OrderStatus): void {
  if (!canTransition(order.status, to)) throw new ConflictError(`Order ${order.id} is ${order.status} and cannot become ${to}`);
  repo.updateOrderStatus(db, order.id, to, nowIso());
}

export function cancelOrder(db: Db, user: AuthUser, id: number): Order {
  const order = getOrder(db, id, user);
  db.transaction(() => {
    transition(db, order, 'cancelled');
    if (order.status === 'paid') refundForOrder(db, order.id);
    const now = nowIso();
    for (const item of order.items) repo.insertStockMovement(db, item.productId, item.quantity, 'cancellation', order.id, now);
    enqueueEmail(db, { userId: order.userId, template: 'order_cancelled', data: { orderId: order.id } });
  })();
  return getOrderRecord(db, id);
}

/** Called by payments when a charge is captured. */
export function markOrderPaid(db: Db, orderId: number): Order {
  transition(db, getOrderRecord(db, orderId), 'paid');
  return getOrderRecord(db, orderId);
}

/** Called by payments when an admin refunds a captured payment. */
export function markOrderRefunded(db: Db, orderId: number): void {
  transition(db, getOrderRecord(db, orderId), 'refunded');
}

/** Admin fulfilment: shipped, delivered. */
export function updateStatus(db: Db, id: number, status: OrderStatus): Order {
  const order = getOrderRecord(db, id);
  if (status !== 'shipped' && status !== 'delivered') throw new ValidationError(`Status can only be set to shipped or delivered here, not ${status}`, [{ field: 'status', problem: 'must be shipped or delivered' }]);
  transition(db, order, status);
  if (status === 'shipped') enqueueEmail(db, { userId: order.userId, template: 'order_shipped', data: { orderId: id } });
  return getOrderRecord(db, id);
}
