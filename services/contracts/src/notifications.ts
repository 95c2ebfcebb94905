import type { EventName } from './events.ts';

/**
 * The messages the notifier sends on its WebSocket (`/ws`), documented in docs/asyncapi.yaml. The
 * notifier builds them and the storefront reads them; both take the types from here.
 */

/** One saga event concerning the subscribed customer. */
export interface EventMessage {
  type: 'event';
  /** Unique and increasing per customer: the decimal string of the customer's sequence number. */
  id: string;
  orderId: string;
  name: EventName;
  time: string;
  data: Record<string, unknown>;
}

/** The subscription is in place; any missed events follow, then live ones. */
export interface SubscribedMessage {
  type: 'subscribed';
  customerId: string;
  /** The newest event id the notifier knows for this customer, absent when there is none yet. */
  lastEventId?: string;
  /** True when some events after the client's `lastEventId` are no longer kept and cannot be replayed. */
  truncated: boolean;
}

export const notificationErrorCodes = ['invalid_json', 'invalid_message', 'unsupported_data', 'too_many_messages', 'unavailable'] as const;
export type NotificationErrorCode = (typeof notificationErrorCodes)[number];

/** What the notifier answers a message it cannot take. */
export interface ErrorMessage {
  type: 'error';
  code: NotificationErrorCode;
  message: string;
}

export type ServerMessage = EventMessage | SubscribedMessage | ErrorMessage;
