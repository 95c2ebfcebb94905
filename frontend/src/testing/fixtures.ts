import type { OrderView, Product } from '@sweetgiggles/contracts';
import type { OrderState } from '../state/orders.ts';

export const products: Product[] = [
  { sku: 'gummy-bears', name: 'Gummy Bears', description: 'Chewy fruit bears.', priceCents: 299, color: '#e63946' },
  { sku: 'chocolate-truffles', name: 'Chocolate Truffles', description: 'Dark ganache.', priceCents: 899, color: '#6f4e37' },
  { sku: 'candy-canes', name: 'Candy Canes', description: 'Peppermint hooks.', priceCents: 199, color: '#d00000' },
];

export const orderId = '0b7c1d9e-5a4f-4c1e-9e11-2a3b4c5d6e7f';

export function orderView(change: Partial<OrderView> = {}): OrderView {
  return {
    orderId,
    customerId: 'customer-1',
    status: 'created',
    items: [{ sku: 'gummy-bears', name: 'Gummy Bears', quantity: 2, unitPriceCents: 299 }],
    totalCents: 598,
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    cancellable: true,
    history: [{ name: 'OrderCreated', time: '2026-11-25T10:00:00.000Z' }],
    ...change,
  };
}

export function orderState(change: Partial<OrderState> = {}): OrderState {
  const view = orderView();
  return {
    orderId: view.orderId,
    status: view.status,
    items: view.items,
    totalCents: view.totalCents,
    createdAt: view.createdAt,
    cancellable: true,
    steps: [{ name: 'OrderCreated', time: view.createdAt }],
    isCancelling: false,
    ...change,
  };
}
