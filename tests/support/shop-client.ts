import type { OrderView } from '@sweetgiggles/contracts';
import { isTerminalStatus } from '@sweetgiggles/contracts/rules';
import { setTimeout as delay } from 'node:timers/promises';
import { fetchChecked } from './api-contract.ts';

/**
 * A thin client of the shop HTTP API, as a browser or another program would call it. It remembers
 * who placed each order, and reads and cancels it as that customer (the `Customer-Id` header). Every
 * answer is checked against docs/openapi.yaml, so the document cannot drift from what the shop does.
 */
export class ShopClient {
  readonly baseUrl: string;
  readonly #owners = new Map<string, string>();

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const answer = await fetchChecked(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (answer.status < 300) this.remember(answer.body as Partial<OrderView>);
    return { status: answer.status, body: answer.body };
  }

  /** Notes who placed an order this client learnt of some other way, to read it as them. */
  remember(order: Partial<OrderView>): void {
    if (typeof order.orderId === 'string' && typeof order.customerId === 'string') this.#owners.set(order.orderId, order.customerId);
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

  /** The headers that name the customer who placed `orderId` (none for an order this client did not place). */
  ownerHeaders(orderId: string): Record<string, string> {
    const customerId = this.#owners.get(orderId);
    return customerId ? { 'customer-id': customerId } : {};
  }

  async getOrder(orderId: string): Promise<OrderView> {
    const answer = await fetchChecked(`${this.baseUrl}/api/orders/${orderId}`, { headers: this.ownerHeaders(orderId) });
    if (answer.status !== 200) throw new Error(`reading order ${orderId} failed with ${answer.status}`);
    return answer.body as OrderView;
  }

  /** `GET /api/tracing`: whether the shop can show an order's trace. */
  async tracing(): Promise<{ status: number; body: any }> {
    const answer = await fetchChecked(`${this.baseUrl}/api/tracing`);
    return { status: answer.status, body: answer.body };
  }

  /** `GET /api/orders/{orderId}/trace`, as the customer who placed the order. */
  async trace(orderId: string): Promise<{ status: number; body: any }> {
    const answer = await fetchChecked(`${this.baseUrl}/api/orders/${orderId}/trace`, { headers: this.ownerHeaders(orderId) });
    return { status: answer.status, body: answer.body };
  }

  async cancel(orderId: string): Promise<{ status: number; body: any }> {
    const answer = await fetchChecked(`${this.baseUrl}/api/orders/${orderId}`, { method: 'DELETE', headers: this.ownerHeaders(orderId) });
    return { status: answer.status, body: answer.body };
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
    return this.waitFor(orderId, (order) => isTerminalStatus(order.status), timeoutMs);
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
