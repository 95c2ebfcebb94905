import { describe, expect, it } from 'vitest';
import { DependencyError, DomainError, NotFound, ServiceError } from './errors.ts';

class OutOfStock extends DomainError {
  constructor(sku: string) {
    super('out_of_stock', `${sku} is sold out`, 409);
  }
}

describe('service errors', () => {
  it('say whose the failure is: a domain error is the caller’s (4xx), a dependency error is not (5xx)', () => {
    const domain = new DomainError('invalid_request', 'no items');
    const dependency = new DependencyError('store_unavailable', 'try again');
    expect(domain).toBeInstanceOf(ServiceError);
    expect(dependency).toBeInstanceOf(ServiceError);
    expect(domain).not.toBeInstanceOf(DependencyError);
    expect(dependency).not.toBeInstanceOf(DomainError);
    expect(domain.status).toBe(400);
    expect(dependency.status).toBe(503);
  });

  it('keep their code, message and status, and are named for their class', () => {
    const error = new OutOfStock('gummy-bears');
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'OutOfStock', code: 'out_of_stock', status: 409, message: 'gummy-bears is sold out' });
    expect(String(error)).toBe('OutOfStock: gummy-bears is sold out');
  });

  it('answer a missing thing with a 404 naming it', () => {
    expect(new NotFound('order 1')).toMatchObject({ name: 'NotFound', code: 'not_found', status: 404, message: 'order 1 was not found' });
  });
});
