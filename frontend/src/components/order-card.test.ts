import { html } from 'lit';
import { expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { mount, recordEvents, textOf } from '../testing/mount.ts';
import { orderId, orderState } from '../testing/fixtures.ts';
import type { OrderCard } from './order-card.ts';
import './order-card.ts';

test('shows the order’s status, contents and total', async () => {
  await mount(html`<order-card .order=${orderState({ status: 'paid' })}></order-card>`);
  await expect.element(page.getByRole('heading', { name: `Order ${orderId.slice(0, 8)}` })).toBeVisible();
  await expect.element(page.getByTestId('order-status')).toHaveTextContent('Paid');
  await expect.element(page.getByText('2 × Gummy Bears')).toBeVisible();
  await expect.element(page.getByText(/\$5\.98/)).toBeVisible();
});

test('tells the saga in a customer’s words, with times, in order', async () => {
  const steps = [
    { name: 'OrderCreated' as const, time: '2026-11-25T10:00:00.000Z' },
    { name: 'PaymentAccepted' as const, time: '2026-11-25T10:00:01.000Z', data: { amountCents: 598 } },
    { name: 'WorkerSearchCompleted' as const, time: '2026-11-25T10:00:02.000Z', data: { workerName: 'Ada', attempt: 1 } },
    { name: 'DeliveryStarted' as const, time: '2026-11-25T10:00:03.000Z', data: { workerName: 'Ada', etaSeconds: 600 } },
  ];
  await mount(html`<order-card .order=${orderState({ status: 'delivering', steps, cancellable: false })}></order-card>`);
  const timeline = page.getByRole('list', { name: `Progress of order ${orderId.slice(0, 8)}` });
  await expect.element(timeline).toBeVisible();
  const items = timeline.getByRole('listitem').elements();
  expect(items.map((item) => item.querySelector('.title')?.textContent)).toEqual([
    'Order placed',
    'Payment accepted',
    'Driver found',
    'On the way',
  ]);
  await expect.element(page.getByText('Your payment of $5.98 went through.')).toBeVisible();
  await expect.element(page.getByText('Ada picked up your candy, about 10 min away.')).toBeVisible();
  expect(items[0]?.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-25T10:00:00.000Z');
  expect(items[0]?.querySelector('time')?.textContent).not.toBe('');
});

test('offers a cancel button only while the order can be cancelled', async () => {
  const card = await mount<OrderCard>(html`<order-card .order=${orderState()}></order-card>`);
  const cancels = recordEvents<{ orderId: string }>(card, 'cancel-order');
  await page.getByRole('button', { name: 'Cancel order' }).click();
  expect(cancels).toEqual([{ orderId }]);

  card.order = orderState({ isCancelling: true });
  await expect.element(page.getByRole('button', { name: 'Cancelling…' })).toBeDisabled();

  card.order = orderState({ status: 'delivering', cancellable: false, problem: 'Too late to cancel: this order is already on its way.' });
  await expect.poll(() => textOf(page.getByRole('alert'))).toMatch(/^Too late to cancel/);
  expect(page.getByRole('button').elements()).toHaveLength(0);
});

test('says so while the order is held up by a step the shop could not handle', async () => {
  const stuck = { event: 'PaymentAccepted' as const, since: '2026-11-25T10:00:05.000Z' };
  const card = await mount<OrderCard>(html`<order-card .order=${orderState({ status: 'paid', stuck })}></order-card>`);
  await expect.element(page.getByTestId('order-stuck')).toHaveTextContent('Held up');
  await expect.element(page.getByTestId('order-status')).toHaveTextContent('Paid');
  await expect.poll(() => textOf(page.getByRole('status'))).toMatch(/^Held up since .+ could not handle “Payment accepted”/);

  card.order = orderState({ status: 'paid' });
  await expect.poll(() => page.getByTestId('order-stuck').elements().length).toBe(0);
  expect(page.getByRole('status').elements()).toHaveLength(0);
});

test('a cancelled, refunded order says so', async () => {
  const steps = [
    { name: 'OrderCreated' as const, time: '2026-11-25T10:00:00.000Z' },
    { name: 'OrderCancelled' as const, time: '2026-11-25T10:00:02.000Z', data: { reason: 'customer_request' } },
    { name: 'PaymentRefunded' as const, time: '2026-11-25T10:00:03.000Z', data: { amountCents: 598 } },
  ];
  await mount(html`<order-card .order=${orderState({ status: 'cancelled', steps, cancellable: false })}></order-card>`);
  await expect.element(page.getByTestId('order-status')).toHaveTextContent('Cancelled');
  await expect.element(page.getByText('We refunded $5.98 to you.')).toBeVisible();
});

test('links to the order’s trace, behind the scenes, only when the shop traces', async () => {
  const card = await mount<OrderCard>(html`<order-card .order=${orderState()}></order-card>`);
  expect(page.getByRole('link', { name: 'Behind the scenes' }).elements()).toHaveLength(0);
  card.traceable = true;
  await expect.element(page.getByRole('link', { name: 'Behind the scenes' })).toHaveAttribute('href', `trace.html?order=${orderId}`);
});
