import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the real site in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core). One file at a time: a browser and a server process each, on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // Tests that start server processes run the bundle `npm start` runs: built once, first.
    globalSetup: ['test/support/build-server.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
