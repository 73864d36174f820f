import type request from 'supertest';
import { expectStatus } from './harness.ts';
import { submittedFields } from './editor-form.ts';

type Agent = ReturnType<typeof request.agent>;

/** Opens the editor, replaces the body of members' section `index` (and ticks "editorial" if asked), saves. */
export async function editMemberBody(admin: Agent, slug: string, index: number, edit: (body: string) => string, extra: [string, string][] = []) {
  const page = await admin.get(`/admin/theses/${slug}`).expect(200);
  let seen = -1;
  const fields = submittedFields(page.text, `/admin/theses/${slug}`).map(([name, value]): [string, string] =>
    name === 'memberBody' && ++seen === index ? [name, edit(value.replace(/\r\n/g, '\n'))] : [name, value],
  );
  const body = new URLSearchParams([...fields, ...extra]).toString();
  return expectStatus(await admin.post(`/admin/theses/${slug}`).type('form').send(body), 303);
}
