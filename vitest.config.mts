import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The samples check reads ../shared, which only exists beside a developer checkout or in CI.
    exclude: ['test/samples/**', 'node_modules/**'],
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_DEV: 'false',
      // Metrics go to stdout: tests that check them make their own (test/unit/metrics.test.ts).
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
  },
});
