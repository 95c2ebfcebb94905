import { z } from 'zod';
import type { EventName, Topic } from './events.ts';

/**
 * CloudEvent ids as a dead letter may carry them: the saga's own (`<orderId>.<EventName>[.<attempt>]`)
 * or any other short id. Anything else is refused before it reaches a state key or a log line.
 */
export const deadLetterIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be a CloudEvent id');

/** The most dead letters the order service keeps parked, and so the most one listing returns. */
export const maxParkedDeadLetters = 1000;

/**
 * A saga event whose retries ran out, parked by the order service until an operator replays it.
 * Dapr forwards a dead letter without saying which subscriber gave up or why, so `reason` is what
 * can be known: `retries exhausted`.
 */
export interface ParkedDeadLetter {
  /** The CloudEvent id: the key of the park, and the id the replay publishes it with again. */
  id: string;
  type: EventName;
  orderId: string;
  /** The topic it was published on, where a replay publishes it again. */
  topic: Topic;
  /** The app that published it (the CloudEvent `source`), when the message said. */
  source: string | null;
  parkedAt: string;
  reason: string;
  /** The event's data, as it was published. */
  data: unknown;
}

/** A parked dead letter as `GET /operator/dead-letters` lists it: everything but its data. */
export type ParkedDeadLetterSummary = Omit<ParkedDeadLetter, 'data'>;

/** What `POST /operator/dead-letters/replay` did: the letters published again, and those that could not be. */
export interface ReplayReport {
  replayed: string[];
  failed: { id: string; message: string }[];
}
