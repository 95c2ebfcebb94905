import type { Page, WebSocketRoute } from 'playwright-core';

/**
 * Stands between the page and the notifier's socket (Playwright's WebSocket routing): passes every
 * message through, records the events the page was sent, and can drop the page's connection and
 * refuse new ones for a while, as a flaky network would.
 */
export class SocketWatch {
  /** Every event message the page received, across all its connections, in order. */
  readonly events: { id: string; name: string; orderId: string }[] = [];
  connections = 0;
  #refuseUntil = 0;
  #current: WebSocketRoute | undefined;

  static async attach(page: Page): Promise<SocketWatch> {
    const watch = new SocketWatch();
    await page.routeWebSocket(/\/ws$/, (route) => watch.#route(route));
    return watch;
  }

  /** Closes the page's socket now and refuses reconnections for `ms`. */
  drop(ms: number): void {
    this.#refuseUntil = Date.now() + ms;
    this.#current?.close({ code: 4000, reason: 'dropped by the test' });
    this.#current = undefined;
  }

  #route(route: WebSocketRoute): void {
    if (Date.now() < this.#refuseUntil) {
      route.close({ code: 4000, reason: 'refused by the test' });
      return;
    }
    this.connections += 1;
    this.#current = route;
    const server = route.connectToServer();
    route.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      // What the old connection still brings after a drop never reaches the page.
      if (this.#current !== route) return;
      const parsed = JSON.parse(String(message)) as { type?: string; id?: string; name?: string; orderId?: string };
      if (parsed.type === 'event') this.events.push({ id: parsed.id ?? '', name: parsed.name ?? '', orderId: parsed.orderId ?? '' });
      route.send(message);
    });
    route.onClose(() => server.close());
    server.onClose(() => route.close());
  }
}
