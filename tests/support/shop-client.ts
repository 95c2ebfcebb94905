import type { OrderView } from '@sweetgiggles/contracts';
import { setTimeout as delay } from 'node:timers/promises';

/** A thin client of the shop HTTP API, as a browser or another program would call it. */
export class ShopClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async placeOrder(customerId: string, items: { sku: string; quantity: number }[], idempotencyKey?: string): Promise<OrderView> {
    const { status, body } = await this.post(
      '/api/orders',
      { customerId, items },
      idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    );
    if (status !== 201 && status !== 200) throw new Error(`placing an order failed with ${status}: ${JSON.stringify(body)}`);
    return body as OrderView;
  }

  async getOrder(orderId: string): Promise<OrderView> {
    const response = await fetch(`${this.baseUrl}/api/orders/${orderId}`);
    if (!response.ok) throw new Error(`reading order ${orderId} failed with ${response.status}`);
    return (await response.json()) as OrderView;
  }

  async cancel(orderId: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}/api/orders/${orderId}`, { method: 'DELETE' });
    return { status: response.status, body: await response.json() };
  }

  /** Polls the order until `done` holds, for at most `timeoutMs`; returns the last view either way. */
  async waitFor(orderId: string, done: (order: OrderView) => boolean, timeoutMs = 60_000): Promise<OrderView> {
    const deadline = Date.now() + timeoutMs;
    let order = await this.getOrder(orderId);
    while (!done(order) && Date.now() < deadline) {
      await delay(200);
      order = await this.getOrder(orderId);
    }
    return order;
  }

  waitForEnd(orderId: string, timeoutMs?: number): Promise<OrderView> {
    return this.waitFor(orderId, (order) => order.status === 'completed' || order.status === 'cancelled', timeoutMs);
  }
}

/** Reads one counter or gauge sample from a Prometheus text endpoint (0 when absent). */
export async function readMetric(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(url)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) total += Number(line.split(' ').at(-1));
  }
  return total;
}
