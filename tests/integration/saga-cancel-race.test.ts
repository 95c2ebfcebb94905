import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, type EventMessage, type EventName, type OrderView } from '@sweetgiggles/contracts';
import { NotificationClient } from '../../scripts/lib/notification-client.ts';
import { Faults } from '../support/faults.ts';
import { outcomeViolations, sagaViolations } from '../../scripts/lib/saga-rules.ts';
import { ShopClient } from '../support/shop-client.ts';
import { startSystem, type Broker, type RunningSystem } from '../support/system.ts';

const brokers: { broker: Broker; basePort: number }[] = [
  { broker: 'redis', basePort: 23900 },
  { broker: 'rabbitmq', basePort: 26200 },
];

/**
 * When a customer cancels: a moment after placing the order, or as soon as a step of the saga shows
 * on their socket (plus a pause), and how many DELETEs they send at once.
 */
interface Moment {
  after: 'placed' | EventName;
  pauseMs: number;
  requests: number;
  /** An order above the card limit, whose payment is declined while the cancel travels. */
  isDeclined?: true;
}

const moments: Moment[] = [
  { after: 'placed', pauseMs: 0, requests: 1 }, // before the payment is decided
  { after: 'placed', pauseMs: 0, requests: 3 }, // the same cancel sent three times at once
  { after: 'placed', pauseMs: 0, requests: 1, isDeclined: true }, // racing a declined payment
  { after: 'placed', pauseMs: 1500, requests: 1, isDeclined: true }, // as the payment is declined
  { after: 'PaymentAccepted', pauseMs: 0, requests: 1 }, // before the delivery service may have heard of the order
  { after: 'WorkerSearchStarted', pauseMs: 0, requests: 1 }, // while a driver is sought
  { after: 'WorkerSearchCompleted', pauseMs: 0, requests: 1 }, // while the driver answers
  { after: 'WorkerAcceptedJob', pauseMs: 0, requests: 1 }, // as the pick-up begins
  { after: 'WorkerAcceptedJob', pauseMs: 1000, requests: 2 }, // as the pick-up ends
  { after: 'DeliveryStarted', pauseMs: 0, requests: 1 }, // just after the pick-up, before the order service may know
  { after: 'DeliveryCompleted', pauseMs: 0, requests: 1 }, // too late by any account
];
const ordersPerMoment = 3;

/** One order of the run: who placed it, what the customer saw on their socket and what the shop answered. */
interface Watched {
  order: OrderView;
  moment: Moment;
  socket: NotificationClient;
  answers: number[];
}

/** The customer's notifications about the order, each fact once (the notifier numbers each event once). */
function factsOf(watched: Watched): EventMessage[] {
  // The notifier sends the contract's messages (services/contracts/src/notifications.ts).
  const mine = (watched.socket.events as EventMessage[]).filter((e) => e.orderId === watched.order.orderId);
  const byId = new Map(mine.map((e) => [e.id, e]));
  return [...byId.values()];
}

const has = (facts: EventMessage[], name: EventName) => facts.some((fact) => fact.name === name);

/** Whether everything that must follow has arrived: an end, the answer to a request, the refund of a cancelled paid order. */
function isSettled(facts: EventMessage[]): boolean {
  const ended = has(facts, 'OrderCompleted') || has(facts, 'OrderCancelled');
  const answered =
    !has(facts, 'OrderCancellationRequested') || has(facts, 'DeliveryCancelled') || has(facts, 'DeliveryCancellationRefused');
  const refunded = !(has(facts, 'OrderCancelled') && has(facts, 'PaymentAccepted')) || has(facts, 'PaymentRefunded');
  return ended && answered && refunded;
}

describe.each(brokers)('cancellations racing the delivery on $broker', ({ broker, basePort }) => {
  let system: RunningSystem;
  let shop: ShopClient;
  let faults: Faults;

  beforeAll(async () => {
    faults = new Faults(basePort);
    system = await startSystem({
      broker,
      basePort,
      // Every branch happens (declined payments, declined jobs, aborted drives), and the steps a cancel
      // races take long enough to land in, even on a busy machine: the payment's decision, the search
      // for a driver, the pick-up.
      env: {
        PAYMENT_DELAY_MS: '2000',
        WORKER_SEARCH_DELAY_MS: '800',
        WORKER_ANSWER_DELAY_MS: '200',
        PICKUP_DELAY_MS: '1500',
        DRIVE_DELAY_MS: '500',
        PAYMENT_DECLINE_PROBABILITY: '0.15',
        WORKER_DECLINE_PROBABILITY: '0.2',
        DELIVERY_ABORT_PROBABILITY: '0.2',
        SWEETGIGGLES_FAULTS_DIR: faults.dir,
      },
    });
    shop = new ShopClient(system.shopUrl);
  });

  afterAll(async () => {
    await system?.stop();
  });

  /**
   * Asks to cancel as a customer would: a 503 (the shop did not answer in time; the request may
   * still have been taken) is tried again, a few times. Returns every answer.
   */
  async function cancelAsCustomer(orderId: string): Promise<number[]> {
    const answers: number[] = [];
    while (answers.length < 4 && (answers.length === 0 || answers.at(-1) === 503)) answers.push((await shop.cancel(orderId)).status);
    return answers;
  }

  /** Places an order as a customer would on a busy machine: a 503 is tried again with the same Idempotency-Key. */
  async function placeAsCustomer(customerId: string, items: { sku: string; quantity: number }[]): Promise<OrderView> {
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const { status, body } = await shop.post('/api/orders', { customerId, items }, { 'idempotency-key': key });
      if (status === 200 || status === 201) return body as OrderView;
      if (status !== 503 || attempt === 4) throw new Error(`placing an order failed with ${status}: ${JSON.stringify(body)}`);
    }
  }

  /** Places an order for a new customer, follows their socket, and cancels at the moment given. */
  async function placeAndCancel(moment: Moment, i: number): Promise<Watched> {
    const customerId = `race-${broker}-${i}-${randomUUID().slice(0, 8)}`;
    const socket = await NotificationClient.open(system.shopUrl, { customerId });
    const answers: number[] = [];
    const cancel = async () => {
      await delay(moment.pauseMs);
      const all = await Promise.all(Array.from({ length: moment.requests }, () => cancelAsCustomer(order.orderId)));
      answers.push(...all.flat());
    };
    let seen: () => void = () => undefined;
    const triggered = new Promise<void>((resolve) => (seen = resolve));
    socket.socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { type: string; name?: string };
      if (message.type === 'event' && message.name === moment.after) seen();
    });
    const items = moment.isDeclined ? [{ sku: 'chocolate-truffles', quantity: 99 }] : [{ sku: 'gummy-bears', quantity: 1 + (i % 4) }];
    // Orders start a little apart, so the run measures the protocol rather than a burst on two cores.
    await delay(i * 150);
    const order = await placeAsCustomer(customerId, items);
    if (moment.after === 'placed') seen();
    // A trigger that never comes (a declined payment has no driver) cancels nothing.
    void triggered.then(cancel);
    return { order, moment, socket, answers };
  }

  it('never both refunds and delivers an order, and ends each exactly once, wherever the cancel lands', async () => {
    const watched = await Promise.all(
      moments.flatMap((moment, m) => Array.from({ length: ordersPerMoment }, (_, n) => placeAndCancel(moment, m * ordersPerMoment + n))),
    );
    const deadline = Date.now() + 180_000;
    while (!watched.every((w) => isSettled(factsOf(w))) && Date.now() < deadline) await delay(250);
    // Time for anything that should not happen (a drive after a stop, a second answer) to show.
    await delay(4_000);

    const outcomes = new Map<string, number>();
    const note = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    for (const w of watched) {
      const facts = factsOf(w);
      const names = facts.map((fact) => fact.name);
      const about = `order ${w.order.orderId} cancelled after ${w.moment.after}+${w.moment.pauseMs}ms, answers ${w.answers}: ${names}`;
      expect(isSettled(facts), about).toBe(true);
      expect(outcomeViolations(facts), about).toEqual([]);
      const view = await shop.getOrder(w.order.orderId);
      expect(sagaViolations(view.history), `${about}; history ${view.history.map((h) => h.name)}`).toEqual([]);
      expect(view.status, about).toBe(has(facts, 'OrderCompleted') ? 'completed' : 'cancelled');
      for (const answer of w.answers) expect([200, 202, 409, 503], about).toContain(answer);
      if (w.answers.includes(202)) expect(has(facts, 'OrderCancellationRequested'), about).toBe(true);
      if (w.answers.length > 0 && w.answers.every((answer) => answer === 409)) {
        expect(has(facts, 'OrderCancellationRequested'), about).toBe(false);
      }
      if (has(facts, 'DeliveryCancellationRefused')) note('refused, then delivered');
      if (has(facts, 'DeliveryCancelled') && has(facts, 'PaymentRefunded')) note('stopped and refunded');
      if (has(facts, 'PaymentDeclined') && has(facts, 'OrderCancellationRequested')) note('declined while cancelling');
      if (w.answers.includes(409)) note('refused at once');
    }
    // The run went through the outcomes a cancellation can have. A cancel racing a declined payment
    // lands first only when the machine keeps up (the unit tests take both orders); it is checked
    // like every order, but not required.
    const summary = watched.map((w) => `${w.moment.after}+${w.moment.pauseMs}: ${w.answers} ${factsOf(w).map((f) => f.name)}`);
    for (const outcome of ['refused, then delivered', 'stopped and refunded', 'refused at once']) {
      expect(outcomes.get(outcome) ?? 0, `${outcome} in ${JSON.stringify([...outcomes])}\n${summary.join('\n')}`).toBeGreaterThan(0);
    }

    // The broker delivers the requests and answers again: nothing changes, nothing new is published.
    const before = await Promise.all(watched.map((w) => shop.getOrder(w.order.orderId)));
    const factsBefore = watched.map((w) => factsOf(w).length);
    for (const w of watched) {
      for (const fact of factsOf(w)) {
        if (['OrderCancellationRequested', 'DeliveryCancelled', 'DeliveryCancellationRefused'].includes(fact.name)) {
          await redeliver(fact);
        }
      }
    }
    await delay(4_000);
    expect(await Promise.all(watched.map((w) => shop.getOrder(w.order.orderId)))).toEqual(before);
    expect(watched.map((w) => factsOf(w).length)).toEqual(factsBefore);
    for (const w of watched) w.socket.close();
  });

  it.each([
    ['order', 'after-commit:OrderCancellationRequested'],
    ['delivery', 'after-commit:DeliveryCancelled'],
  ] as const)('finishes a cancellation whose %s service died between writing it and publishing it', async (service, point) => {
    const customerId = `race-crash-${broker}-${randomUUID().slice(0, 8)}`;
    const socket = await NotificationClient.open(system.shopUrl, { customerId });
    const order = await placeAsCustomer(customerId, [{ sku: 'lollipop-swirl', quantity: 2 }]);
    const crashed = faults.crashAt(point);
    // The payment is still being decided: the cancel stops the delivery before it starts.
    const answer = await shop.cancel(order.orderId);
    await crashed;
    if (service === 'order') expect(answer.status).toBeGreaterThanOrEqual(500);
    await delay(500);
    await system.revive(service);
    // Nobody asks again: the next event about the order (the payment's decision) makes the order
    // service publish its request again; the broker redelivers the request the delivery service
    // had not acknowledged, and the delivery service publishes the answer it had kept.
    const watched: Watched = { order, moment: { after: 'placed', pauseMs: 0, requests: 1 }, socket, answers: [] };
    const deadline = Date.now() + 150_000;
    while (!isSettled(factsOf(watched)) && Date.now() < deadline) await delay(250);
    const facts = factsOf(watched);
    expect(isSettled(facts), `${facts.map((f) => f.name)}`).toBe(true);
    expect(has(facts, 'OrderCancelled'), `${facts.map((f) => f.name)}`).toBe(true);
    expect(outcomeViolations(facts)).toEqual([]);
    const view = await shop.getOrder(order.orderId);
    expect(view.status).toBe('cancelled');
    expect(sagaViolations(view.history)).toEqual([]);
    socket.close();
  });

  /** Publishes an event again, with its CloudEvent id, through the sidecar of the service that published it. */
  async function redeliver(fact: EventMessage): Promise<void> {
    const name = fact.name;
    const publisher = events[name].topic === 'orders' ? 'order' : 'delivery';
    const response = await fetch(`${system.sidecarUrl(publisher)}/v1.0/publish/pubsub/${events[name].topic}`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', ...system.sidecarHeaders(publisher) },
      body: JSON.stringify({
        specversion: '1.0',
        id: `${fact.orderId}.${name}`,
        source: publisher,
        type: name,
        datacontenttype: 'application/json',
        data: fact.data,
      }),
    });
    expect(response.status).toBe(204);
  }
});
