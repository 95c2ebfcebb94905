import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { eventNames } from '@sweetgiggles/contracts';
import { errorCodes, parseClientMessage, toEventMessage } from './protocol.ts';

/** The protocol as docs/asyncapi.yaml documents it: the code must say the same thing. */
const doc = parse(readFileSync(new URL('../../../../docs/asyncapi.yaml', import.meta.url), 'utf8')) as {
  components: {
    schemas: Record<string, { enum?: unknown[]; properties?: Record<string, { enum?: unknown[] }> }>;
    messages: Record<string, { examples: { payload: unknown }[] }>;
  };
};
const ajv = new Ajv2020({ strict: false });
for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
const documented = (name: string) => {
  const validate = ajv.getSchema(`#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name}`);
  return (value: unknown) => validate(value) as boolean;
};

describe('docs/asyncapi.yaml', () => {
  test('names the saga’s events and the error codes the notifier uses', () => {
    expect(doc.components.schemas['EventName']?.enum).toEqual(eventNames);
    expect(doc.components.schemas['Error']?.properties?.['code']?.enum).toEqual([...errorCodes]);
  });

  test('its subscribe examples are messages the notifier accepts, and its schema agrees on bad ones', () => {
    for (const { payload } of doc.components.messages['subscribe']?.examples ?? []) {
      expect(documented('Subscribe')(payload)).toBe(true);
      expect(parseClientMessage(JSON.stringify(payload)).ok).toBe(true);
    }
    for (const bad of [
      { type: 'subscribe', customerId: 'has spaces' },
      { type: 'subscribe', customerId: 'ok', lastEventId: '01' },
      { type: 'subscribe', customerId: 'ok', extra: true },
      { type: 'unsubscribe', customerId: 'ok' },
    ]) {
      expect(documented('Subscribe')(bad)).toBe(false);
      expect(parseClientMessage(JSON.stringify(bad)).ok).toBe(false);
    }
  });

  test('what the notifier sends fits the documented schemas', () => {
    const event = toEventMessage({
      seq: 42,
      eventId: 'ce-1',
      orderId: 'o-1',
      name: 'PaymentAccepted',
      time: '2026-11-25T10:00:01.000Z',
      data: { orderId: 'o-1', customerId: 'c-1', occurredAt: '2026-11-25T10:00:01.000Z', paymentId: 'p', amountCents: 1 },
    });
    expect(event.id).toBe('42');
    expect(documented('Event')(event)).toBe(true);
    const error = parseClientMessage('{');
    expect(error.ok).toBe(false);
    if (!error.ok) expect(documented('Error')(error.error)).toBe(true);
    for (const name of ['event', 'subscribed', 'error']) {
      const schema = { event: 'Event', subscribed: 'Subscribed', error: 'Error' }[name]!;
      for (const { payload } of doc.components.messages[name]?.examples ?? []) expect(documented(schema)(payload)).toBe(true);
    }
  });
});
