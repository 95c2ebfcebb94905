import { topicPublishers, type ParkedDeadLetter, type SagaTopic } from '@sweetgiggles/contracts';
import { SidecarError, type RepublishKept, type Sidecar } from '@sweetgiggles/platform';

/** Publishes a parked letter again, as its publisher kept it; false when the publisher no longer keeps it. */
export type LetterRepublisher = (letter: ParkedDeadLetter) => Promise<boolean>;

/**
 * The replay of a dead letter, by whoever published it: each service may publish on its own topic
 * only (`publishingScopes`), so the order service republishes its own events itself (`own`) and asks
 * the payment or delivery service for theirs, by service invocation (`POST /operator/republish`).
 * Either way the event that goes out is the one its publisher kept: the same id, the same data.
 */
export function letterRepublisher(sidecar: Sidecar, own: RepublishKept): LetterRepublisher {
  return async ({ id, orderId, topic }) => {
    const publisher = topicPublishers[topic as SagaTopic];
    if (publisher === 'order') return own(orderId, id);
    const response = await sidecar.request(`/v1.0/invoke/${publisher}/method/operator/republish`, {
      operation: `invoke ${publisher} republish`,
      method: 'POST',
      body: { orderId, eventId: id },
    });
    if (response.ok) return true;
    if (response.status === 404) return false;
    throw new SidecarError(`asking ${publisher} to republish ${id}`, response.status, response.text());
  };
}
