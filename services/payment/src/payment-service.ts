import { randomUUID } from 'node:crypto';
import type { EventData } from '@sweetgiggles/contracts';
import { jitter, sleep, type Logger, type Random, type StepRunner } from '@sweetgiggles/platform';
import { cancelPayment, charge, type PaymentRules } from './domain/payment.ts';
import type { PaymentMetrics } from './metrics.ts';
import type { PaymentRepository } from './payment-repository.ts';

export interface PaymentServiceDeps {
  payments: PaymentRepository;
  steps: StepRunner;
  rules: PaymentRules;
  random: Random;
  clock: () => Date;
  /** Mean time the simulated card network takes to decide. */
  decisionDelayMs: number;
  metrics: PaymentMetrics;
}

/** Charges new orders and refunds cancelled ones, at most once per order whatever the redeliveries. */
export class PaymentService {
  readonly #deps: PaymentServiceDeps;

  constructor(deps: PaymentServiceDeps) {
    this.#deps = deps;
  }

  async onOrderCreated(order: EventData<'OrderCreated'>, eventId: string, log: Logger): Promise<void> {
    const { payments, steps, rules, random, clock, decisionDelayMs, metrics } = this.#deps;
    const { decision } = await steps.run(payments, order.orderId, eventId, async (existing) => {
      if (existing) return undefined;
      await sleep(jitter(random, decisionDelayMs));
      return charge(order, rules, random, randomUUID(), clock().toISOString());
    });
    if (!decision) {
      log.debug('order already charged, voided or declined');
      return;
    }
    metrics.payments.inc({ outcome: decision.state.status });
    log.info({ outcome: decision.events[0]?.name, amountCents: decision.state.amountCents }, 'payment decided');
  }

  async onOrderCancelled(cancelled: EventData<'OrderCancelled'>, eventId: string, log: Logger): Promise<void> {
    const { payments, steps, clock, metrics } = this.#deps;
    const { decision } = await steps.run(payments, cancelled.orderId, eventId, (existing) =>
      cancelPayment(existing, cancelled, clock().toISOString()),
    );
    if (decision?.state.status === 'refunded') {
      metrics.refunds.inc();
      log.info({ amountCents: decision.state.amountCents }, 'payment refunded');
    } else if (decision) {
      log.info('order cancelled before payment, voided');
    }
  }
}
