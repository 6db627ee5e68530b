/** Flat-rate shipping, free above a threshold; an empty order ships nothing. */
export function shippingFor(subtotalCents: number, flatCents: number, freeAboveCents: number): number {
  if (subtotalCents === 0) return 0;
  return subtotalCents >= freeAboveCents ? 0 : flatCents;
}
