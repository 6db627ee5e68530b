import { sumCents } from '@shared/utils';
import type { PriceLine, PricingRules, Totals } from './pricing.types';
import { taxOn } from './tax';
import { shippingFor } from './shipping';

export function computeTotals(lines: PriceLine[], rules: PricingRules): Totals {
  const subtotalCents = sumCents(lines.map((l) => l.unitPriceCents * l.quantity));
  const taxCents = taxOn(subtotalCents, rules.taxRatePercent);
  const shippingCents = shippingFor(subtotalCents, rules.shippingFlatCents, rules.freeShippingThresholdCents);
  return { subtotalCents, taxCents, shippingCents, totalCents: subtotalCents + taxCents + shippingCents };
}
