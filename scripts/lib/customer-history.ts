import type { EventMessage, ServerMessage } from '@sweetgiggles/contracts';

/**
 * Every event the notifier has recorded for one customer, replayed from the first over its WebSocket,
 * as a storefront that resumes from nothing would see them: each published fact once (the notifier
 * keeps one entry per event id). Rejects when the notifier no longer keeps them all (its history is
 * bounded by HISTORY_LIMIT and HISTORY_MAX_BYTES), or does not answer within `timeoutMs`.
 */
export function replayCustomerHistory(shopUrl: string, customerId: string, timeoutMs = 15_000): Promise<EventMessage[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${shopUrl.replace(/^http/, 'ws')}/ws`);
    const events: EventMessage[] = [];
    let lastEventId: string | undefined;
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(events);
    };
    const timer = setTimeout(
      () => finish(new Error(`the notifier did not replay ${customerId}'s history within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'subscribe', customerId, lastEventId: '0' })));
    socket.addEventListener('error', () => finish(new Error(`the notifier socket for ${customerId} failed`)));
    socket.addEventListener('message', (message) => {
      const parsed = JSON.parse(String(message.data)) as ServerMessage;
      if (parsed.type === 'error') return finish(new Error(`the notifier refused ${customerId}: ${parsed.message}`));
      if (parsed.type === 'subscribed') {
        if (parsed.truncated) return finish(new Error(`the notifier no longer keeps all of ${customerId}'s history`));
        lastEventId = parsed.lastEventId;
        if (lastEventId === undefined) return finish();
        return;
      }
      events.push(parsed);
      // The replay ends with the newest event the notifier knew of when it answered.
      if (parsed.id === lastEventId) finish();
    });
  });
}
