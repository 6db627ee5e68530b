export * from './cart.router';
export { getCart, clearCart } from './cart.service';
