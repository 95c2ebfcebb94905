import { html } from 'lit';
import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { mount, recordEvents } from '../testing/mount.ts';
import { products } from '../testing/fixtures.ts';
import type { ShoppingCart } from './shopping-cart.ts';
import './shopping-cart.ts';

const lines = [
  { sku: 'gummy-bears', quantity: 2 },
  { sku: 'candy-canes', quantity: 1 },
];

test('lists each candy with its quantity and line price, and the total', async () => {
  await mount(html`<shopping-cart .lines=${lines} .products=${products}></shopping-cart>`);
  await expect.element(page.getByText('Gummy Bears')).toBeVisible();
  await expect.element(page.getByLabelText('Quantity of Gummy Bears')).toHaveValue(2);
  await expect.element(page.getByText('$5.98')).toBeVisible();
  await expect.element(page.getByTestId('cart-total')).toHaveTextContent('$7.97');
});

test('quantities change with the buttons and by typing, and lines can be removed', async () => {
  const cart = await mount<ShoppingCart>(html`<shopping-cart .lines=${lines} .products=${products}></shopping-cart>`);
  const changes = recordEvents<{ sku: string; quantity: number }>(cart, 'quantity-change');
  const removals = recordEvents<{ sku: string }>(cart, 'remove-from-cart');
  await page.getByRole('button', { name: 'One more Gummy Bears' }).click();
  await page.getByRole('button', { name: 'One less Candy Canes' }).click();
  await userEvent.fill(page.getByLabelText('Quantity of Gummy Bears'), '12');
  await userEvent.keyboard('{Tab}');
  await page.getByRole('button', { name: 'Remove Candy Canes from cart' }).click();
  expect(changes).toEqual([
    { sku: 'gummy-bears', quantity: 3 },
    { sku: 'candy-canes', quantity: 0 },
    { sku: 'gummy-bears', quantity: 12 },
  ]);
  expect(removals).toEqual([{ sku: 'candy-canes' }]);
});

test('checkout is offered only for a cart with something in it, and once at a time', async () => {
  const cart = await mount<ShoppingCart>(html`<shopping-cart .lines=${[]} .products=${products}></shopping-cart>`);
  const checkouts = recordEvents(cart, 'checkout');
  await expect.element(page.getByText('Your cart is empty. Add some candy!')).toBeVisible();
  await expect.element(page.getByRole('button', { name: 'Buy now' })).toBeDisabled();

  cart.lines = lines;
  await page.getByRole('button', { name: 'Buy now' }).click();
  expect(checkouts).toHaveLength(1);

  cart.busy = true;
  await expect.element(page.getByRole('button', { name: 'Placing your order…' })).toBeDisabled();
});

test('a failed checkout says why', async () => {
  await mount(html`<shopping-cart .lines=${lines} .products=${products} problem="Your order could not be placed."></shopping-cart>`);
  await expect.element(page.getByRole('alert')).toHaveTextContent('Your order could not be placed.');
});
