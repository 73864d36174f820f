import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, startWarren, type Warren } from './support/harness.ts';
import { ADMIN, buyAndSignIn, signInAdmin, signInWithoutPurchase } from './support/signals.ts';
import { submittedFields } from './support/editor-form.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;
const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&{{x}}';

async function editMember(admin: Agent, slug: string, index: number, title: string | null, body: (b: string) => string, extra: [string, string][] = []) {
  const page = await admin.get(`/admin/theses/${slug}`).expect(200);
  let seenBody = -1;
  let seenTitle = -1;
  const fields = submittedFields(page.text, `/admin/theses/${slug}`).map(([name, value]): [string, string] => {
    if (name === 'memberBody' && ++seenBody === index) return [name, body(value.replace(/\r\n/g, '\n'))];
    if (name === 'memberTitle' && ++seenTitle === index && title !== null) return [name, title];
    return [name, value];
  });
  return expectStatus(await admin.post(`/admin/theses/${slug}`).type('form').send(new URLSearchParams([...fields, ...extra]).toString()), 303);
}

describe("Members' section text stays escaped", () => {
  let warren: Warren;
  let admin: Agent;
  let member: Agent;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    ({ agent: member } = await buyAndSignIn(warren, 'm@example.com'));
    await warren.deliverMail();
  });
  afterAll(async () => warren.close());

  it('section title/body HTML is escaped on the history page, the thesis page and in the e-mail', async () => {
    warren.clock.advance(60_000);
    await editMember(admin, DEMO_SLUG, 0, `Sizing ${XSS}`, (b) => `${b}\n\n${XSS} SECRETWORD`);
    const [entry] = await warren.db.signalUpdate.findMany({ where: { kind: 'section' } });
    const page = (await member.get(`/theses/${DEMO_SLUG}/members/sections/${entry.sectionKey}`).expect(200)).text;
    expect(entry.sectionKey).toMatch(/^[a-z0-9-]+$/);
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;');
    const thesis = (await member.get(`/theses/${DEMO_SLUG}`).expect(200)).text;
    expect(thesis).not.toContain('<script>alert(1)');
    await warren.deliverMail();
    const [mail] = warren.inbox.to('m@example.com').filter((m) => m.subject?.includes("members' layer"));
    expect(mail.html).not.toContain('<script>alert');
    expect(mail.html).not.toContain('<img src=x');
    // Nobody else: anonymous, signed in without purchase, a forged/odd key.
    const { agent: outsider } = await signInWithoutPurchase(warren, 'o@example.com');
    for (const agent of [outsider, request(warren.app)]) {
      for (const path of [`/theses/${DEMO_SLUG}/members/sections/${entry.sectionKey}`, `/theses/${DEMO_SLUG}/signals/log.json`, `/theses/${DEMO_SLUG}/members/sections/..%2f..%2fsignals`]) {
        const res = await agent.get(path);
        expect(res.status).toBe(403);
        expect(res.text).not.toContain('SECRETWORD');
      }
      const pub = await agent.get(`/theses/${DEMO_SLUG}`);
      expect(pub.text).not.toContain('SECRETWORD');
    }
    // A member with a traversal-ish key: plain 404.
    expect((await member.get(`/theses/${DEMO_SLUG}/members/sections/..%2F..%2Fsignals%2Flog.json`)).status).toBe(404);
  });
});
