import { defineConfig } from 'vitest/config';

// The real public samples live outside the repo (../shared/fixtures/public in CI and beside a
// developer checkout); `npm run test:samples DIR` points SAMPLES_DIR at them.
export default defineConfig({
  test: {
    include: ['test/samples/**/*.test.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
