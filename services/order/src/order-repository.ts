import { Repository, type VersionedStore } from '@sweetgiggles/platform';
import type { Order } from './domain/order.ts';

/** The orders, one record per order (`order-<orderId>`) with the events its changes produced. */
export type OrderRepository = Repository<Order>;

export const orderRepository = (store: Pick<VersionedStore, 'get' | 'save'>): OrderRepository => new Repository<Order>(store, 'order');
