import type { Sidecar } from '@sweetgiggles/platform';

/** A request to the order service's shop API, as the browser sent it. */
export interface ForwardedRequest {
  method: string;
  /** Path and query under `/api`, e.g. `/api/orders/123`. */
  path: string;
  headers: Record<string, string | undefined>;
  body?: Buffer;
}

/**
 * Calls the order service through Dapr service invocation: the notifier's sidecar finds the order
 * service's sidecar (name resolution), which calls the order app.
 */
export class OrderApiClient {
  readonly #sidecar: Sidecar;
  readonly #appId: string;

  constructor(sidecar: Sidecar, appId = 'order') {
    this.#sidecar = sidecar;
    this.#appId = appId;
  }

  async forward(request: ForwardedRequest): Promise<Response> {
    const path = `/v1.0/invoke/${this.#appId}/method${request.path}`;
    const init: RequestInit = { method: request.method, headers: compact(request.headers) };
    if (request.body && request.body.length > 0) init.body = new Uint8Array(request.body);
    return this.#sidecar.raw(path, init);
  }
}

function compact(headers: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = value;
  return result;
}
