import { defineConfig } from 'vitest/config';

/**
 * One Vitest run, several projects: pure unit tests, static checks of the deployment files, the
 * storefront's components in Chromium, and the integration and end-to-end suites that start the real
 * services with real daprd sidecars against the machine's Redis and RabbitMQ.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['services/*/src/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/fuzz/**/*.test.ts'] } },
      { test: { name: 'deploy', include: ['tests/deploy/**/*.test.ts'], testTimeout: 120_000 } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/observability/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      'frontend/vitest.config.ts',
    ],
  },
});
