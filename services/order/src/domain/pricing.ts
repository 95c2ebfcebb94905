import { findProduct, type OrderLine, type PlaceOrderRequest } from '@sweetgiggles/contracts';
import { UnknownProduct } from './errors.ts';

/**
 * Turns the requested items into priced order lines, merging repeated SKUs, with prices frozen
 * from the catalog at this moment. Throws UnknownProduct for a SKU the shop does not sell.
 */
export function priceItems(items: PlaceOrderRequest['items']): { lines: OrderLine[]; totalCents: number } {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of items) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  const lines = [...quantities].map(([sku, quantity]) => {
    const product = findProduct(sku);
    if (!product) throw new UnknownProduct(sku);
    return { sku, name: product.name, quantity, unitPriceCents: product.priceCents };
  });
  const totalCents = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  return { lines, totalCents };
}
