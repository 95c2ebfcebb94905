import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake sidecar received it: the raw target, exactly as it came off the wire. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the fake sidecar answers: a status and a body (sent as JSON unless it is a string). */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * An HTTP server standing in for a sidecar in unit tests: it records every request, so a test can say
 * which sidecar URLs were (never) called, and answers with `answer`, or not at all when that returns
 * `'silence'`. It counts the connections it was opened, to check that clients keep theirs.
 */
export class FakeSidecar {
  readonly received: ReceivedRequest[] = [];
  answer: (request: ReceivedRequest) => FakeAnswer | 'silence' | Promise<FakeAnswer | 'silence'> = () => ({ status: 200, body: {} });
  connections = 0;
  readonly #server: Server;

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const request = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.received.push(request);
        const answer = await this.answer(request);
        if (answer === 'silence') return;
        const { status, body, headers } = answer;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
    this.#server.on('connection', () => (this.connections += 1));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
