export { ordersRouter } from './orders.router';
export { getOrder, listOrders } from './orders.service';
export type { Order, OrderItem, OrderStatus } from './orders.types';
