import { percentOf } from '@shared/utils';

/** Prices are shown tax-exclusive; VAT is added on the subtotal, rounded once, half-up. */
export function taxOn(subtotalCents: number, ratePercent: number): number {
  if (ratePercent < 0 || ratePercent > 100) throw new RangeError(`tax rate must be 0..100, got ${ratePercent}`);
  return percentOf(subtotalCents, ratePercent);
}
