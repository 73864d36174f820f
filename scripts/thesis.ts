// `npm run thesis -- import file.md` / `npm run thesis -- export <slug> [file.md]` against the
// configured DATABASE_URL (default file:./data/warren.db): the admin area's import and export, for
// writing offline. `npm run thesis -- check-indent [--fix]`: stored text the old editor indented
// (see server/publishing/README.md).
import { existsSync } from 'node:fs';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { buildDeps } from '../server/deps.ts';
import { runThesisCommand } from '../server/publishing/thesis-command.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const { deps, close } = await buildDeps(loadConfig(process.env), { logger: pino({ level: 'warn' }) });
try {
  process.exitCode = await runThesisCommand(deps, process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
} finally {
  await close();
}
