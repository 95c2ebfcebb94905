import { randomUUID } from 'node:crypto';
import type { EventData } from '@sweetgiggles/contracts';
import { KeyedLock, jitter, sleep, type Logger, type Random, type VersionedStore } from '@sweetgiggles/platform';
import { charge, onCancelled, type Payment, type PaymentRules } from './domain/payment.ts';
import type { PaymentMetrics } from './metrics.ts';

export interface PaymentServiceDeps {
  /** The `paymentstore` state store, whose outbox publishes to the `payments` topic. */
  store: VersionedStore;
  rules: PaymentRules;
  random: Random;
  clock: () => Date;
  /** Mean time the simulated card network takes to decide. */
  decisionDelayMs: number;
  metrics: PaymentMetrics;
}

const key = (orderId: string) => `payment-${orderId}`;

/** Charges new orders and refunds cancelled ones, at most once per order whatever the redeliveries. */
export class PaymentService {
  readonly #deps: PaymentServiceDeps;
  readonly #lock = new KeyedLock();

  constructor(deps: PaymentServiceDeps) {
    this.#deps = deps;
  }

  async onOrderCreated(order: EventData<'OrderCreated'>, log: Logger): Promise<void> {
    const { store, rules, random, clock, decisionDelayMs, metrics } = this.#deps;
    await this.#lock.run(order.orderId, async () => {
      if (await store.get<Payment>(key(order.orderId))) {
        log.debug('order already charged, voided or declined');
        return;
      }
      await sleep(jitter(random, decisionDelayMs));
      const { payment, event } = charge(order, rules, random, randomUUID(), clock().toISOString());
      await store.commit(key(order.orderId), payment, undefined, event);
      metrics.payments.inc({ outcome: payment.status });
      log.info({ outcome: event.name, amountCents: payment.amountCents }, 'payment decided');
    });
  }

  async onOrderCancelled(cancelled: EventData<'OrderCancelled'>, log: Logger): Promise<void> {
    const { store, clock, metrics } = this.#deps;
    await this.#lock.run(cancelled.orderId, async () => {
      const existing = await store.get<Payment>(key(cancelled.orderId));
      const decision = onCancelled(existing?.value, cancelled, clock().toISOString());
      if (decision.kind === 'refund') {
        await store.commit(key(cancelled.orderId), decision.payment, existing?.etag, decision.event);
        metrics.refunds.inc();
        log.info({ amountCents: decision.payment.amountCents }, 'payment refunded');
      } else if (decision.kind === 'void') {
        await store.save(key(cancelled.orderId), decision.payment, undefined);
        log.info('order cancelled before payment, voided');
      }
    });
  }
}
