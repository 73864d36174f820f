// Vitest global setup: builds dist/main.js once per run, so process tests start what `npm start` runs.
import { buildServer } from '../../scripts/build.ts';

export default async function setup(): Promise<void> {
  await buildServer();
}
