// `npm run thesis -- import file.md` / `npm run thesis -- export <slug> [file.md]` against DATABASE_URL
// (default file:./data/warren.db): the admin area's import and export, for writing offline.
// `npm run thesis -- check-indent [--fix]`: stored text the old editor indented (see server/publishing/README.md).
import { existsSync } from 'node:fs';
import pino from 'pino';
import { openDatabase } from '../server/db/database.ts';
import { systemClock } from '../server/clock.ts';
import { runThesisCommand } from '../server/publishing/thesis-command.ts';
import { createChangeVersions } from '../server/cache/change-versions.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const database = await openDatabase(process.env.DATABASE_URL || 'file:./data/warren.db');
const changeVersions = createChangeVersions({ db: database.prisma, logger: pino({ level: 'warn' }), pollMs: 0, onRemoteChange: () => undefined });
try {
  process.exitCode = await runThesisCommand(database.prisma, systemClock, process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    // The running site's instances cache thesis pages: a changed counter makes them drop them.
    contentChanged: () => changeVersions.bump('content'),
  });
} finally {
  await database.close();
}
