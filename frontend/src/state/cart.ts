import type { Product } from '@sweetgiggles/contracts';
import { maxLinesPerOrder, maxQuantityPerLine } from '@sweetgiggles/contracts/rules';

/** One candy in the cart. */
export interface CartLine {
  sku: string;
  quantity: number;
}

export function addToCart(cart: readonly CartLine[], sku: string): CartLine[] {
  const line = cart.find((candidate) => candidate.sku === sku);
  if (line) return setQuantity(cart, sku, line.quantity + 1);
  if (cart.length >= maxLinesPerOrder) return [...cart];
  return [...cart, { sku, quantity: 1 }];
}

/** Sets a line's quantity, clamped to the shop's limit; zero or less removes the line. */
export function setQuantity(cart: readonly CartLine[], sku: string, quantity: number): CartLine[] {
  if (!Number.isFinite(quantity) || quantity < 1) return removeFromCart(cart, sku);
  const clamped = Math.min(maxQuantityPerLine, Math.floor(quantity));
  return cart.map((line) => (line.sku === sku ? { sku, quantity: clamped } : line));
}

export function removeFromCart(cart: readonly CartLine[], sku: string): CartLine[] {
  return cart.filter((line) => line.sku !== sku);
}

/** The cart's total in cents, at the catalog's prices; lines for unknown products count nothing. */
export function cartTotal(cart: readonly CartLine[], products: readonly Product[]): number {
  return cart.reduce((total, line) => total + (products.find((product) => product.sku === line.sku)?.priceCents ?? 0) * line.quantity, 0);
}

export function cartCount(cart: readonly CartLine[]): number {
  return cart.reduce((count, line) => count + line.quantity, 0);
}
