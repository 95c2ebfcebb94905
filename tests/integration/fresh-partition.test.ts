import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { durableQueueNames, emptyRabbitmqQueues, partitionAddresses } from '../../scripts/lib/brokers.ts';

describe("a partition's RabbitMQ virtual host, emptied before a system starts", () => {
  it('names the queues Dapr gives the subscriptions, and their dead-letter queues', () => {
    const names = durableQueueNames();
    for (const queue of ['notifier-deliveries', 'order-payments', 'delivery-orders', 'order-dead-letters', 'floor-floor']) {
      expect(names).toContain(queue);
      expect(names).toContain(`dlq-${queue}`);
    }
  });

  it('empties the queues it names that exist, keeps them, and passes over those that do not', async () => {
    const { rabbitmqUrl } = await partitionAddresses('tests');
    const left = `sweetgiggles-leftovers-${randomUUID()}`;
    const missing = `sweetgiggles-missing-${randomUUID()}`;
    const connection = await connect(rabbitmqUrl);
    try {
      const channel = await connection.createChannel();
      await channel.assertQueue(left, { durable: false, autoDelete: false });
      for (let i = 0; i < 3; i++) channel.sendToQueue(left, Buffer.from(`event ${i}`));
      await channel.close();
      await waitFor(async () => (await messagesIn(connection, left)) === 3);

      await emptyRabbitmqQueues(rabbitmqUrl, [missing, left]);

      expect(await messagesIn(connection, left)).toBe(0);
      const check = await connection.createChannel();
      check.on('error', () => {});
      await expect(check.checkQueue(missing)).rejects.toThrow(/404/);
    } finally {
      const cleanup = await connection.createChannel();
      await cleanup.deleteQueue(left);
      await connection.close();
    }
  });
});

async function messagesIn(connection: Awaited<ReturnType<typeof connect>>, queue: string): Promise<number> {
  const channel = await connection.createChannel();
  const { messageCount } = await channel.checkQueue(queue);
  await channel.close();
  return messageCount;
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the queue never held the messages sent to it');
}
