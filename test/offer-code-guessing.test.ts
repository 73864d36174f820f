import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { csrfToken, DEMO_SLUG, expectStatus, startWarren, type Warren } from './support/harness.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';

/**
 * `?offer=CODE` answers whether a code exists and applies (the notice, or why not), and an offer's code
 * may be as short as three characters: without a limit, one visitor could try every short code and
 * find a free review copy.
 */
describe('Guessing offer codes', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    const admin = await signInAdmin(warren);
    const demo = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    const page = expectStatus(await admin.get('/admin/offers'), 200);
    expectStatus(await admin.post('/admin/offers').type('form').send({ thesisId: demo.id, kind: 'percent', percentOff: '100', code: 'ZZ9', _csrf: csrfToken(page.text) }), 303);
  });
  afterAll(() => warren.close());

  it('When one IP tries more than 30 offer codes on the thesis page or on the buy page, then 429 and the code is not checked; pages without a code still answer', async () => {
    const guesser = request(warren.app);
    for (const page of [`/theses/${DEMO_SLUG}`, `/theses/${DEMO_SLUG}/buy`]) {
      for (let n = 0; n < 30; n++) expect((await guesser.get(`${page}?offer=G${String(n).padStart(2, '0')}`)).status).toBe(200);
      const blocked = await guesser.get(`${page}?offer=ZZ9`);
      expect(blocked.status).toBe(429);
      expect(blocked.text).not.toContain('Review copy');
      expect((await guesser.get(page)).status).toBe(200);
    }
  });
});
