import type { Sidecar, SidecarResponse } from '@sweetgiggles/platform';

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

  call(call: ShopCall, headers: Record<string, string | undefined>): Promise<SidecarResponse> {
    const { method, path } = route(call);
    const body = call.operation === 'place-order' && call.body && call.body.length > 0 ? call.body : undefined;
    return this.#sidecar.request(`/v1.0/invoke/${encodeURIComponent(this.#appId)}/method${path}`, {
      operation: `invoke ${this.#appId} ${call.operation}`,
      method,
      headers,
      body,
    });
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
