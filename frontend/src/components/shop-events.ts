/**
 * The facts elements report upwards. Each is a CustomEvent that bubbles out of shadow roots, with a
 * typed detail; the shell turns them into store actions.
 */
export interface ShopEventDetails {
  'add-to-cart': { sku: string };
  'quantity-change': { sku: string; quantity: number };
  'remove-from-cart': { sku: string };
  checkout: Record<string, never>;
  'cancel-order': { orderId: string };
  'refresh-trace': Record<string, never>;
}

export type ShopEventName = keyof ShopEventDetails;

export function shopEvent<Name extends ShopEventName>(name: Name, detail: ShopEventDetails[Name]): CustomEvent<ShopEventDetails[Name]> {
  return new CustomEvent(name, { detail, bubbles: true, composed: true });
}

declare global {
  interface HTMLElementEventMap {
    'add-to-cart': CustomEvent<ShopEventDetails['add-to-cart']>;
    'quantity-change': CustomEvent<ShopEventDetails['quantity-change']>;
    'remove-from-cart': CustomEvent<ShopEventDetails['remove-from-cart']>;
    checkout: CustomEvent<ShopEventDetails['checkout']>;
    'cancel-order': CustomEvent<ShopEventDetails['cancel-order']>;
    'refresh-trace': CustomEvent<ShopEventDetails['refresh-trace']>;
  }
}
