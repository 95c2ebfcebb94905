import type { Sidecar } from '@sweetgiggles/platform';

/**
 * One call of the shop API, as the notifier understands it. The order id has been validated (see
 * handlers/shop-api.ts); nothing else the browser sent takes part in the URL.
 */
export type ShopCall =
  | { operation: 'catalog' }
  | { operation: 'place-order'; body: Buffer | undefined }
  | { operation: 'read-order'; orderId: string }
  | { operation: 'cancel-order'; orderId: string };

/**
 * Calls the order service's shop API through Dapr service invocation: the notifier's sidecar finds
 * the order service's sidecar (name resolution), which calls the order app. The URL is built here,
 * from the operation and encoded, validated values only.
 */
export class OrderApiClient {
  readonly #sidecar: Sidecar;
  readonly #appId: string;

  constructor(sidecar: Sidecar, appId = 'order') {
    this.#sidecar = sidecar;
    this.#appId = appId;
  }

  async call(call: ShopCall, headers: Record<string, string | undefined>): Promise<Response> {
    const { method, path } = route(call);
    const init: RequestInit = { method, headers: compact(headers) };
    if (call.operation === 'place-order' && call.body && call.body.length > 0) init.body = new Uint8Array(call.body);
    return this.#sidecar.raw(
      `/v1.0/invoke/${encodeURIComponent(this.#appId)}/method${path}`,
      init,
      `invoke ${this.#appId} ${call.operation}`,
    );
  }
}

function route(call: ShopCall): { method: string; path: string } {
  switch (call.operation) {
    case 'catalog':
      return { method: 'GET', path: '/api/catalog' };
    case 'place-order':
      return { method: 'POST', path: '/api/orders' };
    case 'read-order':
      return { method: 'GET', path: `/api/orders/${encodeURIComponent(call.orderId)}` };
    case 'cancel-order':
      return { method: 'DELETE', path: `/api/orders/${encodeURIComponent(call.orderId)}` };
  }
}

function compact(headers: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = value;
  return result;
}
