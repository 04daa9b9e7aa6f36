import { defineConfig } from 'vitest/config';

const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_DEV: 'false', POWERTOOLS_LOG_LEVEL: 'WARN' };

/**
 * Three projects, so the inner loop stays fast: `unit` (pure code, no emulator, seconds), `cdk`
 * (synthesis, assertions, cdk-nag) and `integration` (moto server, SFTP, the local pipeline).
 * Only the integration project starts the emulator. `npm test` runs all three.
 */
export default defineConfig({
  test: {
    // Integration files each run their own isolated pipeline; two cores allow two at a time.
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000, env } },
      { test: { name: 'cdk', include: ['test/cdk/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, env } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          env,
        },
      },
    ],
  },
});
