import type { OrderTrace, OrderView, PlaceOrderRequest, Product, TracingStatus } from '@sweetgiggles/contracts';

/** The shop answered with an error: its `{ error: { code, message } }` body, and the status. */
export class ShopApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ShopApiError';
    this.status = status;
    this.code = code;
  }
}

/** The shop's HTTP API at `/api`, as the storefront uses it. The only code that calls `fetch`. */
export class ShopApi {
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;

  constructor(baseUrl: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {
    this.#baseUrl = baseUrl.replace(/\/$/, '');
    this.#fetch = fetchImpl;
  }

  async catalog(): Promise<Product[]> {
    return (await this.#call<{ products: Product[] }>('GET', '/api/catalog')).products;
  }

  /** Places an order. Sending the same `idempotencyKey` again returns the same order instead of a second one. */
  placeOrder(request: PlaceOrderRequest, idempotencyKey: string): Promise<OrderView> {
    return this.#call('POST', '/api/orders', request, { 'idempotency-key': idempotencyKey });
  }

  /** One of this customer's orders; someone else's answers 404, like an order that does not exist. */
  order(orderId: string, customerId: string): Promise<OrderView> {
    return this.#call('GET', `/api/orders/${encodeURIComponent(orderId)}`, undefined, { 'customer-id': customerId });
  }

  /** Cancels one of this customer's orders; a ShopApiError with status 409 once it can no longer be cancelled. */
  cancelOrder(orderId: string, customerId: string): Promise<OrderView> {
    return this.#call('DELETE', `/api/orders/${encodeURIComponent(orderId)}`, undefined, { 'customer-id': customerId });
  }

  /** Whether the shop can show an order's trace (it runs with a tracing backend). */
  tracingStatus(): Promise<TracingStatus> {
    return this.#call('GET', '/api/tracing');
  }

  /**
   * The trace of one of this customer's orders; a ShopApiError with status 404 and code
   * `trace_not_found` while its spans have not reached the tracing backend, `tracing_off` without one.
   */
  orderTrace(orderId: string, customerId: string): Promise<OrderTrace> {
    return this.#call('GET', `/api/orders/${encodeURIComponent(orderId)}/trace`, undefined, { 'customer-id': customerId });
  }

  async #call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const init: RequestInit = { method, headers: { accept: 'application/json', ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    }
    const response = await this.#fetch(`${this.#baseUrl}${path}`, init);
    const json: unknown = await response.json().catch(() => undefined);
    if (response.ok) return json as T;
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ShopApiError(response.status, error?.code ?? 'http_error', error?.message ?? `the shop answered ${response.status}`);
  }
}
