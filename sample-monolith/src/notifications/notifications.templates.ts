import type { TemplateName } from './notifications.types';

interface Rendered {
  subject: string;
  body: string;
}

type Data = Record<string, string | number>;

const TEMPLATES: Record<TemplateName, (d: Data) => Rendered> = {
  welcome: (d) => ({ subject: 'Welcome to the shop', body: `Hi ${d.name}, thanks for joining. Happy shopping!` }),
  order_placed: (d) => ({ subject: `Order #${d.orderId} received`, body: `Hi ${d.name}, we got your order #${d.orderId} for ${d.total}. Pay to confirm it.` }),
  payment_received: (d) => ({ subject: `Payment for order #${d.orderId} received`, body: `Hi ${d.name}, we received ${d.amount} for order #${d.orderId}. It ships soon.` }),
  order_shipped: (d) => ({ subject: `Order #${d.orderId} shipped`, body: `Hi ${d.name}, order #${d.orderId} is on its way.` }),
  order_cancelled: (d) => ({ subject: `Order #${d.orderId} cancelled`, body: `Hi ${d.name}, order #${d.orderId} was cancelled. Any payment is refunded.` }),
};

/** Order and payment mails are transactional; only these honour the order-updates preference. */
export const ORDER_TEMPLATES: readonly TemplateName[] = ['order_placed', 'payment_received', 'order_shipped', 'order_cancelled'];

export function render(template: TemplateName, data: Data): Rendered {
  return TEMPLATES[template](data);
}
