export interface PriceLine {
  unitPriceCents: number;
  quantity: number;
}

export interface Totals {
  subtotalCents: number;
  taxCents: number;
  shippingCents: number;
  totalCents: number;
}

export interface PricingRules {
  taxRatePercent: number;
  freeShippingThresholdCents: number;
  shippingFlatCents: number;
}
