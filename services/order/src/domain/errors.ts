import { DomainError } from '@sweetgiggles/platform';

export class UnknownProduct extends DomainError {
  constructor(sku: string) {
    super('unknown_product', `the shop does not sell ${JSON.stringify(sku)}`, 422);
  }
}

export class OrderNotCancellable extends DomainError {
  constructor(orderId: string, status: string) {
    super('not_cancellable', `order ${orderId} is ${status} and can no longer be cancelled`, 409);
  }
}

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super('idempotency_key_reused', 'this Idempotency-Key was already used for a different order', 422);
  }
}
