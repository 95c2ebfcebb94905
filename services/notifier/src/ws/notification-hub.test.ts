import { createServer, type Server } from 'node:http';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import type { ClientOptions } from 'ws';
import { afterEach, describe, expect, test } from 'vitest';
import { createLogger, createMetrics } from '@sweetgiggles/platform';
import type { IncomingEvent } from '../domain/customer-history.ts';
import { MemoryHistoryRepository } from '../testing/memory-history-repository.ts';
import { TestClient } from '../testing/ws-client.ts';
import { createNotifierMetrics } from '../metrics.ts';
import { NotificationHub } from './notification-hub.ts';
import { attachWebSocketEndpoint, type WebSocketEndpointOptions } from './websocket-endpoint.ts';

const log = createLogger('notifier-test', 'silent');
const running: { server: Server; hub: NotificationHub }[] = [];
const clients: TestClient[] = [];

interface Replica {
  url: string;
  hub: NotificationHub;
}

/** One notifier replica's WebSocket side on a loopback port, over the given (shared) history. */
async function startReplica(
  history: MemoryHistoryRepository,
  options: Partial<Omit<WebSocketEndpointOptions, 'hub' | 'log' | 'metrics'>> & {
    maxBufferedBytes?: number;
    pingIntervalMs?: number;
    subscribeTimeoutMs?: number;
  } = {},
): Promise<Replica> {
  const metrics = createNotifierMetrics(createMetrics('notifier-test'));
  const hub = new NotificationHub({
    history,
    log,
    metrics,
    maxBufferedBytes: options.maxBufferedBytes ?? 1_048_576,
    pingIntervalMs: options.pingIntervalMs ?? 0,
    maxInvalidMessages: 3,
    subscribeTimeoutMs: options.subscribeTimeoutMs ?? 5_000,
  });
  const server = createServer((_req, res) => res.writeHead(404).end());
  attachWebSocketEndpoint(server, {
    hub,
    log,
    metrics,
    allowedOrigins: [],
    maxConnections: 100,
    maxConnectionsPerAddress: 100,
    maxHandshakesPerMinute: 10_000,
    maxPayloadBytes: 4_096,
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({ server, hub });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`, hub };
}

async function connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
  const client = await TestClient.open(url, options);
  clients.push(client);
  return client;
}

let eventCount = 0;
function sagaEvent(orderId = 'order-1', data: Record<string, unknown> = {}): IncomingEvent {
  eventCount += 1;
  return { eventId: `ce-${eventCount}`, orderId, name: 'OrderCreated', time: new Date().toISOString(), data };
}

/** What a subscription handler does: record, then push on this replica. */
async function deliver(history: MemoryHistoryRepository, replica: Replica, customerId: string, event: IncomingEvent) {
  const notification = await history.record(customerId, event);
  replica.hub.publish(customerId, notification);
  return notification;
}

async function until(isTrue: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isTrue()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const { server, hub } of running.splice(0)) {
    await hub.close(100);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('notification hub', () => {
  test('pushes each event to the sockets of the customer it concerns, with increasing ids', async () => {
    const history = new MemoryHistoryRepository();
    const replica = await startReplica(history);
    const alice = await connect(replica.url);
    const bob = await connect(replica.url);
    await alice.subscribe('alice');
    await bob.subscribe('bob');

    await deliver(history, replica, 'alice', sagaEvent());
    await deliver(history, replica, 'bob', sagaEvent());
    await deliver(history, replica, 'alice', sagaEvent());

    await alice.waitFor(() => alice.eventIds.length === 2);
    expect(alice.eventIds).toEqual(['1', '2']);
    await bob.waitFor(() => bob.eventIds.length === 1);
    expect(bob.received.at(-1)).toMatchObject({ type: 'event', id: '1', orderId: 'order-1', name: 'OrderCreated' });
  });

  test('a reconnecting client first receives every event it missed, in order, then live ones', async () => {
    const history = new MemoryHistoryRepository();
    const replica = await startReplica(history);
    const first = await connect(replica.url);
    await first.subscribe('carol');
    await deliver(history, replica, 'carol', sagaEvent());
    await first.waitFor(() => first.eventIds.length === 1);
    first.close();

    for (let i = 0; i < 3; i += 1) await deliver(history, replica, 'carol', sagaEvent());
    const again = await connect(replica.url);
    await again.subscribe('carol', '1');
    await deliver(history, replica, 'carol', sagaEvent());

    await again.waitFor(() => again.eventIds.length === 4);
    expect(again.eventIds).toEqual(['2', '3', '4', '5']);
    expect(again.received[0]).toEqual({ type: 'subscribed', customerId: 'carol', lastEventId: '4', truncated: false });
  });

  test('a first subscription starts from now, and tells the client where now is', async () => {
    const history = new MemoryHistoryRepository();
    const replica = await startReplica(history);
    await deliver(history, replica, 'dave', sagaEvent());
    const client = await connect(replica.url);
    await client.subscribe('dave');
    await deliver(history, replica, 'dave', sagaEvent());
    await client.waitFor(() => client.eventIds.length === 1);
    expect(client.received[0]).toMatchObject({ type: 'subscribed', lastEventId: '1' });
    expect(client.eventIds).toEqual(['2']);
  });

  test('a client further behind than the kept history is told that some events are gone', async () => {
    const history = new MemoryHistoryRepository(2);
    const replica = await startReplica(history);
    for (let i = 0; i < 4; i += 1) await deliver(history, replica, 'erin', sagaEvent());
    const client = await connect(replica.url);
    await client.subscribe('erin', '0');
    await client.waitFor(() => client.eventIds.length === 2);
    expect(client.received[0]).toMatchObject({ type: 'subscribed', truncated: true });
    expect(client.eventIds).toEqual(['3', '4']);
  });

  test('a duplicated delivery reaches the browser once', async () => {
    const history = new MemoryHistoryRepository();
    const replica = await startReplica(history);
    const client = await connect(replica.url);
    await client.subscribe('frank');
    const event = sagaEvent();
    await deliver(history, replica, 'frank', event);
    await deliver(history, replica, 'frank', event);
    await deliver(history, replica, 'frank', sagaEvent());
    await client.waitFor(() => client.eventIds.includes('2'));
    expect(client.eventIds).toEqual(['1', '2']);
  });

  test('two replicas each push every event with the same ids, in order even when one learns of them out of order', async () => {
    const history = new MemoryHistoryRepository();
    const one = await startReplica(history);
    const two = await connect((await startReplica(history)).url);
    const replicaTwo = running[1]!.hub;
    const onOne = await connect(one.url);
    await onOne.subscribe('grace');
    await two.subscribe('grace');

    const first = await history.record('grace', sagaEvent());
    const second = await history.record('grace', sagaEvent());
    // Replica one hears of them in order; replica two hears of the second first.
    one.hub.publish('grace', first);
    one.hub.publish('grace', second);
    replicaTwo.publish('grace', second);
    replicaTwo.publish('grace', first);

    await onOne.waitFor(() => onOne.eventIds.length === 2);
    await two.waitFor(() => two.eventIds.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(onOne.eventIds).toEqual(['1', '2']);
    expect(two.eventIds).toEqual(['1', '2']);
  });

  test('a slow client is dropped without holding up anyone else', async () => {
    const history = new MemoryHistoryRepository(1_000);
    const replica = await startReplica(history, { maxBufferedBytes: 64 * 1024 });
    const slow = await connect(replica.url);
    const fast = await connect(replica.url);
    await slow.subscribe('heidi');
    await fast.subscribe('heidi');
    // The slow client stops reading: the kernel's buffers fill, then the notifier's.
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    // Events arrive as a saga produces them, one after the other, while the slow client reads nothing.
    const payload = { note: 'x'.repeat(16 * 1024) };
    const count = 600;
    for (let i = 0; i < count; i += 1) {
      await deliver(history, replica, 'heidi', sagaEvent('order-1', payload));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await fast.waitFor(() => fast.eventIds.length === count, 15_000);
    expect(fast.eventIds.at(-1)).toBe(String(count));
    // The slow one was dropped: it resumes from its last event when it reconnects.
    await until(() => replica.hub.size === 1);
  }, 20_000);

  test('an idle client that does not answer pings is closed', async () => {
    const history = new MemoryHistoryRepository();
    const replica = await startReplica(history, { pingIntervalMs: 50 });
    const silent = await connect(replica.url, { autoPong: false });
    const lively = await connect(replica.url);
    const { code } = await silent.closed;
    expect(code).toBe(1006);
    await until(() => replica.hub.size === 1);
    expect(lively.socket.readyState).toBe(lively.socket.OPEN);
  });

  test('closing the hub tells every client to go away', async () => {
    const replica = await startReplica(new MemoryHistoryRepository());
    const client = await connect(replica.url);
    await client.subscribe('olga');
    await replica.hub.close();
    expect((await client.closed).code).toBe(1001);
  });
});

describe('invalid messages', () => {
  test('each gets an error message and the socket keeps working', async () => {
    const replica = await startReplica(new MemoryHistoryRepository());
    const client = await connect(replica.url);
    client.send('not json');
    client.send({ type: 'subscribe', customerId: 'no spaces allowed' });
    await client.waitFor((received) => received.length === 2);
    expect(client.received).toEqual([
      { type: 'error', code: 'invalid_json', message: expect.any(String) },
      { type: 'error', code: 'invalid_message', message: expect.stringMatching(/customerId/) },
    ]);
    await client.subscribe('ivan');
  });

  test('a client that keeps sending them is closed with a policy violation', async () => {
    const replica = await startReplica(new MemoryHistoryRepository());
    const client = await connect(replica.url);
    client.send({ type: 'unsubscribe' });
    client.socket.send(Buffer.from([1, 2, 3]));
    client.send({ type: 'subscribe', customerId: 'judy', lastEventId: 'yesterday' });
    expect((await client.closed).code).toBe(1008);
    expect(client.received.map((message) => message.type === 'error' && message.code)).toEqual([
      'invalid_message',
      'unsupported_data',
      'invalid_message',
    ]);
  });

  test('a client sending too many messages is told so, then closed', async () => {
    const replica = await startReplica(new MemoryHistoryRepository());
    const client = await connect(replica.url);
    // The test hub allows 10 messages per window and 3 invalid ones.
    for (let i = 0; i < 13; i += 1) client.send({ type: 'subscribe', customerId: 'spammer' });
    expect((await client.closed).code).toBe(1008);
    const codes = client.received.flatMap((message) => (message.type === 'error' ? [message.code] : []));
    expect(codes).toEqual(['too_many_messages', 'too_many_messages', 'too_many_messages']);
  });

  test('a message over the size limit closes the socket', async () => {
    const replica = await startReplica(new MemoryHistoryRepository(), { maxPayloadBytes: 1_024 });
    const client = await connect(replica.url);
    client.send({ type: 'subscribe', customerId: 'x'.repeat(2_000) });
    expect((await client.closed).code).toBe(1009);
  });
});

describe('the handshake', () => {
  test('a page from another origin is refused, the shop’s own and allowed origins are not', async () => {
    const replica = await startReplica(new MemoryHistoryRepository(), { allowedOrigins: ['http://localhost:5173'] });
    const host = new URL(replica.url).host;
    await expect(TestClient.open(replica.url, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    clients.push(await TestClient.open(replica.url, { origin: `http://${host}` }));
    clients.push(await TestClient.open(replica.url, { origin: 'http://localhost:5173' }));
  });

  test('connections beyond the cap are refused', async () => {
    const replica = await startReplica(new MemoryHistoryRepository(), { maxConnections: 2 });
    await connect(replica.url);
    await connect(replica.url);
    await expect(TestClient.open(replica.url)).rejects.toThrow(/503/);
  });

  test('only /ws upgrades', async () => {
    const replica = await startReplica(new MemoryHistoryRepository());
    await expect(TestClient.open(replica.url.replace('/ws', '/other'))).rejects.toThrow(/404/);
  });

  test('a malformed upgrade target is a 400, and the server keeps serving', async () => {
    const replica = await startReplica(new MemoryHistoryRepository());
    const port = Number(new URL(replica.url).port);
    for (const target of ['//a:99999/ws', '//ws', 'http://[::1/ws', '*', 'ws']) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connectTcp(port, '127.0.0.1', () =>
          socket.end(
            `GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
          ),
        );
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
        socket.on('error', reject);
      });
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
    }
    await connect(replica.url);
  });

  test('one address may hold only so many sockets, and open them only so fast', async () => {
    const capped = await startReplica(new MemoryHistoryRepository(), { maxConnectionsPerAddress: 2 });
    const first = await connect(capped.url);
    await connect(capped.url);
    await expect(TestClient.open(capped.url)).rejects.toThrow(/429/);
    first.socket.close();
    await first.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await connect(capped.url);

    const throttled = await startReplica(new MemoryHistoryRepository(), { maxHandshakesPerMinute: 3 });
    for (let i = 0; i < 3; i++) (await connect(throttled.url)).socket.close();
    await expect(TestClient.open(throttled.url)).rejects.toThrow(/429/);
  });

  test('a socket that does not subscribe in time is closed', async () => {
    const replica = await startReplica(new MemoryHistoryRepository(), { subscribeTimeoutMs: 200 });
    const idle = await connect(replica.url);
    const subscribed = await connect(replica.url);
    await subscribed.subscribe('noor');
    expect((await idle.closed).code).toBe(1008);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(subscribed.socket.readyState).toBe(subscribed.socket.OPEN);
  });
});
