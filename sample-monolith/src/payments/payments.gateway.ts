import type { PaymentProvider } from './payments.types';

/**
 * Providers are loaded with require() on first use: the legacy pattern from when each provider
 * pulled in a heavy SDK and most deployments only configured one.
 */
export function loadProvider(name: string): PaymentProvider {
  switch (name) {
    case 'fakecard':
      return (require('./providers/fake-card.provider') as { provider: PaymentProvider }).provider;
    default:
      throw new Error(`Unknown payment provider "${name}"`);
  }
}
