import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends a request whose target goes on the wire exactly as given (`fetch` would resolve `..` and
 * re-encode), as curl's `--path-as-is` does.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  // A body goes with its length, as browsers send it (not chunked).
  const sent = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers: sent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Path traversal in the encodings a proxy, a router or a URL parser might undo, each aimed at the sidecar API. */
export const traversalPaths: readonly string[] = [
  '/api/../../../../../v1.0/metadata',
  '/api/../v1.0/shutdown',
  '/api/..%2f..%2f..%2fv1.0%2fmetadata',
  '/api/%2e%2e/%2e%2e/v1.0/metadata',
  '/api/%2E%2E%2F%2E%2E%2Fv1.0%2Fmetadata',
  '/api/%252e%252e%252f%252e%252e%252fv1.0%252fmetadata',
  '/api/..\\..\\v1.0\\metadata',
  '/api/%5c..%5c..%5cv1.0%5cmetadata',
  '/api/catalog/../../v1.0/metadata',
  '/api/catalog%2f..%2f..%2fv1.0%2fmetadata',
  '/api/catalog/..;/..;/v1.0/metadata',
  '/api/orders/../../v1.0/publish/pubsub/payments',
  '/api/orders/..%2f..%2f..%2fv1.0%2fpublish%2fpubsub%2fpayments',
  '/api/orders/%2e%2e%2f%2e%2e%2f%2e%2e%2fv1.0%2fstate%2fnotifierstore',
  '/api/orders/00000000-0000-4000-8000-000000000000/../../../../v1.0/metadata',
  '/api/orders/00000000-0000-4000-8000-000000000000%2f..%2f..%2f..%2fv1.0%2fmetadata',
  '/api/orders/00000000-0000-4000-8000-000000000000?/../../../v1.0/metadata',
  '/api/orders/..%00/v1.0/metadata',
  '/api/orders/%E0%80%AE%E0%80%AE/v1.0/metadata',
  '/api/%u002e%u002e/v1.0/metadata',
  '//api/../v1.0/metadata',
  '/API/../../v1.0/metadata',
  '/api/./../v1.0/invoke/payment/method/events/order-created',
];

/** What the notifier may ask its sidecar for on the browser's behalf, and nothing else. */
export const allowedSidecarTarget = /^\/v1\.0\/invoke\/order\/method\/api\/(?:catalog|orders|orders\/[0-9a-f-]{36})$/;
