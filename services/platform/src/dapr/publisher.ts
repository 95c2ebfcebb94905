import { events, type EventName } from '@sweetgiggles/contracts';
import type { Sidecar } from './sidecar.ts';

/** An event ready to go out: its CloudEvent id, its name (the CloudEvent `type`) and its data. */
export interface OutgoingEvent {
  id: string;
  name: EventName;
  data: unknown;
}

/** What services need of a publisher; Publisher is the Dapr one, tests hand in a fake. */
export interface EventPublisher {
  publish(event: OutgoingEvent): Promise<void>;
}

/**
 * Publishes saga events through the sidecar, each on its event's topic. The CloudEvent id and type
 * are ours (`metadata.cloudevent.id`, `metadata.cloudevent.type`), so publishing the same event twice
 * is the same event to every consumer. The sidecar answers once the broker has it (on RabbitMQ, after
 * the publisher confirm); the trace context travels in the request's `traceparent`.
 */
export class Publisher implements EventPublisher {
  readonly #sidecar: Sidecar;
  readonly #paths: string[];
  #next = 0;

  /**
   * Publishes through `pubsubName` and, with `lanes` above 0, in turn through `<pubsubName>-lane-1` …
   * `<pubsubName>-lane-<lanes>`: components on the same broker and topics, each with its own
   * connection, so that publishes wait for their confirms side by side instead of one after another.
   */
  constructor(sidecar: Sidecar, pubsubName: string, lanes = 0) {
    this.#sidecar = sidecar;
    const names = [pubsubName, ...Array.from({ length: lanes }, (_, i) => `${pubsubName}-lane-${i + 1}`)];
    this.#paths = names.map((name) => `/v1.0/publish/${encodeURIComponent(name)}`);
  }

  async publish(event: OutgoingEvent): Promise<void> {
    const topic = events[event.name].topic;
    const query = new URLSearchParams({ 'metadata.cloudevent.id': event.id, 'metadata.cloudevent.type': event.name });
    const path = this.#paths[this.#next++ % this.#paths.length]!;
    await this.#sidecar.call(`publishing ${event.name} ${event.id}`, `${path}/${topic}?${query}`, {
      operation: `publish ${event.name}`,
      // The order id makes the span findable: the shop looks an order's trace up by its OrderCreated.
      attributes: { 'messaging.destination.name': topic, ...orderIdOf(event.data) },
      method: 'POST',
      body: event.data,
    });
  }
}

/** Every saga event is about one order (`data.orderId`); the span names it when the data does. */
function orderIdOf(data: unknown): Record<string, string> {
  const orderId = (data as { orderId?: unknown } | null | undefined)?.orderId;
  return typeof orderId === 'string' ? { 'sweetgiggles.order_id': orderId } : {};
}
