// Runs one autocannon load in its own process (so the load generator does not share an event loop
// with the runner) and prints the result as one JSON line. Usage: node load-worker.mjs '<json>'.
// Loopback targets only: the runner passes 127.0.0.1 URLs.
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);
if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(spec.url)) throw new Error(`refusing a non-loopback target: ${spec.url}`);

/** Signed checkout.session.completed events, one distinct Checkout Session per request. */
function webhookRequests({ secret, thesisId, amount, currency, prefix }) {
  let next = 0;
  return [
    {
      method: 'POST',
      path: '/webhooks/stripe',
      setupRequest(request) {
        const n = next++;
        const id = `${prefix}${n}`;
        const session = {
          id, object: 'checkout.session', mode: 'payment', status: 'complete', payment_status: 'paid',
          amount_subtotal: amount, amount_total: amount, currency, metadata: { thesisId }, customer_email: null,
          customer_details: { email: `buyer${n}@${prefix.replace(/_+$/, '').replace(/_/g, '-')}.bench.test` },
          payment_intent: `pi_${id}`, livemode: false, created: Math.floor(Date.now() / 1000),
        };
        const body = JSON.stringify({
          id: `evt_${id}`, object: 'event', type: 'checkout.session.completed', api_version: '2026-10-28.endive',
          created: Math.floor(Date.now() / 1000), livemode: false, data: { object: session },
        });
        const t = Math.floor(Date.now() / 1000);
        const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
        return { ...request, body, headers: { ...request.headers, 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` } };
      },
    },
  ];
}

const started = process.hrtime.bigint();
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration }),
  headers: spec.headers ?? {},
  timeout: 10,
  ...(spec.webhooks ? { requests: webhookRequests(spec.webhooks) } : {}),
});
const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    total: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    elapsedS,
  }) + '\n',
);
