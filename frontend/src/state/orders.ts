import type { EventName, OrderLine, OrderStuck, OrderView } from '@sweetgiggles/contracts';
import { impliedStatus, isCancellableStatus, isTerminalStatus, statusRank, type OrderStatus } from '@sweetgiggles/contracts/rules';

/** One step of an order's timeline: a saga event, with its details when a notification brought them. */
export interface TimelineStep {
  name: EventName;
  time: string;
  data?: Record<string, unknown>;
}

/** An order as the storefront shows it. */
export interface OrderState {
  orderId: string;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  createdAt: string;
  cancellable: boolean;
  steps: TimelineStep[];
  isCancelling: boolean;
  /** Something the customer should know about this order (a cancel that came too late, say). */
  problem?: string;
  /** Set while the shop API says the order is held up by an event the shop could not handle. */
  stuck?: OrderStuck;
}

/** What the customer is told when the delivery service refused their cancellation. */
export const tooLateToCancel = 'Too late to cancel: this order is already on its way.';

function advance(current: OrderStatus, next: OrderStatus | undefined): OrderStatus {
  if (!next || isTerminalStatus(current)) return current;
  return statusRank[next] > statusRank[current] || isTerminalStatus(next) ? next : current;
}

/** An order the storefront has heard of only through a notification, until the shop API tells more. */
export function unknownOrder(orderId: string, time: string): OrderState {
  return { orderId, status: 'created', items: [], totalCents: 0, createdAt: time, cancellable: false, steps: [], isCancelling: false };
}

/** Adds steps not seen yet (a step is its name and time), keeping the timeline in time order. */
function withSteps(existing: readonly TimelineStep[], added: readonly TimelineStep[]): TimelineStep[] {
  const byKey = new Map(existing.map((step) => [`${step.name}@${step.time}`, step]));
  for (const step of added) {
    const key = `${step.name}@${step.time}`;
    const known = byKey.get(key);
    byKey.set(key, known?.data ? known : step);
  }
  return [...byKey.values()].sort((a, b) => a.time.localeCompare(b.time));
}

/** Folds what the shop API says about an order into what the storefront knew. */
export function mergeView(order: OrderState | undefined, view: OrderView): OrderState {
  const status = order ? advance(view.status, order.status) : view.status;
  return {
    orderId: view.orderId,
    status,
    items: view.items,
    totalCents: view.totalCents,
    createdAt: view.createdAt,
    cancellable: view.cancellable && isCancellableStatus(status),
    steps: withSteps(order?.steps ?? [], view.history),
    isCancelling: order?.isCancelling ?? false,
    ...(order?.problem ? { problem: order.problem } : {}),
    ...(view.stuck ? { stuck: view.stuck } : {}),
  };
}

/**
 * Applies one notification to an order: a new timeline step and, maybe, a new status. A step that
 * happened after the order got stuck means it moves again.
 */
export function applyStep(order: OrderState, step: TimelineStep): OrderState {
  const status = advance(order.status, impliedStatus(step.name));
  const { stuck, ...rest } = order;
  const stillStuck = stuck && step.time <= stuck.since ? { stuck } : {};
  const items = order.items.length === 0 && Array.isArray(step.data?.['items']) ? (step.data['items'] as OrderLine[]) : order.items;
  const totalCents = order.totalCents === 0 && typeof step.data?.['totalCents'] === 'number' ? step.data['totalCents'] : order.totalCents;
  return {
    ...rest,
    ...stillStuck,
    status,
    items,
    totalCents,
    cancellable: order.cancellable && isCancellableStatus(status),
    steps: withSteps(order.steps, [step]),
    ...(step.name === 'DeliveryCancellationRefused' ? { problem: tooLateToCancel } : {}),
  };
}
