import { randomUUID } from 'node:crypto';
import { customerIdHeader, type OrderView } from '@sweetgiggles/contracts';
import type { OrderShop } from './order-flow.ts';

/** How long a call to the shop may take: a shop that hangs is as good as one that refuses. */
const timeoutMs = 10_000;

/**
 * The shop API as a customer's program calls it: places orders and reads them back as the customer
 * who placed each (the `Customer-Id` header). The tests use their own client, which also checks every
 * answer against docs/openapi.yaml.
 */
export class ShopApi implements OrderShop {
  readonly #baseUrl: string;
  readonly #owners = new Map<string, string>();

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  async placeOrder(customerId: string, items: { sku: string; quantity: number }[], idempotencyKey = randomUUID()): Promise<OrderView> {
    const response = await fetch(`${this.#baseUrl}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify({ customerId, items }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as OrderView;
    if (response.status !== 201 && response.status !== 200) throw new Error(`placing an order failed with ${response.status}`);
    this.#owners.set(body.orderId, customerId);
    return body;
  }

  async getOrder(orderId: string): Promise<OrderView> {
    const response = await fetch(`${this.#baseUrl}/api/orders/${encodeURIComponent(orderId)}`, {
      headers: { [customerIdHeader]: this.#owners.get(orderId) ?? '' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`reading order ${orderId} failed with ${response.status}`);
    }
    return (await response.json()) as OrderView;
  }
}
