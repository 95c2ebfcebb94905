import { expect, test } from 'vitest';
import { maxQuantityPerLine } from '@sweetgiggles/contracts/rules';
import { products } from '../testing/fixtures.ts';
import { addToCart, cartCount, cartTotal, removeFromCart, setQuantity } from './cart.ts';

test('adding a candy twice makes one line of two', () => {
  const cart = addToCart(addToCart([], 'gummy-bears'), 'gummy-bears');
  expect(cart).toEqual([{ sku: 'gummy-bears', quantity: 2 }]);
  expect(cartCount(cart)).toBe(2);
});

test('quantities stay within the shop’s limit, and zero removes the line', () => {
  const cart = [{ sku: 'gummy-bears', quantity: 2 }];
  expect(setQuantity(cart, 'gummy-bears', 500)).toEqual([{ sku: 'gummy-bears', quantity: maxQuantityPerLine }]);
  expect(setQuantity(cart, 'gummy-bears', 0)).toEqual([]);
  expect(setQuantity(cart, 'gummy-bears', Number.NaN)).toEqual([]);
  expect(removeFromCart(cart, 'gummy-bears')).toEqual([]);
});

test('the total uses the catalog’s prices, in cents', () => {
  expect(
    cartTotal(
      [
        { sku: 'gummy-bears', quantity: 3 },
        { sku: 'candy-canes', quantity: 1 },
      ],
      products,
    ),
  ).toBe(3 * 299 + 199);
  expect(cartTotal([{ sku: 'unknown', quantity: 3 }], products)).toBe(0);
});
