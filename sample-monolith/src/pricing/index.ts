export * from './totals';
export * from './tax';
export * from './shipping';
export type { PriceLine, PricingRules, Totals } from './pricing.types';
