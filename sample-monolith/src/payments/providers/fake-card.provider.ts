import { createHash } from 'node:crypto';
import type { CardInput, ChargeResult, PaymentProvider } from '../payments.types';

function luhnValid(number: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = number.length - 1; i >= 0; i--) {
    let d = number.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Behaves like a card processor's test mode: 4000 0000 0000 0002 is always declined, expired cards too. */
export const provider: PaymentProvider = {
  name: 'fakecard',
  charge(card: CardInput, amountCents: number, idempotencyKey: string): ChargeResult {
    const digits = card.number.replace(/\s+/g, '');
    if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) return { ok: false, reason: 'invalid card number' };
    const now = new Date();
    if (card.expYear < now.getUTCFullYear() || (card.expYear === now.getUTCFullYear() && card.expMonth < now.getUTCMonth() + 1)) {
      return { ok: false, reason: 'card expired' };
    }
    if (digits === '4000000000000002') return { ok: false, reason: 'card declined' };
    const reference = 'fc_' + createHash('sha256').update(`${idempotencyKey}:${amountCents}`).digest('hex').slice(0, 16);
    return { ok: true, reference };
  },
  refund(reference: string): boolean {
    return reference.startsWith('fc_');
  },
};
