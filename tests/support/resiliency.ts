import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/system.ts';

/**
 * A directory holding the shop's Resiliency policy with event-delivery retries that run out within
 * a second (three, 100 ms apart), for a system whose tests need an event to dead-letter soon
 * (`daprResourcesDir`). Publishing keeps the shop's own policy.
 */
export function quickRetries(basePort: number): string {
  const dir = join(repoRoot, 'test-results', `resiliency-${basePort}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'resiliency.yaml'),
    `apiVersion: dapr.io/v1alpha1
kind: Resiliency
metadata:
  name: sweetgiggles
spec:
  policies:
    retries:
      eventDelivery: { policy: constant, duration: 100ms, maxRetries: 3 }
      publish: { policy: exponential, maxInterval: 2s, maxRetries: 5 }
  targets:
    components:
      pubsub:
        inbound: { retry: eventDelivery }
        outbound: { retry: publish }
`,
  );
  return dir;
}
