import { html } from 'lit';
import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { mount, recordEvents, textOf } from '../testing/mount.ts';
import { products } from '../testing/fixtures.ts';
import type { CandyCatalog } from './candy-catalog.ts';
import './candy-catalog.ts';

test('shows every candy with its picture, description and price', async () => {
  await mount(html`<candy-catalog .products=${products}></candy-catalog>`);
  await expect.element(page.getByRole('heading', { name: 'Chocolate Truffles' })).toBeVisible();
  await expect.element(page.getByText('Dark ganache.')).toBeVisible();
  await expect.element(page.getByText('$8.99')).toBeVisible();
  expect(page.getByRole('listitem').elements()).toHaveLength(products.length);
});

test('adding a candy, by mouse or keyboard, tells the page which one', async () => {
  const catalog = await mount<CandyCatalog>(html`<candy-catalog .products=${products}></candy-catalog>`);
  const added = recordEvents<{ sku: string }>(catalog, 'add-to-cart');
  await page.getByRole('button', { name: 'Add Candy Canes to cart' }).click();
  (catalog.renderRoot.querySelector('button[aria-label="Add Gummy Bears to cart"]') as HTMLButtonElement).focus();
  await userEvent.keyboard('{Enter}');
  expect(added).toEqual([{ sku: 'candy-canes' }, { sku: 'gummy-bears' }]);
});

test('says how many of a candy are already in the cart', async () => {
  await mount(html`<candy-catalog .products=${products} .inCart=${new Map([['gummy-bears', 3]])}></candy-catalog>`);
  await expect.element(page.getByRole('button', { name: 'Add Gummy Bears to cart' })).toHaveTextContent('Add (3)');
});

test('shows loading and failure instead of an empty shelf', async () => {
  const catalog = await mount<CandyCatalog>(html`<candy-catalog loading></candy-catalog>`);
  await expect.element(page.getByText('Filling the shelves…')).toBeVisible();
  catalog.problem = 'The candy shelf could not be loaded.';
  await expect.poll(() => textOf(page.getByRole('alert'))).toContain('could not be loaded');
});
