import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, startWarren, submitForm, type Warren } from './support/harness.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';
import { submittedFields } from './support/editor-form.ts';
import { thesisForm } from './support/thesis-form.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;
const SLUG = 'race-draft';
const editor = `/admin/theses/${SLUG}`;

// PostgreSQL runs transactions side by side (READ COMMITTED): an autosave that read the thesis as a
// draft must not write over it once a publish that committed meanwhile made it public.
describe('Autosave racing a publish (PostgreSQL)', () => {
  let warren: Warren;
  let admin: Agent;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    expectStatus(await submitForm(admin, '/admin/theses/new', '/admin/theses/new', thesisForm({ slug: SLUG }) as Record<string, string>), 303);
  });
  afterAll(() => warren.close());

  it('When a publish holds the thesis while an autosave arrives and then commits, then the autosave answers 409 and the published text is not changed', async () => {
    const page = await admin.get(editor).expect(200);
    const fields = submittedFields(page.text, editor).map(([name, value]): [string, string] =>
      name === 'tagline' ? [name, 'A tagline typed while the publish ran.'] : [name, value],
    );
    const before = await warren.db.thesis.findUniqueOrThrow({ where: { slug: SLUG } });

    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another request's publish: the row is updated (and so locked) but not yet committed.
    const publishing = warren.db.$transaction(
      async (tx) => {
        await tx.thesis.update({ where: { slug: SLUG }, data: { publishedAt: warren.clock.now(), revision: { increment: 1 } } });
        locked();
        await held;
      },
      { timeout: 15_000 },
    );
    await isLocked;
    const autosaving = admin
      .post(editor)
      .type('form')
      .set('Accept', 'application/json')
      .send(new URLSearchParams([...fields, ['autosave', '1']]).toString())
      .then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 500));
    commit();
    await publishing;
    const res = await autosaving;

    expect(res.status).toBe(409);
    const after = await warren.db.thesis.findUniqueOrThrow({ where: { slug: SLUG } });
    expect(after.tagline).toBe(before.tagline);
    expect(after.publishedAt).not.toBeNull();
  });
});
