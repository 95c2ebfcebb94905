import { deadLetterIdSchema, events, safeParseEvent, type ParkedDeadLetter, type ParkedDeadLetterSummary } from '@sweetgiggles/contracts';

/** A message from the dead-letter topic as the sidecar delivered it (see `DeadLetter` in the platform). */
export interface DeadLetterMessage {
  id: string;
  type: unknown;
  topic: unknown;
  source: unknown;
  data: unknown;
}

/**
 * What Dapr tells of a dead letter's cause: nothing. It forwards the original message unchanged, and
 * our subscribers drop only invalid events (which are not parked), so a valid saga event on the
 * dead-letter topic is one whose delivery kept failing until the Resiliency policy gave up.
 */
export const retriesExhausted = 'retries exhausted';

/**
 * The parked form of a dead letter, or why it cannot be parked: only a valid saga event, with a
 * well-formed id, on the topic its contract names, can be replayed. Anything else is poison (an
 * unknown type, data that fails its schema), which a replay would only send back here.
 */
export function parkedLetterOf(message: DeadLetterMessage, now: string): { letter: ParkedDeadLetter } | { problem: string } {
  const id = deadLetterIdSchema.safeParse(message.id);
  if (!id.success) return { problem: 'malformed CloudEvent id' };
  const parsed = safeParseEvent(message.type, message.data);
  if (!parsed.ok) return { problem: parsed.problem };
  const { name, data } = parsed.event;
  const topic = events[name].topic;
  if (message.topic !== topic) return { problem: `published on ${String(message.topic)}, not on ${topic}` };
  const source = typeof message.source === 'string' && /^[a-z0-9-]{1,64}$/.test(message.source) ? message.source : null;
  return { letter: { id: id.data, type: name, orderId: data.orderId, topic, source, parkedAt: now, reason: retriesExhausted, data } };
}

/** A letter as the park's index lists it: everything but its data. */
export function summaryOf({ data: _data, ...summary }: ParkedDeadLetter): ParkedDeadLetterSummary {
  return summary;
}

/** The index with `summary` added, once, unless it holds `capacity` already (then undefined). */
export function withParked(
  index: ParkedDeadLetterSummary[],
  summary: ParkedDeadLetterSummary,
  capacity: number,
): ParkedDeadLetterSummary[] | undefined {
  if (index.some((entry) => entry.id === summary.id)) return index;
  if (index.length >= capacity) return undefined;
  return [...index, summary];
}
