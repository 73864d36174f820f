// `npm run build`: bundles the server (our code only; packages stay in node_modules) into
// dist/main.js, which `npm start` runs with plain node: no TypeScript loader in production, which
// starts faster and holds less memory. Takes well under a second; `npm start` runs it first.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../server/paths.ts';

/** Sits one level below the repository, as server/ does, so server/paths.ts finds the root from either. */
export const BUNDLE = path.join(REPO_ROOT, 'dist', 'main.js');

export async function buildServer(): Promise<void> {
  await build({
    entryPoints: [path.join(REPO_ROOT, 'server', 'main.ts')],
    outfile: BUNDLE,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildServer();
