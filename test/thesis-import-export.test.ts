import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { demoThesis } from '../server/publishing/demo-thesis.ts';
import { runThesisCommand } from '../server/publishing/thesis-command.ts';
import { DEMO_SLUG, expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { captured, contentAnnouncements } from './support/command-output.ts';

const ADMIN = 'publisher@example.com';
const dir = mkdtempSync(path.join(tmpdir(), 'warren-thesis-'));

const OFFLINE_FILE = `---
slug: written-offline
series: Open Intelligence · Public Thesis
subject: Offline Co
title: Written Offline
tagline: Drafted on a train.
price: "120.50"
currency: CAD
disclosure:
  position: none
  compensation: None
  statement: General information, not personalised advice.
stressTests:
  - argument: It is too early.
    assumption: Nobody buys yet.
    verdict: Partial
signals:
  - title: First customer
    description: A named customer in production.
memberSections:
  - title: Position sizing
    summary: Bands.
    body: |
      OFFLINE-SECRET sizing text.

      - a list item
publicClosing: |
  ## Final Condition

  Read after the offer.
membersExcerpt: |
  Scout band: **half a percent**.

  - gate one
---
## Why

The public argument, written offline.
`;

describe('Importing and exporting a thesis as Markdown with front-matter', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    await warren.db.user.create({ data: { email: ADMIN, createdAt: warren.clock.now() } });
  });
  afterAll(() => warren.close());

  it('When the command imports a file, then a draft is created with every part, and exporting it gives the same content back', async () => {
    const file = path.join(dir, 'offline.md');
    writeFileSync(file, OFFLINE_FILE);
    const { said, io } = captured();
    const before = await contentAnnouncements(warren.db);
    expect(await runThesisCommand(warren.deps, ['import', file, '--as', 'writer@example.com'], io)).toBe(0);
    expect(said.out).toContain('Created draft thesis "written-offline"');
    expect((await contentAnnouncements(warren.db)) - before).toBe(1); // running instances are told to drop their cached pages
    const thesis = await warren.db.thesis.findUniqueOrThrow({
      where: { slug: 'written-offline' },
      include: { memberSections: true, signals: true, stressTests: true, revisions: true },
    });
    expect(thesis).toMatchObject({ title: 'Written Offline', priceAmount: 12050, currency: 'cad', publishedAt: null, disclosurePosition: 'none' });
    expect(thesis.publicBody).toBe('## Why\n\nThe public argument, written offline.');
    expect(thesis.publicClosing).toBe('## Final Condition\n\nRead after the offer.');
    expect(thesis.membersExcerpt).toBe('Scout band: **half a percent**.\n\n- gate one');
    expect(thesis.memberSections[0].body).toContain('OFFLINE-SECRET sizing text.');
    expect(thesis.revisions).toMatchObject([{ authorEmail: 'writer@example.com', summary: 'created' }]);

    const out = path.join(dir, 'exported.md');
    expect(await runThesisCommand(warren.deps, ['export', 'written-offline', out], captured().io)).toBe(0);
    // Re-importing the export changes nothing: the round trip is lossless.
    expect(await runThesisCommand(warren.deps, ['import', out], captured().io)).toBe(0);
    expect(await warren.db.thesisRevision.count({ where: { thesisId: thesis.id } })).toBe(1);
    expect(readFileSync(out, 'utf8')).toContain('slug: written-offline');
    expect(readFileSync(out, 'utf8')).toContain('publicClosing: |-\n  ## Final Condition\n\n  Read after the offer.');
    expect(readFileSync(out, 'utf8')).toContain('membersExcerpt: |-\n  Scout band: **half a percent**.\n\n  - gate one');
  });

  it('When a file is invalid or tries to run code, then nothing is imported and the problems are named', async () => {
    const bad = path.join(dir, 'bad.md');
    writeFileSync(bad, '---\nslug: Not A Slug\ntitle: ""\n---\nbody');
    const { said, io } = captured();
    expect(await runThesisCommand(warren.deps, ['import', bad], io)).toBe(1);
    expect(said.err).toContain('slug');
    const code = path.join(dir, 'code.md');
    writeFileSync(code, '---js\n{ slug: (globalThis.pwned = true, "pwned") }\n---\nbody');
    expect(await runThesisCommand(warren.deps, ['import', code], captured().io)).toBe(1);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
    expect(await warren.db.thesis.count({ where: { slug: { in: ['pwned', 'not-a-slug'] } } })).toBe(0);
    expect(await runThesisCommand(warren.deps, ['frobnicate'], captured().io)).toBe(2);

    const longClosing = path.join(dir, 'long-closing.md');
    writeFileSync(longClosing, OFFLINE_FILE.replace('slug: written-offline', 'slug: long-closing').replace('  Read after the offer.', `  ${'x'.repeat(50_001)}`));
    const refused = captured();
    expect(await runThesisCommand(warren.deps, ['import', longClosing], refused.io)).toBe(1);
    expect(refused.said.err).toContain('publicClosing: must be at most 50000 characters');
    expect(await warren.db.thesis.count({ where: { slug: 'long-closing' } })).toBe(0);

    const longExcerpt = path.join(dir, 'long-excerpt.md');
    writeFileSync(longExcerpt, OFFLINE_FILE.replace('slug: written-offline', 'slug: long-excerpt').replace('  - gate one', `  ${'x'.repeat(5_001)}`));
    const tooLong = captured();
    expect(await runThesisCommand(warren.deps, ['import', longExcerpt], tooLong.io)).toBe(1);
    expect(tooLong.said.err).toContain('membersExcerpt: must be at most 5000 characters');
    expect(await warren.db.thesis.count({ where: { slug: 'long-excerpt' } })).toBe(0);
  });

  it('When the admin exports and re-imports through the admin area, then the same functions run and signals keep their ids', async () => {
    const { agent } = await signInByEmail(warren, ADMIN);
    const exported = await agent.get(`/admin/theses/${DEMO_SLUG}/export`).expect(200);
    expect(exported.headers['content-type']).toContain('text/markdown');
    expect(exported.headers['content-disposition']).toContain(`${DEMO_SLUG}.md`);
    expect(exported.text).toContain(demoThesis.memberSections[0].body.slice(0, 40));
    const signalsBefore = await warren.db.signal.findMany({ where: { thesis: { slug: DEMO_SLUG } }, orderBy: { position: 'asc' } });

    const edited = exported.text.replace(`title: ${demoThesis.title}`, 'title: The Decode Singularity, revised');
    expectStatus(await submitForm(agent, '/admin/theses/import', '/admin/theses/import', { file: edited }), 303);
    const page = await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(page.text).toContain('The Decode Singularity, revised');
    expect(page.text).toContain('<h2 id="section-final-condition">Final Condition</h2>');
    const signalsAfter = await warren.db.signal.findMany({ where: { thesis: { slug: DEMO_SLUG } }, orderBy: { position: 'asc' } });
    expect(signalsAfter.map((signal) => signal.id)).toEqual(signalsBefore.map((signal) => signal.id));

    const refused = expectStatus(await submitForm(agent, '/admin/theses/import', '/admin/theses/import', { file: '---\nslug: x y\n---\n' }), 400);
    expect(refused.text).toContain('Nothing was saved');
  });
});
