// Signal update → SSE delivery to N open streams, and the memory they hold.
import http from 'node:http';
import { systemClock } from '../server/clock.ts';
import { DEMO_SLUG, type BenchContext } from './context.ts';
import { capture, cookiesFrom } from './http-capture.ts';
import { benchSessionCookie } from './session-cookie.ts';
import type { Row } from './report.ts';

export const ADMIN_EMAIL = 'admin@bench.test';
const STREAM_PATH = `/theses/${DEMO_SLUG}/signals/stream`;

async function signedInCookie(context: BenchContext, email: string): Promise<string> {
  const user = await context.db.user.upsert({ where: { email }, create: { email, createdAt: systemClock.now() }, update: {}, select: { id: true } });
  return benchSessionCookie(context.db, user.id);
}

/** Makes the publisher post a signal update through the admin form, as a person would. */
export async function triggerSignalUpdate(context: BenchContext): Promise<void> {
  const session = await signedInCookie(context, ADMIN_EMAIL);
  const signal = await context.db.signal.findFirstOrThrow({ where: { thesisId: context.thesis.id }, orderBy: { position: 'asc' }, select: { id: true } });
  const form = await capture(`${context.site.url}/admin/theses/${DEMO_SLUG}/signals`, { cookie: session });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  if (!token) throw new Error(`no CSRF token on the admin signals page (${form.status})`);
  const res = await fetch(`${context.site.url}/admin/theses/${DEMO_SLUG}/signals`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${session}; ${cookiesFrom(form)}` },
    body: new URLSearchParams({
      _csrf: token,
      signalId: signal.id,
      status: 'strengthening',
      occurredOn: systemClock.now().toISOString().slice(0, 10),
      note: `bench update ${systemClock.now().getTime()}`,
    }).toString(),
  });
  if (res.status !== 303) throw new Error(`signal update answered ${res.status}: ${await res.text()}`);
}

interface Stream {
  events: number;
  at: number[];
  request: http.ClientRequest;
}

function openStream(url: string, cookie: string): Promise<Stream | null> {
  return new Promise((resolve) => {
    const stream: Stream = { events: 0, at: [], request: undefined as unknown as http.ClientRequest };
    stream.request = http.get(url, { headers: { cookie, accept: 'text/event-stream' }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return resolve(null);
      }
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let end: number;
        // An event ends with a blank line; count the ones carrying data.
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (/^data:/m.test(event)) {
            stream.events++;
            stream.at.push(performance.now());
          }
        }
      });
      res.on('error', () => undefined);
      resolve(stream);
    });
    stream.request.on('error', () => resolve(null));
  });
}

export async function streamScenario(context: BenchContext): Promise<{ rows: Row[]; rssMb: number | null }> {
  const count = context.sizes.streams;
  const buyerCookie = await signedInCookie(context, 'reader@bench.test');
  const probe = await fetch(`${context.site.url}${STREAM_PATH}`, { headers: { cookie: buyerCookie }, signal: AbortSignal.timeout(2000) }).catch(() => null);
  await probe?.body?.cancel().catch(() => undefined);
  if (!probe || probe.status === 404) {
    context.log('signals stream: no stream route (404), skipped');
    return {
      rows: [{ scenario: `signal update → SSE, ${count} open streams`, measured: 'n/a (no stream route)', baseline: '—', ratio: '—', target: 'last stream < 1 s', pass: null }],
      rssMb: null,
    };
  }
  const streams: Stream[] = [];
  for (let opened = 0; opened < count; opened += 250) {
    const batch = await Promise.all(Array.from({ length: Math.min(250, count - opened) }, () => openStream(`${context.site.url}${STREAM_PATH}`, buyerCookie)));
    for (const stream of batch) if (stream) streams.push(stream);
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // initial events, if the route sends any
  const rssMb = context.site.rssMb();
  const before = streams.map((stream) => stream.events);
  const triggeredAt = performance.now();
  await triggerSignalUpdate(context);
  const deadline = triggeredAt + 5000;
  while (performance.now() < deadline && streams.some((stream, i) => stream.events <= before[i])) await new Promise((r) => setTimeout(r, 10));
  // Each stream's first event after the trigger is at index before[i].
  let reached = 0;
  let last = 0;
  streams.forEach((stream, i) => {
    const at = stream.at[before[i]];
    if (at === undefined) return;
    reached++;
    last = Math.max(last, at);
  });
  const lastMs = reached ? last - triggeredAt : NaN;
  for (const stream of streams) stream.request.destroy();
  const all = streams.length === count && reached === count;
  context.log(`signals stream: ${streams.length}/${count} open, ${reached} got the update, last after ${lastMs.toFixed(0)} ms`);
  return {
    rows: [
      {
        scenario: `signal update → SSE, ${count} open streams`,
        measured: `${reached}/${count} delivered, last after ${Number.isFinite(lastMs) ? lastMs.toFixed(0) : '—'} ms`,
        baseline: '—',
        ratio: '—',
        target: `all ${count} streams, last < 1 s`,
        pass: all && lastMs < 1000,
      },
    ],
    rssMb,
  };
}
