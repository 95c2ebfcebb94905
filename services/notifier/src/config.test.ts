import { expect, test } from 'vitest';
import { ConfigError } from '@sweetgiggles/platform';
import { loadConfig as load } from './config.ts';

const tokens = { DAPR_API_TOKEN: 'd'.repeat(64), APP_API_TOKEN: 'a'.repeat(64) };
const loadConfig = (source: Record<string, string>) => load({ ...tokens, ...source });

test('defaults serve the shop on 8080 with both subscriptions and bounded sockets', () => {
  const config = loadConfig({});
  expect(config.PORT).toBe(8080);
  expect(config.PUBSUB_NAME).toBe('pubsub');
  expect(config.BROADCAST_PUBSUB_NAME).toBe('pubsub-broadcast');
  expect(config.WS_ALLOWED_ORIGINS).toEqual([]);
  expect(config.WS_MAX_PAYLOAD_BYTES).toBeGreaterThan(0);
  expect(config.HOST).toBe('127.0.0.1');
  expect(config.INTERNAL_PORT).not.toBe(config.PORT);
});

test('refuses to start without both Dapr tokens, or with short ones, naming each', () => {
  for (const source of [{}, { DAPR_API_TOKEN: 'short', APP_API_TOKEN: 'short' }]) {
    expect(() => load(source)).toThrow(ConfigError);
    try {
      load(source);
    } catch (error) {
      expect(String(error)).toMatch(/DAPR_API_TOKEN/);
      expect(String(error)).toMatch(/APP_API_TOKEN/);
    }
  }
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
