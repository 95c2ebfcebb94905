import type { OrderView } from '@sweetgiggles/contracts';

/** Storage in memory, like localStorage but private to a test. */
export class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
}

/** A request the storefront made, as the fake shop saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status: number; body: unknown } | Error;

/**
 * The shop API in memory: answers by method and path, records every request. An answer can be a
 * promise (to hold a request open) or an Error (a network failure).
 */
export class FakeShop {
  readonly requests: SeenRequest[] = [];
  readonly routes = new Map<string, (request: SeenRequest) => Answer | Promise<Answer>>();

  on(method: string, path: string, answer: (request: SeenRequest) => Answer | Promise<Answer>): this {
    this.routes.set(`${method} ${path}`, answer);
    return this;
  }

  order(view: OrderView): this {
    return this.on('GET', `/api/orders/${view.orderId}`, () => ({ status: 200, body: view }));
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const request: SeenRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    this.requests.push(request);
    const route = this.routes.get(`${request.method} ${request.path}`);
    const answer = route ? await route(request) : { status: 404, body: { error: { code: 'not_found', message: 'not here' } } };
    if (answer instanceof Error) throw answer;
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
}

/** A WebSocket the test drives: it opens, delivers and drops when told to. */
export class FakeWebSocket extends EventTarget {
  static readonly all: FakeWebSocket[] = [];
  readonly url: string;
  readonly sent: unknown[] = [];
  readyState = 0;

  constructor(url: string) {
    super();
    this.url = url;
    FakeWebSocket.all.push(this);
  }

  static get latest(): FakeWebSocket {
    const socket = FakeWebSocket.all.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.drop();
  }

  open(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }

  deliver(message: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }));
  }

  drop(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.dispatchEvent(new CloseEvent('close', { code: 1006 }));
  }
}
