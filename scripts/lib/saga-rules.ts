import type { EventName } from '@sweetgiggles/contracts';

/** The saga's events when nothing goes wrong, in order. */
export const happyPath: readonly EventName[] = [
  'OrderCreated',
  'PaymentAccepted',
  'WorkerSearchStarted',
  'WorkerSearchCompleted',
  'WorkerAcceptedJob',
  'DeliveryStarted',
  'DeliveryCompleted',
  'OrderCompleted',
];

type Names = readonly EventName[];
const counter = (names: Names) => (name: EventName) => names.filter((n) => n === name).length;

/**
 * Checks every fact ever published about one order (each event once, as the notifier's customer
 * history numbers them, in any order), returning every rule it breaks. These rules hold whatever
 * subset of the facts one observer has seen, so they also hold for the order's own history.
 * Written independently of the services' code, as a customer-facing specification.
 */
export function outcomeViolations(facts: { name: EventName }[]): string[] {
  const names = facts.map((fact) => fact.name);
  const count = counter(names);
  const problems: string[] = [];
  const terminals = count('OrderCompleted') + count('OrderCancelled');
  const isDelivered = count('DeliveryStarted') + count('DeliveryCompleted') + count('OrderCompleted') > 0;
  const byCustomer = count('OrderCancelled') === 1 && count('PaymentDeclined') === 0;

  if (terminals !== 1) problems.push(`expected exactly one terminal event, found ${terminals}`);
  if (count('PaymentAccepted') + count('PaymentDeclined') > 1) problems.push('the payment was decided more than once');
  if (count('PaymentRefunded') > 0 && (count('OrderCancelled') !== 1 || count('PaymentAccepted') !== 1 || count('PaymentRefunded') !== 1)) {
    problems.push('a refund needs one accepted payment and a cancelled order, and happens once');
  }
  if (count('PaymentRefunded') > 0 && isDelivered) problems.push('the order was both refunded and (being) delivered');
  if (count('OrderCancelled') === 1 && count('DeliveryStarted') + count('DeliveryCompleted') > 0) {
    problems.push('a cancelled order was picked up or delivered');
  }
  // A customer's cancellation: one request, one answer from the delivery service, and the order is
  // cancelled only when that answer stopped the delivery.
  if (count('OrderCancellationRequested') > 1) problems.push('the cancellation was requested more than once');
  const answers = count('DeliveryCancelled') + count('DeliveryCancellationRefused');
  if (answers > 1) problems.push(`the delivery service answered a cancellation ${answers} times`);
  if (answers > 0 && count('OrderCancellationRequested') === 0)
    problems.push('the delivery service answered a cancellation nobody requested');
  if (byCustomer && count('DeliveryCancelled') === 0) problems.push('cancelled for the customer without the delivery service stopping it');
  if (count('DeliveryCancelled') > 0 && isDelivered) problems.push('the delivery was stopped and yet went on');
  if (count('DeliveryCancellationRefused') > 0 && count('OrderCancelled') > 0)
    problems.push('cancelled although the cancellation was refused');
  return problems;
}

/**
 * Checks an order's history (as the order service shows it) against the saga of DESIGN.md,
 * returning every rule it breaks (none for a valid history): the rules of every outcome, and those
 * of the order's own record.
 */
export function sagaViolations(history: { name: EventName }[]): string[] {
  const names = history.map((entry) => entry.name);
  const count = counter(names);
  const index = (name: EventName) => names.indexOf(name);
  const problems = outcomeViolations(history);

  if (names[0] !== 'OrderCreated') problems.push('the history does not start with OrderCreated');
  if (count('OrderCreated') !== 1) problems.push('OrderCreated is not recorded exactly once');
  if (count('OrderCompleted') === 1) {
    for (const needed of ['PaymentAccepted', 'WorkerSearchStarted', 'WorkerAcceptedJob', 'DeliveryStarted', 'DeliveryCompleted'] as const) {
      if (count(needed) === 0) problems.push(`completed without ${needed}`);
    }
    if (count('DeliveryCompleted') !== 1) problems.push('DeliveryCompleted is not recorded exactly once');
    if (index('OrderCompleted') !== names.length - 1) problems.push('events follow OrderCompleted');
  }
  if (count('PaymentDeclined') === 1 && (count('OrderCancelled') !== 1 || count('WorkerSearchStarted') > 0)) {
    problems.push('a declined payment must cancel the order before any delivery');
  }
  if (count('OrderCancelled') === 1 && count('PaymentDeclined') === 0 && index('DeliveryCancelled') > index('OrderCancelled')) {
    problems.push('cancelled for the customer before the delivery service stopped the delivery');
  }
  // Every new search follows a declined job or an aborted delivery.
  const searches = count('WorkerSearchStarted');
  const retries = count('WorkerDeclinedJob') + count('DeliveryAborted');
  if (searches > 0 && searches !== retries + 1 && searches !== retries)
    problems.push(`${searches} searches for ${retries} declines and aborts`);
  return problems;
}

/** What happens at most once to an order, whatever is redelivered or retried: its creation, its charge or decline, its refund, its delivery and its end. */
const onceOnly: readonly EventName[] = [
  'OrderCreated',
  'PaymentAccepted',
  'PaymentDeclined',
  'PaymentRefunded',
  'DeliveryCompleted',
  'OrderCompleted',
  'OrderCancelled',
];

/**
 * The facts about one order that happened more than once, from any observer's record of them (the
 * order's history, or the events the notifier recorded, each id once): a second charge, refund,
 * delivery or end. None for an order that went through exactly once, however often it was retried.
 */
export function duplicatedFacts(facts: { name: EventName }[]): string[] {
  const count = counter(facts.map((fact) => fact.name));
  const problems = onceOnly.filter((name) => count(name) > 1).map((name) => `${name} ×${count(name)}`);
  if (count('OrderCompleted') > 0 && count('OrderCancelled') > 0) problems.push('both OrderCompleted and OrderCancelled');
  if (count('PaymentAccepted') > 0 && count('PaymentDeclined') > 0) problems.push('both PaymentAccepted and PaymentDeclined');
  return problems;
}
