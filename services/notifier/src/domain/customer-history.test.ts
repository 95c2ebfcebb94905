import { describe, expect, test } from 'vitest';
import {
  emptyHistory,
  findNotification,
  notificationsAfter,
  recordEvent,
  type CustomerHistory,
  type IncomingEvent,
} from './customer-history.ts';

const event = (eventId: string): IncomingEvent => ({
  eventId,
  orderId: 'order-1',
  name: 'OrderCreated',
  time: '2026-11-25T10:00:00.000Z',
  data: {},
});

function recordAll(ids: string[], limit = 10): CustomerHistory {
  return ids.reduce((history, id) => recordEvent(history, event(id), limit)?.state ?? history, emptyHistory);
}

describe('recordEvent', () => {
  test('keeps a customer’s history within a byte budget, dropping the oldest first', () => {
    const big = (eventId: string): IncomingEvent => ({ ...event(eventId), data: { note: 'x'.repeat(1_000) } });
    let history = emptyHistory;
    for (let i = 1; i <= 20; i++) history = recordEvent(history, big(`e${i}`), 200, 5_000)!.state;
    expect(Buffer.byteLength(JSON.stringify(history.entries))).toBeLessThanOrEqual(5_000);
    expect(history.entries.length).toBeGreaterThan(1);
    expect(history.entries.at(-1)?.eventId).toBe('e20');
    expect(history.lastSeq).toBe(20);
    const huge = recordEvent(history, { ...event('huge'), data: { note: 'y'.repeat(10_000) } }, 200, 5_000)!.state;
    expect(huge.entries.map((entry) => entry.eventId)).toEqual(['huge']);
  });

  test('numbers a customer’s events 1, 2, 3 in the order they are recorded', () => {
    const history = recordAll(['a', 'b', 'c']);
    expect(history.entries.map((entry) => [entry.eventId, entry.seq])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(history.lastSeq).toBe(3);
  });

  test('a redelivered event keeps its number and changes nothing', () => {
    const history = recordAll(['a', 'b']);
    expect(recordEvent(history, event('a'), 10)).toBeUndefined();
    expect(findNotification(history, 'a')?.seq).toBe(1);
  });

  test('keeps only the newest entries but never reuses a number', () => {
    const history = recordAll(['a', 'b', 'c', 'd'], 2);
    expect(history.entries.map((entry) => entry.seq)).toEqual([3, 4]);
    const recorded = recordEvent(history, event('e'), 2);
    expect(recorded?.notification.seq).toBe(5);
    expect(recorded?.events).toEqual([]);
    expect(recorded?.state.entries.at(-1)).toBe(recorded?.notification);
  });
});

describe('notificationsAfter', () => {
  test('returns what the reader has not seen, oldest first', () => {
    const { notifications, isTruncated } = notificationsAfter(recordAll(['a', 'b', 'c']), 1);
    expect(notifications.map((entry) => entry.eventId)).toEqual(['b', 'c']);
    expect(isTruncated).toBe(false);
  });

  test('says so when the reader is further behind than the history reaches', () => {
    const history = recordAll(['a', 'b', 'c', 'd'], 2);
    expect(notificationsAfter(history, 1).isTruncated).toBe(true);
    expect(notificationsAfter(history, 2).isTruncated).toBe(false);
    expect(notificationsAfter(history, 4)).toEqual({ notifications: [], isTruncated: false });
  });
});
