export * from './payments.router';
export type { Payment, PaymentProvider } from './payments.types';
