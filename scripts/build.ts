// `npm run build`: bundles the server and the packages it uses into dist/main.js, which `npm start`
// runs with plain node. No TypeScript loader and one file instead of some thousand modules to find
// and read: start-up takes about a third of the time and less memory (bench/RESULTS.md). Takes
// about a second; `npm start` runs it first.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../server/paths.ts';

/** Sits one level below the repository, as server/ does, so server/paths.ts finds the root from either. */
export const BUNDLE = path.join(REPO_ROOT, 'dist', 'main.js');

/** The node arguments of `npm start` (package.json): what the benchmark and process tests run too. */
export function startArguments(): string[] {
  const start: string = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts.start;
  const [command, ...args] = start.split(/\s+/);
  if (command !== 'node') throw new Error(`npm start should run node directly, not: ${start}`);
  return args;
}

export async function buildServer(): Promise<void> {
  const { outputFiles } = await build({
    write: false,
    entryPoints: [path.join(REPO_ROOT, 'server', 'main.ts')],
    outfile: BUNDLE,
    bundle: true,
    external: [
      // Native, or found on disk at run time.
      'better-sqlite3',
      '@prisma/schema-engine-wasm',
      // One query compiler per database provider, each several MB: only the one in use is loaded.
      '@prisma/client/runtime/query_compiler_*',
      // The development inbox's parser (server/mail/dev-inbox.routes.ts), never used in production.
      'mailparser',
      // Reads its own data files (fonts, colour profiles) from beside its code at run time.
      'pdfkit',
    ],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Bundled CommonJS packages call require() for Node's own modules.
    banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
    // Smaller source to parse and keep; names stay, so logs and profiles read as the code does.
    minifyWhitespace: true,
    minifySyntax: true,
    // Not read unless node runs with --enable-source-maps (which costs ~75 MB): for debugging.
    sourcemap: true,
    logLevel: 'warning',
  });
  // V8 keeps the bundle's source in memory for as long as the process runs: one character outside
  // ASCII (esbuild escapes them in strings, not in regular expressions) stores all of it at two
  // bytes a character, about 5 MB more in every idle process.
  const bundle = outputFiles.find((file) => file.path === BUNDLE);
  const wide = bundle?.text.search(/[\u0080-\uffff]/) ?? -1;
  if (wide >= 0) throw new Error(`The bundle holds a character outside ASCII (write it as \\u…): …${bundle!.text.slice(Math.max(0, wide - 60), wide + 20)}…`);
  // Written beside and renamed: a server starting meanwhile (parallel test runs) never reads half a file.
  mkdirSync(path.dirname(BUNDLE), { recursive: true });
  for (const file of outputFiles) {
    const partial = `${file.path}.${process.pid}.partial`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildServer();
