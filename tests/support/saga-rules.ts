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

/**
 * Checks an order's history against the saga of DESIGN.md, returning every rule it breaks (none for
 * a valid history). Written independently of the services' code, as a customer-facing specification.
 */
export function sagaViolations(history: { name: EventName }[]): string[] {
  const names = history.map((entry) => entry.name);
  const problems: string[] = [];
  const count = (name: EventName) => names.filter((n) => n === name).length;
  const index = (name: EventName) => names.indexOf(name);
  const terminals = count('OrderCompleted') + count('OrderCancelled');

  if (names[0] !== 'OrderCreated') problems.push('the history does not start with OrderCreated');
  if (count('OrderCreated') !== 1) problems.push('OrderCreated is not recorded exactly once');
  if (terminals !== 1) problems.push(`expected exactly one terminal event, found ${terminals}`);
  if (count('PaymentAccepted') + count('PaymentDeclined') > 1) problems.push('the payment was decided more than once');
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
  if (count('PaymentRefunded') > 0 && (count('OrderCancelled') !== 1 || count('PaymentAccepted') !== 1 || count('PaymentRefunded') !== 1)) {
    problems.push('a refund needs one accepted payment and a cancelled order, and happens once');
  }
  if (count('OrderCancelled') === 1 && count('DeliveryCompleted') > 0) problems.push('a cancelled order was delivered');
  // Every new search follows a declined job or an aborted delivery.
  const searches = count('WorkerSearchStarted');
  const retries = count('WorkerDeclinedJob') + count('DeliveryAborted');
  if (searches > 0 && searches !== retries + 1 && searches !== retries)
    problems.push(`${searches} searches for ${retries} declines and aborts`);
  return problems;
}
