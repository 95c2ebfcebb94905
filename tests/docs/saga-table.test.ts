import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventNames, events, topicPublishers, type EventName } from '@sweetgiggles/contracts';
import type { EventHandlers } from '@sweetgiggles/platform';
import { sagaEventHandlers as deliveryHandlers } from '../../services/delivery/src/handlers/saga-events.ts';
import { notificationHandlers } from '../../services/notifier/src/handlers/saga-events.ts';
import { sagaEventHandlers as orderHandlers } from '../../services/order/src/handlers/saga-events.ts';
import { sagaEventHandlers as paymentHandlers } from '../../services/payment/src/handlers/saga-events.ts';
import { repoRoot } from '../../scripts/lib/system.ts';

// The handler maps each service subscribes with: building them calls nothing of the service.
const subscribers: [string, EventHandlers][] = [
  ['order', orderHandlers({} as never)],
  ['payment', paymentHandlers({} as never)],
  ['delivery', deliveryHandlers({} as never)],
  ['notifier', notificationHandlers({} as never).durable],
];

/** The rows of the table under `heading` in the README: one array of trimmed cells per row, header and rule left out. */
function tableUnder(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `the README has a section "${heading}"`).toBeGreaterThan(-1);
  const first = lines.findIndex((line, index) => index > start && line.startsWith('|'));
  const rows: string[][] = [];
  for (let index = first; index < lines.length && lines[index]!.startsWith('|'); index++) {
    rows.push(
      lines[index]!.split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(2);
}

describe('the README’s saga table', () => {
  const rows = tableUnder(readFileSync(join(repoRoot, 'README.md'), 'utf8'), '### The saga, event by event');
  const byEvent = new Map(rows.map(([event, ...rest]) => [event, rest]));

  it('lists every event of the contracts once, and nothing else', () => {
    expect(rows.map(([event]) => event)).toEqual(eventNames);
  });

  it.each(eventNames)('gives %s its topic, its publisher and its subscribers as the code has them', (name: EventName) => {
    const topic = events[name].topic as keyof typeof topicPublishers;
    const consumers = subscribers.filter(([, handlers]) => handlers[name] !== undefined).map(([service]) => service);
    expect(byEvent.get(name)).toEqual([`\`${topic}\``, topicPublishers[topic], consumers.join(', ')]);
  });
});
