import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { revokeAllSessions } from '../server/accounts/sessions.repo.ts';
import { createSiteServer } from '../server/app.ts';
import { DEMO_SLUG, WEBHOOK_SECRET, buyThesis, postWebhook, signInByEmail, startInstance, startWarren, type Warren } from './support/harness.ts';

interface RawResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** One request over a real socket, answered as raw bytes (headers in order and casing, body undecoded). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
          resolve({ status: res.statusCode!, headers: pairs, body: Buffer.concat(chunks) });
        });
      })
      .on('error', reject);
  });
}

/** Each response's own: its date and request id (never replayed from the cache). */
const PER_REQUEST = new Set(['date', 'x-request-id']);
const sharedHeaders = (headers: [string, string][]) => headers.map(([name, value]): [string, string] => [name, PER_REQUEST.has(name.toLowerCase()) ? '(own)' : value]);
const header = (res: RawResponse, name: string) => res.headers.find(([key]) => key.toLowerCase() === name)?.[1];

describe('Caches in front of the hot paths', () => {
  let warren: Warren;
  let server: http.Server;
  let base: string;
  const thesisPath = `/theses/${DEMO_SLUG}`;
  // As the editor saves: new content, next revision (thesis views are cached per revision).
  const setTitle = (title: string) =>
    warren.db.thesis.update({ where: { slug: DEMO_SLUG }, data: { title, revision: { increment: 1 } } });

  beforeAll(async () => {
    warren = await startWarren();
    // The server main.ts runs: hits are answered before Express.
    server = createSiteServer(warren.deps, warren.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await warren.close();
  });

  it('When the public page is served from memory, then its status, headers and body are byte for byte those of the full stack', async () => {
    await warren.deps.catalog.contentChanged();
    const encodings: Record<string, string>[] = [{}, { 'accept-encoding': 'gzip, deflate, br' }];
    for (const encoding of encodings) {
      const full = await rawGet(base, thesisPath, encoding);
      const cached = await rawGet(base, thesisPath, encoding);
      expect(full.status).toBe(200);
      expect(cached.status).toBe(200);
      expect(sharedHeaders(cached.headers)).toEqual(sharedHeaders(full.headers));
      expect(header(cached, 'x-request-id')).not.toBe(header(full, 'x-request-id'));
      expect(cached.body.equals(full.body)).toBe(true);
      expect(header(full, 'cache-control')).toBe('public, max-age=60');
      expect(header(full, 'etag')).toMatch(/^W\/"/);
    }
    expect(warren.deps.catalog.publicPages.size).toBe(2); // one entry per Accept-Encoding
    const gzipped = await rawGet(base, thesisPath, { 'accept-encoding': 'gzip' });
    expect(header(gzipped, 'content-encoding')).toBe('gzip');
  });

  it('When a client accepts no encoding, then pages go out as they are, still marked as varying by Accept-Encoding', async () => {
    const { agent } = await signInByEmailAfterPurchase('identity.reader@example.com');
    for (const res of [await request(warren.app).get('/').set('Accept-Encoding', ''), await agent.get(thesisPath).set('Accept-Encoding', '')]) {
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toMatch(/Accept-Encoding/);
    }
    const gzipped = await agent.get(thesisPath).set('Accept-Encoding', 'gzip').expect(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.text).toContain('id="members-layer"');
  });

  it('When the browser revalidates with the ETag, then the cached page answers 304 without a body', async () => {
    const page = await rawGet(base, thesisPath);
    const revalidated = await rawGet(base, thesisPath, { 'if-none-match': header(page, 'etag')! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(header(revalidated, 'etag')).toBe(header(page, 'etag'));
  });

  it('When the thesis is edited and the content hook runs, then the next request shows the edit on the page and the catalog', async () => {
    await rawGet(base, thesisPath);
    await rawGet(base, '/');
    await setTitle('The Decode Singularity, revised');
    await warren.deps.catalog.contentChanged();
    expect((await rawGet(base, thesisPath)).body.toString()).toContain('<h1>The Decode Singularity, revised</h1>');
    expect((await request(warren.app).get('/').expect(200)).text).toContain('The Decode Singularity, revised');
  });

  it('When a request carries a cookie, then it is never answered from the cache nor stored in it', async () => {
    await warren.deps.catalog.contentChanged();
    await rawGet(base, thesisPath); // stored for anonymous visitors
    const sizeBefore = warren.deps.catalog.publicPages.size;
    expect(sizeBefore).toBeGreaterThan(0);
    // Not stored: a cookie (even one that signs no one in) may shape the page. Asked gzipped, so
    // storing it would add an entry beside the plain one.
    const withCookie = await rawGet(base, thesisPath, { cookie: 'warren_session=not-a-valid-token', 'accept-encoding': 'gzip' });
    expect(header(withCookie, 'content-encoding')).toBe('gzip');
    expect(warren.deps.catalog.publicPages.size).toBe(sizeBefore);
    // Not answered from it: the stored anonymous page has no members' layer, the buyer's has.
    const { agent } = await signInByEmailAfterPurchase('cookie.reader@example.com');
    const members = await agent.get(thesisPath).expect(200);
    expect(members.text).toContain('id="members-layer"');
    expect(members.headers['cache-control']).toBe('private, no-store');
    expect(warren.deps.catalog.publicPages.size).toBe(sizeBefore);
    const anonymous = await rawGet(base, thesisPath);
    expect(anonymous.body.toString()).not.toContain('id="members-layer"');
  });

  /** A buyer signed in through the e-mail link. */
  async function signInByEmailAfterPurchase(email: string) {
    const { session } = await purchase(email);
    const signedIn = await signInByEmail(warren, email, thesisPath);
    return { ...signedIn, session };
  }

  /** A buyer's session cookie, for requests to other app instances than warren's own. */
  async function memberCookie(email: string) {
    const { confirm } = await signInByEmailAfterPurchase(email);
    return String(confirm.headers['set-cookie']).match(/warren_session=[^;]+/)![0];
  }

  /** Another instance on the same database, with caches of its own. */
  const otherInstance = () => startInstance(warren);

  async function purchase(email: string) {
    const { sessionId } = await buyThesis(warren, email);
    const session = warren.stripe.sessions.get(sessionId)!;
    await postWebhook(warren, warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET)).expect(200);
    return { session };
  }

  it('When a signed-in reader buys the thesis, then the next page shows the members\' layer; when access is removed, the paywall is back', async () => {
    const email = 'late.buyer@example.com';
    await warren.db.user.create({ data: { email, createdAt: warren.clock.now() } });
    const { agent } = await signInByEmail(warren, email, thesisPath);
    expect((await agent.get(thesisPath).expect(200)).text).toContain('id="paywall"'); // "no" is now cached

    await purchase(email);
    const after = await agent.get(thesisPath).expect(200);
    expect(after.text).toContain('id="members-layer"');

    // What a refund, a lost dispute or an admin revoke does: remove the entitlement, then call the hook.
    const user = await warren.db.user.findUniqueOrThrow({ where: { email } });
    await warren.db.entitlement.deleteMany({ where: { userId: user.id } });
    await warren.deps.access.accessChanged(user.id);
    const removed = await agent.get(thesisPath).expect(200);
    expect(removed.text).toContain('id="paywall"');
    expect(removed.text).not.toContain('id="members-layer"');
  });

  it('When a webhook refunds or disputes a member\'s purchase, then their next page shows the paywall', async () => {
    const refunded = await signInByEmailAfterPurchase('webhook.refund@example.com');
    const disputed = await signInByEmailAfterPurchase('webhook.dispute@example.com');
    for (const { agent } of [refunded, disputed]) expect((await agent.get(thesisPath).expect(200)).text).toContain('id="members-layer"'); // "yes" is cached

    await postWebhook(warren, warren.stripe.signedEvent('charge.refunded', warren.stripe.charge(refunded.session, 'full'), WEBHOOK_SECRET)).expect(200);
    await postWebhook(warren, warren.stripe.signedEvent('charge.dispute.created', warren.stripe.dispute(disputed.session, 'needs_response'), WEBHOOK_SECRET)).expect(200);

    for (const { agent } of [refunded, disputed]) {
      const page = await agent.get(thesisPath).expect(200);
      expect(page.text).toContain('id="paywall"');
      expect(page.text).not.toContain('id="members-layer"');
    }
  });

  it('When a webhook concerns another buyer, then a member\'s cached access is left in place', async () => {
    const { agent } = await signInByEmailAfterPurchase('steady.member@example.com');
    expect((await agent.get(thesisPath).expect(200)).text).toContain('id="members-layer"'); // "yes" is cached
    // Taken away behind the caches' back: only this member's own hook would drop the cached "yes".
    const member = await warren.db.user.findUniqueOrThrow({ where: { email: 'steady.member@example.com' } });
    await warren.db.entitlement.deleteMany({ where: { userId: member.id } });

    await purchase('someone.else@example.com');

    expect((await agent.get(thesisPath).expect(200)).text).toContain('id="members-layer"');
    await warren.deps.access.accessChanged(member.id);
    expect((await agent.get(thesisPath).expect(200)).text).toContain('id="paywall"');
  });

  it('When another instance changes access or content, then this instance drops its copies on its next poll', async () => {
    const thesis = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    const user = await warren.db.user.create({ data: { email: 'two.instances@example.com', createdAt: warren.clock.now() } });
    const { app: hereApp, deps: here } = await otherInstance();
    const { deps: there } = await otherInstance();
    await here.changes.poll();
    expect(await here.access.canRead({ userId: user.id }, thesis.id)).toBe(false);
    await request(hereApp).get(thesisPath).expect(200);
    expect(here.catalog.publicPages.size).toBe(1);

    await warren.db.entitlement.create({ data: { userId: user.id, thesisId: thesis.id, createdAt: warren.clock.now(), updatedAt: warren.clock.now() } });
    await there.access.accessChanged(user.id);
    await setTitle('Edited on another instance');
    await there.catalog.contentChanged();
    await here.changes.poll();
    expect(await here.access.canRead({ userId: user.id }, thesis.id)).toBe(true);
    expect(here.catalog.publicPages.size).toBe(0);
    expect((await request(hereApp).get(thesisPath).expect(200)).text).toContain('Edited on another instance');
  });

  it("When the members' layer changes and the content hook runs, then a member's next page shows it", async () => {
    const { agent } = await signInByEmailAfterPurchase('layer.reader@example.com');
    expect((await agent.get(thesisPath).expect(200)).text).toContain('id="members-layer"'); // rendered once, kept
    const thesis = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    const section = await warren.db.memberSection.findFirstOrThrow({ where: { thesisId: thesis.id }, orderBy: { position: 'asc' } });
    await warren.db.memberSection.update({ where: { id: section.id }, data: { body: 'Entry only above the 200-day average.' } });
    await warren.deps.catalog.contentChanged();
    expect((await agent.get(thesisPath).expect(200)).text).toContain('Entry only above the 200-day average.');
  });

  it('When a thesis page comes from its shared shell, then it is byte for byte the page rendered afresh, but for its own CSRF token', async () => {
    const member = await memberCookie('shell.reader@example.com');
    const { app: shells } = await otherInstance();
    // Development renders every thesis page afresh (so template edits show at once).
    const { app: afresh } = await startInstance(warren, { config: { ...warren.config, env: 'development' } });
    const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    for (const cookie of [member, 'warren_session=not-a-valid-token']) {
      const first = await request(shells).get(thesisPath).set('Cookie', cookie).expect(200);
      const second = await request(shells).get(thesisPath).set('Cookie', cookie).expect(200); // from the shell
      const fresh = await request(afresh).get(thesisPath).set('Cookie', cookie).expect(200);
      const signedIn = cookie === member;
      expect(second.text.includes('id="members-layer"')).toBe(signedIn);
      expect(tokenOf(second.text) !== undefined).toBe(signedIn);
      if (signedIn) expect(tokenOf(second.text)).not.toBe(tokenOf(first.text));
      const sameToken = (html: string) => html.replace(/name="_csrf" value="[^"]+"/, 'name="_csrf" value="T"');
      expect(sameToken(second.text)).toBe(sameToken(fresh.text));
      expect(second.headers['content-type']).toBe(fresh.headers['content-type']);
      expect(second.headers['cache-control']).toBe(fresh.headers['cache-control']);
    }
  });

  it('When a member signs out everywhere on another instance, then this instance refuses the old session after its next poll', async () => {
    const email = 'everywhere.reader@example.com';
    const cookie = await memberCookie(email);
    const { app: hereApp, deps: here } = await otherInstance();
    const { deps: there } = await otherInstance();
    await here.changes.poll();
    expect((await request(hereApp).get(thesisPath).set('Cookie', cookie).expect(200)).text).toContain('id="members-layer"');

    const user = await warren.db.user.findUniqueOrThrow({ where: { email } });
    await revokeAllSessions(warren.db, user.id, warren.clock.now());
    await there.sessions.sessionsEnded(user.id);
    await here.changes.poll();
    const after = await request(hereApp).get(thesisPath).set('Cookie', cookie).expect(200);
    expect(after.text).toContain('id="paywall"');
    expect(after.text).not.toContain('id="members-layer"');
  });

  it('When the owner first signs in on another instance, then the new session works here at once, before any poll', async () => {
    const email = 'first.proof@example.com';
    const { app: hereApp } = await otherInstance();
    const { agent, sessionId } = await buyThesis(warren, email);
    const success = await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    const unverified = String(success.headers['set-cookie']).match(/warren_session=[^;]+/)![0];
    // The account's session version is now remembered here.
    expect((await request(hereApp).get(thesisPath).set('Cookie', unverified).expect(200)).text).toContain('id="members-layer"');

    const { confirm } = await signInByEmail(warren, email, thesisPath); // on warren's own instance
    const proven = String(confirm.headers['set-cookie']).match(/warren_session=[^;]+/)![0];
    expect((await request(hereApp).get(thesisPath).set('Cookie', proven).expect(200)).text).toContain('id="members-layer"');
  });

  it('When a page links the stylesheet, then it is a fingerprinted URL cached for a year as immutable', async () => {
    const page = await request(warren.app).get('/').expect(200);
    const href = /href="(\/public\/styles\.[0-9a-f]{12}\.css)"/.exec(page.text)?.[1];
    expect(href).toBeDefined();
    const css = await request(warren.app).get(href!).expect(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.text).toContain('body');
    const plain = await request(warren.app).get('/public/styles.css').expect(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=3600');
  });
});
