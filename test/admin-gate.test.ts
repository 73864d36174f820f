import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { isAdmin } from '../server/admin/admin-gate.ts';
import { DEMO_SLUG, csrfToken, signInByEmail, startWarren, type Warren } from './support/harness.ts';
import { adminRoutesOf } from './support/routes.ts';

const ADMIN = 'publisher@example.com';
const READER = 'reader@example.com';
const NEW_ADMIN = 'new.publisher@example.com';

describe('The admin gate', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: `${ADMIN},${NEW_ADMIN}` });
    const createdAt = warren.clock.now();
    await warren.db.user.createMany({ data: [{ email: ADMIN, createdAt }, { email: READER, createdAt }, { email: 'promoted@example.com', role: 'admin', createdAt }] });
  });
  afterAll(() => warren.close());

  const concrete = (path: string) => path.replace(/:slug/g, DEMO_SLUG).replace(/:(\w+)/g, 'x');
  const variants = (path: string) => [path, path.toUpperCase(), `${path}/`];

  it('When the router is read, then it lists the admin routes (the list below is not empty)', () => {
    expect(adminRoutesOf(warren.app)).toContainEqual({ method: 'GET', path: '/admin/' });
  });

  it('When an anonymous visitor asks for any admin route, in any case or with a trailing slash, then they are refused', async () => {
    for (const route of adminRoutesOf(warren.app)) {
      for (const path of variants(concrete(route.path))) {
        const res = await request(warren.app)[route.method.toLowerCase() as 'get'](path);
        if (route.method === 'GET' || route.method === 'HEAD') {
          expect(res.status, `${route.method} ${path}`).toBe(303);
          expect(res.headers.location).toMatch(/^\/login\?next=/);
        } else {
          expect([401, 403], `${route.method} ${path}`).toContain(res.status);
        }
      }
    }
  });

  it('When a signed-in reader asks for any admin route, then the answer is 403 and no admin content', async () => {
    const { agent } = await signInByEmail(warren, READER);
    const _csrf = csrfToken((await agent.get('/')).text);
    for (const route of adminRoutesOf(warren.app)) {
      for (const path of variants(concrete(route.path))) {
        const res = await agent[route.method.toLowerCase() as 'post'](path).type('form').send({ _csrf });
        expect(res.status, `${route.method} ${path}`).toBe(403);
        expect(res.text).not.toContain('Signed in as');
      }
    }
  });

  it('When an admin (named in ADMIN_EMAILS) opens /admin, then the dashboard shows', async () => {
    const { agent } = await signInByEmail(warren, ADMIN);
    const res = await agent.get('/admin').expect(200);
    expect(res.text).toContain(`Signed in as ${ADMIN}`);
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('When a promoted admin is demoted, then /admin refuses them on the next request, though the header\'s link is remembered for a while', async () => {
    const { agent } = await signInByEmail(warren, 'promoted@example.com');
    await agent.get('/admin').expect(200);
    expect((await agent.get('/').expect(200)).text).toContain('<a href="/admin">Admin</a>');
    await warren.db.user.update({ where: { email: 'promoted@example.com' }, data: { role: 'member' } });
    // The link is a convenience (admin/admin-link.ts); the gate asks the database on every request.
    const refused = await agent.get('/admin').expect(403);
    expect(refused.text).not.toContain('Signed in as');
    await agent.post('/admin/theses/new').type('form').send({ _csrf: csrfToken((await agent.get('/').expect(200)).text) }).expect(403);
  });

  it('When a publisher named in ADMIN_EMAILS has no account yet (a fresh site), then the e-mailed link signs them in to /admin', async () => {
    expect(await warren.db.user.count({ where: { email: NEW_ADMIN } })).toBe(0);
    const { agent, confirm } = await signInByEmail(warren, NEW_ADMIN);
    expect(confirm.status).toBe(303);
    expect((await agent.get('/admin').expect(200)).text).toContain(`Signed in as ${NEW_ADMIN}`);
  });

  it('When a person was promoted, then they are an admin; ADMIN_EMAILS and role decide, nothing else', () => {
    expect(isAdmin({ email: 'promoted@example.com', role: 'admin' }, [])).toBe(true);
    expect(isAdmin({ email: ADMIN, role: 'member' }, [ADMIN])).toBe(true);
    expect(isAdmin({ email: READER, role: 'member' }, [ADMIN])).toBe(false);
    expect(isAdmin(null, [ADMIN])).toBe(false);
  });
});
