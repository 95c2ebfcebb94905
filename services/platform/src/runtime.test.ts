import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRuntime } from './runtime.ts';
import { FakeSidecar } from './testing/fake-sidecar.ts';

let fake: FakeSidecar;
let port: number;

beforeEach(async () => {
  fake = new FakeSidecar();
  fake.answer = () => ({ status: 200, body: { ok: true } });
  port = Number(new URL(await fake.start()).port);
});
afterEach(() => fake.stop());

const config = (timeoutMs: number) => ({
  HOST: '127.0.0.1',
  DAPR_API_TOKEN: 'd'.repeat(32),
  APP_API_TOKEN: 'a'.repeat(32),
  DAPR_HOST: '127.0.0.1',
  DAPR_HTTP_PORT: port,
  DAPR_TIMEOUT_MS: timeoutMs,
  PUBSUB_NAME: 'pubsub',
  PUBLISH_LANES: 0,
});

it('gives a service a sidecar client at the configured address, sending the Dapr API token', async () => {
  const runtime = createRuntime('test-service', config(1_000));
  await runtime.sidecar.call('reading', '/v1.0/state/statestore/k');
  expect(fake.received).toHaveLength(1);
  expect(fake.received[0]!.url).toBe('/v1.0/state/statestore/k');
  expect(fake.received[0]!.headers['dapr-api-token']).toBe('d'.repeat(32));
  await runtime.stopTelemetry();
});

it('bounds each sidecar call by the configured timeout', async () => {
  fake.answer = () => 'silence';
  const runtime = createRuntime('test-service', config(200));
  const started = performance.now();
  await expect(runtime.sidecar.call('reading', '/v1.0/state/statestore/k')).rejects.toThrow();
  expect(performance.now() - started).toBeLessThan(2_000);
  await runtime.stopTelemetry();
});

it('exposes the deliveries in flight and the service label in its metrics', async () => {
  const runtime = createRuntime('test-service', config(1_000));
  let finish!: () => void;
  const work = runtime.inFlight.track(() => new Promise<void>((resolve) => (finish = resolve)));
  const text = await runtime.metrics.registry.metrics();
  expect(text).toMatch(/^sweetgiggles_deliveries_in_flight\{service="test-service"\} 1$/m);
  finish();
  await work;
  expect(await runtime.metrics.registry.metrics()).toMatch(/^sweetgiggles_deliveries_in_flight\{service="test-service"\} 0$/m);
  await runtime.stopTelemetry();
});
