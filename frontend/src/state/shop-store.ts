import type { EventName, Product } from '@sweetgiggles/contracts';
import { addToCart, removeFromCart, setQuantity, type CartLine } from './cart.ts';
import { newId } from './ids.ts';
import type {
  ConnectionState,
  EventMessage,
  NotificationSocket,
  NotificationSocketOptions,
  SubscribedMessage,
} from './notification-socket.ts';
import { applyStep, mergeView, tooLateToCancel, unknownOrder, type OrderState } from './orders.ts';
import { describeStep, isKnownStep } from './saga-words.ts';
import type { SavedSession } from './saved-session.ts';
import { ShopApiError, type ShopApi } from './shop-api.ts';

/** One line of the notifications feed. */
export interface FeedItem {
  id: string;
  orderId: string;
  name: EventName;
  time: string;
  title: string;
  detail: string;
}

/** Everything the storefront shows. Elements render it; only the store changes it. */
export interface ShopState {
  customerId: string;
  products: Product[];
  isCatalogLoading: boolean;
  catalogProblem?: string;
  cart: CartLine[];
  isPlacingOrder: boolean;
  checkoutProblem?: string;
  /** Newest first. */
  orders: OrderState[];
  /** Newest first, the last few only. */
  feed: FeedItem[];
  connection: ConnectionState;
  /** Whether the shop can show an order's trace ("behind the scenes"): only when it runs with a tracing backend. */
  isTracing: boolean;
}

export interface ShopStoreDeps {
  api: ShopApi;
  session: SavedSession;
  /** Builds the notification socket; the store passes in what it needs to hear. */
  connect: (
    options: Pick<NotificationSocketOptions, 'customerId' | 'lastEventId' | 'onEvent' | 'onSubscribed' | 'onStateChange'>,
  ) => NotificationSocket;
}

const feedLength = 20;

/**
 * The storefront's state and everything that changes it: the catalog, the cart, checkout, the
 * customer's orders and their live timelines. It talks to the shop API and the notification socket;
 * elements subscribe to it and call its actions.
 */
export class ShopStore {
  #state: ShopState;
  readonly #deps: ShopStoreDeps;
  readonly #listeners = new Set<() => void>();
  #socket: NotificationSocket | undefined;
  /** The Idempotency-Key of the purchase in progress: kept until it surely succeeded or failed, so a retry buys once. */
  #checkoutKey: string | undefined;
  readonly #fetching = new Set<string>();
  /** Orders first heard of while this page's checkout was under way: its answer is likely one of them. */
  readonly #heardDuringCheckout = new Set<string>();

  constructor(deps: ShopStoreDeps) {
    this.#deps = deps;
    this.#state = {
      customerId: deps.session.customerId(),
      products: [],
      isCatalogLoading: true,
      cart: deps.session.cart(),
      isPlacingOrder: false,
      orders: [],
      feed: [],
      connection: 'connecting',
      isTracing: false,
    };
  }

  get state(): ShopState {
    return this.#state;
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Loads the catalog and the saved orders, and opens the notification socket. */
  async start(): Promise<void> {
    this.#socket = this.#deps.connect({
      customerId: this.#state.customerId,
      lastEventId: () => this.#deps.session.lastEventId(),
      onEvent: (message) => this.#onEvent(message),
      onSubscribed: (message) => this.#onSubscribed(message),
      onStateChange: (connection) => this.#set({ connection }),
    });
    this.#socket.start();
    await Promise.all([
      this.#loadCatalog(),
      this.#loadTracing(),
      ...this.#deps.session.orderIds().map((orderId) => this.#refreshOrder(orderId)),
    ]);
  }

  stop(): void {
    this.#socket?.stop();
  }

  /** Tries to reconnect at once, e.g. when the browser says it is online again. */
  reconnect(): void {
    this.#socket?.reconnectNow();
  }

  addToCart(sku: string): void {
    this.#setCart(addToCart(this.#state.cart, sku));
  }

  setQuantity(sku: string, quantity: number): void {
    this.#setCart(setQuantity(this.#state.cart, sku, quantity));
  }

  removeFromCart(sku: string): void {
    this.#setCart(removeFromCart(this.#state.cart, sku));
  }

  /** Places the cart as an order. A second call while the first is under way does nothing. */
  async checkout(): Promise<void> {
    const { cart, customerId, isPlacingOrder } = this.#state;
    if (isPlacingOrder || cart.length === 0) return;
    this.#checkoutKey ??= newId();
    this.#set({ isPlacingOrder: true, checkoutProblem: undefined });
    let placed: string | undefined;
    try {
      const view = await this.#deps.api.placeOrder(
        { customerId, items: cart.map(({ sku, quantity }) => ({ sku, quantity })) },
        this.#checkoutKey,
      );
      this.#checkoutKey = undefined;
      placed = view.orderId;
      this.#deps.session.addOrderId(view.orderId);
      this.#deps.session.setCart([]);
      this.#set({ cart: [], isPlacingOrder: false, orders: this.#withOrder(mergeView(this.#order(view.orderId), view)) });
    } catch (error) {
      // A 4xx was a definite no: the next try is a new purchase. Otherwise it may have gone through, so keep the key.
      if (error instanceof ShopApiError && error.status < 500) this.#checkoutKey = undefined;
      this.#set({ isPlacingOrder: false, checkoutProblem: problemOf(error, 'Your order could not be placed. Please try again.') });
    } finally {
      // What the answer did not bring (an order placed in another tab, or an answer lost), the shop API knows.
      for (const orderId of this.#heardDuringCheckout) if (orderId !== placed) void this.#refreshOrder(orderId);
      this.#heardDuringCheckout.clear();
    }
  }

  /** Asks the shop to cancel an order; says so on the order when it is too late. */
  async cancelOrder(orderId: string): Promise<void> {
    const order = this.#order(orderId);
    if (!order || order.isCancelling) return;
    this.#updateOrder(orderId, (current) => ({ ...current, isCancelling: true, problem: undefined }));
    try {
      const view = await this.#deps.api.cancelOrder(orderId, this.#state.customerId);
      this.#updateOrder(orderId, (current) => mergeView({ ...current, isCancelling: false }, view));
    } catch (error) {
      const problem =
        error instanceof ShopApiError && error.status === 409
          ? tooLateToCancel
          : problemOf(error, 'The order could not be cancelled. Please try again.');
      this.#updateOrder(orderId, (current) => ({ ...current, isCancelling: false, cancellable: false, problem }));
      await this.#refreshOrder(orderId);
    }
  }

  async #loadCatalog(): Promise<void> {
    try {
      this.#set({ products: await this.#deps.api.catalog(), isCatalogLoading: false, catalogProblem: undefined });
    } catch (error) {
      this.#set({
        isCatalogLoading: false,
        catalogProblem: problemOf(error, 'The candy shelf could not be loaded. Please reload the page.'),
      });
    }
  }

  async #loadTracing(): Promise<void> {
    try {
      this.#set({ isTracing: (await this.#deps.api.tracingStatus()).enabled === true });
    } catch {
      // A shop that cannot say has no traces to show: the orders simply have no "behind the scenes" link.
    }
  }

  async #refreshOrder(orderId: string): Promise<void> {
    if (this.#fetching.has(orderId)) return;
    this.#fetching.add(orderId);
    try {
      const view = await this.#deps.api.order(orderId, this.#state.customerId);
      this.#set({ orders: this.#withOrder(mergeView(this.#order(orderId), view)) });
    } catch {
      // The order stays as the storefront knew it; the next (re)connection refreshes it again.
    } finally {
      this.#fetching.delete(orderId);
    }
  }

  #onSubscribed(message: SubscribedMessage): void {
    if (this.#deps.session.lastEventId() === undefined) this.#deps.session.setLastEventId(message.lastEventId ?? '0');
    // Whatever happened while the socket was down and is no longer replayable, the shop API still knows.
    for (const order of this.#state.orders) {
      if (message.truncated || (order.status !== 'completed' && order.status !== 'cancelled')) void this.#refreshOrder(order.orderId);
    }
  }

  #onEvent(message: EventMessage): void {
    this.#deps.session.setLastEventId(message.id);
    if (!isKnownStep(message.name) || this.#state.feed.some((item) => item.id === message.id)) return;
    const step = { name: message.name, time: message.time, data: message.data };
    const known = this.#order(message.orderId);
    if (!known) {
      // An order placed elsewhere (another tab), or whose POST has not answered yet: then the answer
      // brings it, and asking now could reach the shop before the order is recorded.
      this.#deps.session.addOrderId(message.orderId);
      if (this.#state.isPlacingOrder) this.#heardDuringCheckout.add(message.orderId);
      else void this.#refreshOrder(message.orderId);
    }
    const order = applyStep(known ?? unknownOrder(message.orderId, message.time), step);
    const words = describeStep(message.name, message.data);
    const item: FeedItem = { id: message.id, orderId: message.orderId, name: message.name, time: message.time, ...words };
    this.#set({ orders: this.#withOrder(order), feed: [item, ...this.#state.feed].slice(0, feedLength) });
  }

  #order(orderId: string): OrderState | undefined {
    return this.#state.orders.find((order) => order.orderId === orderId);
  }

  #withOrder(order: OrderState): OrderState[] {
    const others = this.#state.orders.filter((candidate) => candidate.orderId !== order.orderId);
    return [order, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  #updateOrder(orderId: string, change: (order: OrderState) => OrderState): void {
    const order = this.#order(orderId);
    if (order) this.#set({ orders: this.#withOrder(change(order)) });
  }

  #setCart(cart: CartLine[]): void {
    // A different cart is a different purchase: it gets a new Idempotency-Key.
    this.#checkoutKey = undefined;
    this.#deps.session.setCart(cart);
    this.#set({ cart, checkoutProblem: undefined });
  }

  #set(change: Partial<ShopState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener();
  }
}

function problemOf(error: unknown, fallback: string): string {
  return error instanceof ShopApiError && error.status < 500 ? error.message : fallback;
}
