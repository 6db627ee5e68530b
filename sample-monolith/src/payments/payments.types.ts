export type PaymentStatus = 'captured' | 'declined' | 'refunded';

export interface Payment {
  id: number;
  orderId: number;
  amountCents: number;
  status: PaymentStatus;
  provider: string;
  providerRef: string | null;
  cardLast4: string | null;
  failureReason: string | null;
  createdAt: string;
  refundedAt: string | null;
}

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export type ChargeResult = { ok: true; reference: string } | { ok: false; reason: string };

/** What every payment provider module exports as `provider`. */
export interface PaymentProvider {
  name: string;
  charge(card: CardInput, amountCents: number, idempotencyKey: string): ChargeResult;
  refund(reference: string, amountCents: number): boolean;
}
