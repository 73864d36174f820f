import { defineConfig } from 'vitest/config';

// The whole suite runs once per database. PostgreSQL is never optional in CI.
const postgresUrl = process.env.TEST_DATABASE_URL;
if (!postgresUrl) {
  if (process.env.CI) throw new Error('CI needs TEST_DATABASE_URL: the suite must also run on PostgreSQL.');
  console.warn('[warren] TEST_DATABASE_URL is not set: the PostgreSQL run of the suite is skipped (SQLite only).');
}

const project = (name: 'sqlite' | 'postgres') => ({
  extends: true as const,
  test: { name, env: { WARREN_TEST_DB: name } },
});

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [project('sqlite'), ...(postgresUrl ? [project('postgres')] : [])],
  },
});
