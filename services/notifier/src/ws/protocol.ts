import { z } from 'zod';
import {
  customerIdSchema,
  notificationErrorCodes,
  type ErrorMessage,
  type EventMessage,
  type ServerMessage,
  type SubscribedMessage,
} from '@sweetgiggles/contracts';
import type { Notification } from '../domain/customer-history.ts';

/**
 * The WebSocket protocol at `/ws`, documented in docs/asyncapi.yaml. A client sends `subscribe`; the
 * notifier answers `subscribed`, replays what the client missed, then pushes `event`s as they happen.
 */
export const eventIdSchema = z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'must be an event id the notifier sent (a decimal number)');

export const subscribeMessageSchema = z.strictObject({
  type: z.literal('subscribe'),
  customerId: customerIdSchema,
  /** The id of the last event the client received: the notifier first sends every later one. */
  lastEventId: eventIdSchema.optional(),
});

export const clientMessageSchema = z.discriminatedUnion('type', [subscribeMessageSchema]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const errorCodes = notificationErrorCodes;
export type { ErrorMessage, EventMessage, ServerMessage, SubscribedMessage };

export function toEventMessage(notification: Notification): EventMessage {
  const { seq, orderId, name, time, data } = notification;
  return { type: 'event', id: String(seq), orderId, name, time, data };
}

/** Parses one text frame, or says in words a developer understands what is wrong with it. */
export function parseClientMessage(text: string): { ok: true; message: ClientMessage } | { ok: false; error: ErrorMessage } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: { type: 'error', code: 'invalid_json', message: 'the message is not valid JSON' } };
  }
  const result = clientMessageSchema.safeParse(json);
  if (result.success) return { ok: true, message: result.data };
  return { ok: false, error: { type: 'error', code: 'invalid_message', message: z.prettifyError(result.error).replace(/\n/g, '; ') } };
}
