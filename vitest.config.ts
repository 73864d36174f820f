import { defineConfig } from 'vitest/config';

// The whole suite runs once per database. PostgreSQL is never optional in CI.
const postgresUrl = process.env.TEST_DATABASE_URL;
if (!postgresUrl) {
  if (process.env.CI) throw new Error('CI needs TEST_DATABASE_URL: the suite must also run on PostgreSQL.');
  console.warn('[warren] TEST_DATABASE_URL is not set: the PostgreSQL run of the suite is skipped (SQLite only).');
}

// `*.postgres.test.ts` / `*.sqlite.test.ts` are about one database only (e.g. several instances on
// PostgreSQL, SQLite file backups): only that project registers them.
const project = (name: 'sqlite' | 'postgres') => ({
  extends: true as const,
  test: {
    name,
    env: { WARREN_TEST_DB: name },
    exclude: ['**/node_modules/**', 'test/e2e/**', name === 'sqlite' ? 'test/**/*.postgres.test.ts' : 'test/**/*.sqlite.test.ts'],
  },
});

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that start server processes run the bundle `npm start` runs: built once, first.
    globalSetup: ['test/support/build-server.ts'],
    // Browser tests have their own config and command: vitest.e2e.config.ts, `npm run test:e2e`.
    exclude: ['**/node_modules/**', 'test/e2e/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [project('sqlite'), ...(postgresUrl ? [project('postgres')] : [])],
  },
});
