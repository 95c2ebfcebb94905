import { describe, expect, it } from 'vitest';
import { AddressLimits } from './address-limits.ts';

describe('AddressLimits', () => {
  const limits = () => new AddressLimits({ maxSocketsPerAddress: 2, maxHandshakesPerWindow: 3, windowMs: 1_000 });

  it('caps the open sockets of one address, and frees a place when one closes', () => {
    const l = limits();
    expect(l.admit('a', 0)).toBeUndefined();
    expect(l.admit('a', 1)).toBeUndefined();
    expect(l.admit('b', 2)).toBeUndefined();
    expect(l.admit('a', 3)).toBe('too-many-sockets');
    l.closed('a');
    expect(l.admit('a', 1_500)).toBeUndefined();
  });

  it('limits the handshakes of one address per window', () => {
    const l = limits();
    for (let i = 0; i < 3; i++) {
      expect(l.admit('a', i)).toBeUndefined();
      l.closed('a');
    }
    expect(l.admit('a', 10)).toBe('too-many-handshakes');
    expect(l.admit('other', 10)).toBeUndefined();
    expect(l.admit('a', 1_010)).toBeUndefined();
    l.closed('a');
    l.closed('a');
  });

  it('forgets idle addresses once it tracks many', () => {
    const l = limits();
    for (let i = 0; i < 1_500; i++) {
      const address = `10.0.${Math.floor(i / 256)}.${i % 256}`;
      l.admit(address, 0);
      l.closed(address);
    }
    l.admit('late', 5_000);
    expect(l.size).toBeLessThan(10);
  });
});
