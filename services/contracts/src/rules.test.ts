import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventNames } from './events.ts';
import {
  impliedStatus,
  isCancellableStatus,
  isCustomerId,
  isOrderId,
  isTerminalStatus,
  maxLinesPerOrder,
  maxQuantityPerLine,
  orderStatuses,
  progressProvedBy,
  statusRank,
  statusSetBy,
} from './rules.ts';
import { customerIdSchema, orderIdSchema, placeOrderRequestSchema } from './shop-api.ts';

describe('the saga’s status rules', () => {
  it('rank the statuses in the order they are listed, the two ends last and equal', () => {
    const ranks = orderStatuses.map((status) => statusRank[status]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(statusRank.completed).toBe(statusRank.cancelled);
    expect(Math.max(...ranks)).toBe(statusRank.completed);
    expect(new Set(ranks).size).toBe(orderStatuses.length - 1);
  });

  it('say that only completed and cancelled orders have ended', () => {
    expect(orderStatuses.filter(isTerminalStatus)).toEqual(['completed', 'cancelled']);
  });

  it('let an order be cancelled only until a driver is known to have it', () => {
    expect(orderStatuses.filter(isCancellableStatus)).toEqual(['created', 'paid']);
  });

  it('name only events of the contracts, and never let a payment or delivery event end an order', () => {
    for (const name of [...Object.keys(progressProvedBy), ...Object.keys(statusSetBy)]) expect(eventNames).toContain(name);
    for (const status of Object.values(progressProvedBy)) expect(isTerminalStatus(status)).toBe(false);
    expect(Object.keys(statusSetBy).every((name) => name.startsWith('Order'))).toBe(true);
  });

  it('imply the status an order event sets before what the saga proves', () => {
    expect(impliedStatus('OrderCancelled')).toBe('cancelled');
    expect(impliedStatus('OrderCompleted')).toBe('completed');
    expect(impliedStatus('OrderCancellationRequested')).toBe('cancelling');
    expect(impliedStatus('PaymentAccepted')).toBe('paid');
    expect(impliedStatus('DeliveryStarted')).toBe('delivering');
    expect(impliedStatus('DeliveryCancellationRefused')).toBe('delivering');
    expect(impliedStatus('OrderCreated')).toBeUndefined();
    expect(impliedStatus('PaymentDeclined')).toBeUndefined();
    expect(impliedStatus('PaymentRefunded')).toBeUndefined();
  });
});

describe('the id formats', () => {
  it.each(['c-1', 'A_b-9', 'x'.repeat(64)])('accept the customer id %s, as the shop API does', (id) => {
    expect(isCustomerId(id)).toBe(true);
    expect(customerIdSchema.safeParse(id).success).toBe(true);
  });

  it.each(['', 'x'.repeat(65), 'a b', 'a/b', 'ü', 'a\n'])('refuse the customer id %j, as the shop API does', (id) => {
    expect(isCustomerId(id)).toBe(false);
    expect(customerIdSchema.safeParse(id).success).toBe(false);
  });

  it('accept a lower-case UUID as an order id and nothing else, as the shop API does', () => {
    for (const id of ['6f1c2a8e-8c1b-4c3e-9a7d-0b5e4f3a2c1d']) {
      expect(isOrderId(id)).toBe(true);
      expect(orderIdSchema.safeParse(id).success).toBe(true);
    }
    for (const id of ['6F1C2A8E-8C1B-4C3E-9A7D-0B5E4F3A2C1D', '6f1c2a8e', '../orders', '']) {
      expect(isOrderId(id)).toBe(false);
      expect(orderIdSchema.safeParse(id).success).toBe(false);
    }
  });
});

describe('the cart limits', () => {
  const request = (lines: number, quantity: number) => ({
    customerId: 'c-1',
    items: Array.from({ length: lines }, (_, index) => ({ sku: `sku-${index}`, quantity })),
  });

  it('are the ones the shop API enforces', () => {
    expect(placeOrderRequestSchema.safeParse(request(maxLinesPerOrder, maxQuantityPerLine)).success).toBe(true);
    expect(placeOrderRequestSchema.safeParse(request(maxLinesPerOrder + 1, 1)).success).toBe(false);
    expect(placeOrderRequestSchema.safeParse(request(1, maxQuantityPerLine + 1)).success).toBe(false);
  });
});

describe('the rules entry point', () => {
  it('imports nothing at run time, so the storefront can load it without zod', () => {
    const source = readFileSync(new URL('./rules.ts', import.meta.url), 'utf8');
    const imports = source.split('\n').filter((line) => /^\s*(import|export)\b.*\bfrom\b/.test(line));
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports) expect(line).toMatch(/^import type /);
  });
});
