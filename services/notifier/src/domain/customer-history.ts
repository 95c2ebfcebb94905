import type { EventName } from '@sweetgiggles/contracts';
import type { Decision } from '@sweetgiggles/platform';

/** A saga event as the notifier keeps it for one customer, numbered in the order it was recorded. */
export interface Notification {
  /** The customer's sequence number: 1, 2, 3, … with no gaps, the same on every replica. */
  seq: number;
  /** The CloudEvent id, the same on every redelivery: how a duplicate is recognised. */
  eventId: string;
  orderId: string;
  name: EventName;
  /** When the fact happened (the event's `occurredAt`). */
  time: string;
  data: Record<string, unknown>;
}

/** What is recorded about a saga event before it has a sequence number. */
export type IncomingEvent = Omit<Notification, 'seq'>;

/**
 * One customer's recent notifications, oldest first. `lastSeq` outlives the entries that are trimmed
 * away, so numbering never restarts while the record exists.
 */
export interface CustomerHistory {
  lastSeq: number;
  entries: Notification[];
}

export const emptyHistory: CustomerHistory = { lastSeq: 0, entries: [] };

/** The most a customer's kept notifications may weigh, as JSON, by default: one state-store record stays small. */
export const defaultHistoryMaxBytes = 256 * 1024;

/**
 * A decision about one customer's history: its new version, and the notification the recorded event
 * became. The notifier publishes nothing, so `events` is always empty.
 */
export interface HistoryDecision extends Decision<CustomerHistory> {
  notification: Notification;
}

/** The notification of an event `history` holds, by the event's id. */
export function findNotification(history: CustomerHistory, eventId: string): Notification | undefined {
  return history.entries.find((entry) => entry.eventId === eventId);
}

/**
 * Records `event` in `history` with the next sequence number, keeping at most `limit` entries and at
 * most `maxBytes` of them as JSON (the oldest go first; the newest is always kept). Undefined when the
 * event is there already (a redelivery): it keeps its number (see `findNotification`).
 */
export function recordEvent(
  history: CustomerHistory,
  event: IncomingEvent,
  limit: number,
  maxBytes = defaultHistoryMaxBytes,
): HistoryDecision | undefined {
  if (findNotification(history, event.eventId)) return undefined;
  const notification: Notification = { seq: history.lastSeq + 1, ...event };
  const entries = keepWithin([...history.entries, notification].slice(-Math.max(1, limit)), maxBytes);
  return { state: { lastSeq: notification.seq, entries }, events: [], notification };
}

/** The newest entries whose JSON array fits in `maxBytes`, and at least the newest one. */
function keepWithin(entries: Notification[], maxBytes: number): Notification[] {
  let bytes = 2;
  let first = entries.length;
  while (first > 0) {
    const size = Buffer.byteLength(JSON.stringify(entries[first - 1])) + 1;
    if (first < entries.length && bytes + size > maxBytes) break;
    bytes += size;
    first -= 1;
  }
  return entries.slice(first);
}

/**
 * The notifications after sequence number `seq`, oldest first. `isTruncated` says that some of them
 * are no longer kept (the history was trimmed past them), so the reader missed events it cannot replay.
 */
export function notificationsAfter(history: CustomerHistory, seq: number): { notifications: Notification[]; isTruncated: boolean } {
  const notifications = history.entries.filter((entry) => entry.seq > seq);
  const oldestKept = history.entries[0]?.seq ?? history.lastSeq + 1;
  return { notifications, isTruncated: seq < history.lastSeq && oldestKept > seq + 1 };
}
