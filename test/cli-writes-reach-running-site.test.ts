// A write made by a command (another process) reaches a running site's caches through the change
// bus: no request of the site's own is involved, so only the announcement can empty them.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';
import { freePort, postgresUrl, startAppProcess, type AppProcess } from './support/app-process.ts';
import { REPO_ROOT } from '../server/paths.ts';

const SLUG = 'decode-singularity';

describe('A command-line write and a running site', () => {
  let database: TestDatabase;
  let site: AppProcess;
  let folder: string;
  const env = () => ({ NODE_ENV: 'development', DATABASE_URL: postgresUrl(database.url, database.schema), LOG_LEVEL: 'warn' });

  beforeAll(async () => {
    database = await openTestDatabase();
    folder = await mkdtemp(path.join(tmpdir(), 'warren-cli-'));
    const port = await freePort();
    site = await startAppProcess({ ...env(), DEMO_CONTENT: 'true', LOG_LEVEL: 'info', PORT: String(port), APP_URL: `http://127.0.0.1:${port}` });
  }, 60_000);
  afterAll(async () => {
    await site?.stop('SIGKILL');
    await database?.destroy();
    await rm(folder, { recursive: true, force: true });
  });

  const thesisPage = async () => (await fetch(`${site.url}/theses/${SLUG}`)).text();
  const thesisCommand = (...args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'scripts/thesis.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env() } });

  /** Asks the site until the page satisfies `test` or `attempts` polls of the change bus have surely passed. */
  async function pageOnceSettled(test: (html: string) => boolean, attempts = 40): Promise<string> {
    let html = await thesisPage();
    for (let i = 0; i < attempts && !test(html); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      html = await thesisPage();
    }
    return html;
  }

  it('When `npm run thesis -- import` changes a thesis, then the running site serves the new text after its next poll, where a write that announces nothing stays unseen', async () => {
    const original = await thesisPage();
    const headingOf = (html: string) => /<h1[^>]*>([^<]+)<\/h1>/.exec(html)?.[1];
    const title = headingOf(original);
    expect(title).toBeTruthy();

    // Behind the caches' back: the site keeps serving what it holds (this is what the bus is for).
    await database.prisma.thesis.update({ where: { slug: SLUG }, data: { title: 'Changed without telling anyone' } });
    const unannounced = await pageOnceSettled((html) => html.includes('Changed without telling anyone'), 8);
    expect(unannounced).not.toContain('Changed without telling anyone');
    expect(headingOf(unannounced)).toBe(title);

    const file = path.join(folder, `${SLUG}.md`);
    await thesisCommand('export', SLUG, file);
    const exported = await readFile(file, 'utf8');
    expect(exported).toContain('Changed without telling anyone');
    await writeFile(file, exported.replace('Changed without telling anyone', 'Imported from the command line'), 'utf8');
    const { stdout } = await thesisCommand('import', file, '--as', 'writer@example.com');
    expect(stdout).toContain(`Updated thesis "${SLUG}"`);

    const after = await pageOnceSettled((html) => html.includes('Imported from the command line'));
    expect(headingOf(after)).toBe('Imported from the command line');
  }, 120_000);
});
