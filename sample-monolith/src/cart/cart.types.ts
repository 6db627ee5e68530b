import type { Totals } from '../pricing/pricing.types';

export interface CartLine {
  productId: number;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
  active: boolean;
}

export interface Cart {
  userId: number;
  lines: CartLine[];
  itemCount: number;
  totals: Totals;
}
