import { eventNames, type EventName, type SagaEvent } from '@sweetgiggles/contracts';
import type { EventHandler, EventHandlers, Logger } from '@sweetgiggles/platform';
import type { NotifierService } from '../notifier-service.ts';

/**
 * The handlers of both subscriptions, each for every saga event: the durable one notifies of every
 * event, the broadcast one of those still news (see NotifierService).
 */
export function notificationHandlers(notifier: NotifierService): { durable: EventHandlers; broadcast: EventHandlers } {
  return {
    durable: forEveryEvent((event, id, log) => notifier.onSagaEvent(event, id, log)),
    broadcast: forEveryEvent((event, id, log) => notifier.onBroadcastEvent(event, id, log)),
  };
}

function forEveryEvent(useCase: (event: SagaEvent, eventId: string, log: Logger) => Promise<void>): EventHandlers {
  const handler: EventHandler<EventName> = async ({ name, data, id, log }) => {
    await useCase({ name, data } as SagaEvent, id, log);
    return 'SUCCESS';
  };
  return Object.fromEntries(eventNames.map((name) => [name, handler])) as EventHandlers;
}
