import { Repository, type VersionedStore } from '@sweetgiggles/platform';
import type { Payment } from './domain/payment.ts';

/** The payments, one record per order (`payment-<orderId>`) with the events its decisions produced. */
export type PaymentRepository = Repository<Payment>;

export const paymentRepository = (store: Pick<VersionedStore, 'get' | 'save'>): PaymentRepository =>
  new Repository<Payment>(store, 'payment');
