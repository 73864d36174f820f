import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, startWarren, type Warren } from './support/harness.ts';
import { buyAndSignIn, demoSignals, recordUpdate, signInAdmin, signInWithoutPurchase } from './support/signals.ts';
import { verifyChain } from '../server/signals/hash-chain.ts';

const BOARD = `/theses/${DEMO_SLUG}/signals`;
const LOG = `${BOARD}/log.json`;
const NOTES = ['Evidence note ALPHA about price lists.', 'Evidence note BRAVO: a second customer.', 'Evidence note CHARLIE, weaker demand.'];

describe("Members' signal board, record and the public chain summary", () => {
  let warren: Warren;
  let signals: Awaited<ReturnType<typeof demoSignals>>['signals'];

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: 'publisher@example.com' });
    ({ signals } = await demoSignals(warren));
    const admin = await signInAdmin(warren);
    warren.clock.advance(3_600_000);
    await recordUpdate(admin, { signalId: signals[0].id, status: 'strengthening', note: NOTES[0], sourceUrl: 'https://example.com/a' });
    warren.clock.advance(3_600_000);
    await recordUpdate(admin, { signalId: signals[1].id, status: 'confirmed', note: NOTES[1] });
    warren.clock.advance(3_600_000);
    await recordUpdate(admin, { signalId: signals[0].id, status: 'weakening', note: NOTES[2] });
  });
  afterAll(() => warren.close());

  const expectNoMembersContent = (text: string) => {
    for (const note of NOTES) expect(text).not.toContain(note);
    expect(text).not.toContain('strengthening');
    expect(text).not.toContain('weakening');
  };

  it('When an anonymous visitor asks for the board, the record or the stream, then each is refused with no content', async () => {
    const board = await request(warren.app).get(BOARD).expect(403);
    expect(board.text).toContain('Members only');
    expectNoMembersContent(board.text);
    const log = await request(warren.app).get(LOG).expect(403);
    expect(log.headers['content-type']).toMatch(/application\/json/);
    expect(log.body).toEqual({ error: expect.stringContaining("members' layer") });
    expectNoMembersContent(log.text);
    const stream = await request(warren.app).get(`${BOARD}/stream`).expect(403);
    expect(stream.headers['content-type']).not.toMatch(/event-stream/);
    expectNoMembersContent(stream.text);
  });

  it('When a signed-in reader who did not buy the thesis asks, then they are refused the same way', async () => {
    const { agent } = await signInWithoutPurchase(warren, 'browser@example.com');
    for (const path of [BOARD, LOG, `${BOARD}/stream`]) {
      const res = await agent.get(path).expect(403);
      expectNoMembersContent(res.text);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('When the thesis does not exist, then the answer is 404 for everyone', async () => {
    await request(warren.app).get('/theses/no-such-thesis/signals').expect(404);
    const json = await request(warren.app).get('/theses/no-such-thesis/signals/log.json').expect(404);
    expect(json.body.error).toBeTruthy();
  });

  it('When a buyer opens the board, then each signal shows its status, its last move and its history newest first, with the summary', async () => {
    const { agent } = await buyAndSignIn(warren, 'buyer@example.com');
    const res = await agent.get(BOARD).expect(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const section = (id: string) => res.text.slice(res.text.indexOf(`id="signal-${id}"`), res.text.indexOf('</section>', res.text.indexOf(`id="signal-${id}"`)));
    const first = section(signals[0].id);
    expect(first).toContain('data-signal-status>Weakening</span>');
    expect(first).toContain(
      'last moved <time datetime="2026-11-26T15:00:00.000Z" title="2026-11-26 15:00:00 UTC" data-signal-moved data-relative-time>2026-11-26 15:00:00 UTC</time>',
    );
    expect(first.indexOf(NOTES[2])).toBeLessThan(first.indexOf(NOTES[0]));
    expect(first).toContain('href="https://example.com/a"');
    expect(section(signals[1].id)).toContain('data-signal-status>Confirmed</span>');
    expect(section(signals[2].id)).toContain('No update recorded yet.');
    // Now: one signal confirms, one weakens; moves since publication: two toward confirmation, one toward weakening.
    expect(res.text).toContain('<strong data-summary="confirming">1</strong> of 5 signals confirm');
    expect(res.text).toContain('<strong data-summary="weakening">1</strong> weaken');
    expect(res.text).toContain('<span data-summary="movesTowardConfirmation">2</span> moves toward confirmation');
    expect(res.text).toContain('<span data-summary="movesTowardWeakening">1</span> toward weakening');
    // Live without inline script: the page loads public/signals.js and knows where the stream starts.
    expect(res.text).toContain('<script src="/public/signals.js" defer></script>');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).toContain(`data-signal-stream="${BOARD}/stream" data-after="3"`);
  });

  it('When a buyer downloads the record, then it holds every update with its hashes and verifies', async () => {
    const { agent } = await buyAndSignIn(warren, 'verifier@example.com');
    const res = await agent.get(LOG).expect(200);
    expect(res.headers['content-disposition']).toContain(`${DEMO_SLUG}-signal-log.json`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const log = JSON.parse(res.text);
    expect(log.format).toBe('warren-signal-log/1');
    expect(log.updates.map((update: { note: string }) => update.note)).toEqual(NOTES);
    expect(log.updates[0].prevHash).toBe('0'.repeat(64));
    expect(verifyChain(log.updates)).toEqual({ ok: true, count: 3, head: log.head.hash });
    expect(log.head).toMatchObject({ count: 3, recordedAt: '2026-11-26T15:00:00.000Z' });
  });

  it('When anyone opens the public thesis page, then it shows only the count of updates and the latest hash with its time', async () => {
    const head = await warren.db.signalUpdate.findFirstOrThrow({ orderBy: { sequence: 'desc' } });
    const res = await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(res.text).toContain(`3 dated updates on record, latest chain hash <code>${head.hash}</code>`);
    expect(res.text).toContain('datetime="2026-11-26T15:00:00.000Z"');
    expectNoMembersContent(res.text);
    for (const update of await warren.db.signalUpdate.findMany()) {
      if (update.id !== head.id) expect(res.text).not.toContain(update.hash);
    }
    const { agent } = await signInWithoutPurchase(warren, 'curious@example.com');
    expectNoMembersContent((await agent.get(`/theses/${DEMO_SLUG}`).expect(200)).text);
  });

  it("When a member opens the thesis page, then the members' status list is wired to the live stream", async () => {
    const { agent } = await buyAndSignIn(warren, 'reader.live@example.com');
    const res = await agent.get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(res.text).toContain(`data-signal-stream="${BOARD}/stream" data-after="3"`);
    expect(res.text).toContain(`<li data-signal-id="${signals[0].id}">`);
    expect(res.text).toContain(`href="${BOARD}"`);
  });
});
