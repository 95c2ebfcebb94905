import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, readConfig, sidecarConfigSchema } from './config.ts';

const token = 'x'.repeat(32);

describe('reading the configuration', () => {
  it('gives typed values with their defaults', () => {
    const config = readConfig(sidecarConfigSchema.extend({ PORT: env.port(3001) }), { DAPR_API_TOKEN: token, APP_API_TOKEN: token });
    expect(config).toMatchObject({ HOST: '127.0.0.1', DAPR_HTTP_PORT: 3500, DAPR_TIMEOUT_MS: 5_000, PUBSUB_NAME: 'pubsub', PORT: 3001 });
  });

  it('fails once, naming every bad key', () => {
    const schema = sidecarConfigSchema.extend({ PORT: env.port(3001), DECLINE: env.probability(0) });
    let error: unknown;
    try {
      readConfig(schema, { DAPR_API_TOKEN: 'short', PORT: '70000', DECLINE: '1.5', DAPR_TIMEOUT_MS: 'soon' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const key of ['DAPR_API_TOKEN', 'APP_API_TOKEN', 'PORT', 'DECLINE', 'DAPR_TIMEOUT_MS']) expect(message).toContain(`  ${key}: `);
    expect(message).not.toContain('HOST');
  });

  it('keeps numbers within their limits', () => {
    const schema = z.object({ DELAY: env.millis(0), RETRIES: env.optionalInt() });
    expect(readConfig(schema, { DELAY: '250', RETRIES: '3' })).toEqual({ DELAY: 250, RETRIES: 3 });
    expect(readConfig(schema, {})).toEqual({ DELAY: 0 });
    expect(() => readConfig(schema, { DELAY: '-1' })).toThrow(ConfigError);
    expect(() => readConfig(schema, { DELAY: String(3_600_001) })).toThrow(ConfigError);
  });
});
