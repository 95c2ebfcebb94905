import { defineConfig } from 'vitest/config';

/**
 * One Vitest run, several projects: pure unit tests, static checks of the deployment files, the
 * storefront's components in Chromium, the integration and end-to-end suites that start the real
 * services with real daprd sidecars against the machine's Redis and RabbitMQ, and the whole system
 * under Docker Compose, and the Kubernetes manifests on a real control plane.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['services/*/src/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/fuzz/**/*.test.ts', 'tests/docs/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'deploy',
          include: ['tests/deploy/**/*.test.ts'],
          testTimeout: 120_000,
          globalSetup: ['tests/support/brokers-setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/observability/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // Stops the run at once, saying what to start, when Redis or RabbitMQ does not answer.
          globalSetup: ['tests/support/brokers-setup.ts'],
          setupFiles: ['tests/support/failure-logs.ts'],
        },
      },
      {
        test: {
          // docker compose up on a real Docker engine (skipped where none answers, but never in CI).
          name: 'compose',
          include: ['tests/compose/**/*.test.ts'],
          setupFiles: ['tests/support/failure-logs.ts'],
          testTimeout: 300_000,
          hookTimeout: 660_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // k8s/ on a real control plane with Dapr's real injector, kwok nodes and the autoscaler
          // (skipped where scripts/deploy/kubernetes.sh has not built the tools, but never in CI).
          name: 'kubernetes',
          include: ['tests/kubernetes/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 660_000,
          fileParallelism: false,
        },
      },
      'frontend/vitest.config.ts',
    ],
  },
});
