import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Says once when the moto tier (test/moto) is skipped for want of moto_server.
    globalSetup: ['test/moto/moto-notice.ts'],
    // Integration tests start real servers on free ports; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
