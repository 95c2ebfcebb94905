import { expect, test } from 'vitest';
import { isAllowedOrigin } from './origin.ts';

test('the shop’s own origin is allowed, on http and https', () => {
  expect(isAllowedOrigin('http://localhost:8080', 'localhost:8080', [])).toBe(true);
  expect(isAllowedOrigin('https://shop.example', 'shop.example', [])).toBe(true);
});

test('another site is refused unless it is on the allow list', () => {
  expect(isAllowedOrigin('http://evil.example', 'localhost:8080', [])).toBe(false);
  expect(isAllowedOrigin('http://localhost:5173', 'localhost:8080', [])).toBe(false);
  expect(isAllowedOrigin('http://localhost:5173', 'localhost:8080', ['http://localhost:5173'])).toBe(true);
});

test('odd origins are refused', () => {
  expect(isAllowedOrigin('null', 'localhost:8080', [])).toBe(false);
  expect(isAllowedOrigin('file://localhost:8080', 'localhost:8080', [])).toBe(false);
  expect(isAllowedOrigin('http://localhost:8080', undefined, [])).toBe(false);
});

test('a client that is not a browser page sends no Origin and is allowed', () => {
  expect(isAllowedOrigin(undefined, 'localhost:8080', [])).toBe(true);
});
