import { expect, test } from 'vitest';
import { ConfigError } from '@sweetgiggles/platform';
import { loadConfig } from './config.ts';

test('defaults serve the shop on 8080 with both subscriptions and bounded sockets', () => {
  const config = loadConfig({});
  expect(config.PORT).toBe(8080);
  expect(config.PUBSUB_NAME).toBe('pubsub');
  expect(config.BROADCAST_PUBSUB_NAME).toBe('pubsub-broadcast');
  expect(config.WS_ALLOWED_ORIGINS).toEqual([]);
  expect(config.WS_MAX_PAYLOAD_BYTES).toBeGreaterThan(0);
});

test('the origin allow list is a comma-separated list of origins', () => {
  const config = loadConfig({ WS_ALLOWED_ORIGINS: 'http://localhost:5173, https://shop.example/' });
  expect(config.WS_ALLOWED_ORIGINS).toEqual(['http://localhost:5173', 'https://shop.example']);
});

test('bad values are all named at once', () => {
  expect(() => loadConfig({ WS_ALLOWED_ORIGINS: 'not a url', WS_MAX_CONNECTIONS: '0' })).toThrow(ConfigError);
  try {
    loadConfig({ WS_ALLOWED_ORIGINS: 'not a url', WS_MAX_CONNECTIONS: '0' });
  } catch (error) {
    expect(String(error)).toMatch(/WS_ALLOWED_ORIGINS/);
    expect(String(error)).toMatch(/WS_MAX_CONNECTIONS/);
  }
});

test('an explicit STATIC_DIR wins over the built storefront', () => {
  expect(loadConfig({ STATIC_DIR: '/srv/shop' }).STATIC_DIR).toBe('/srv/shop');
});
