// The webhook baseline: a bare node:http server in its own process that takes the same signed
// checkout.session.completed POSTs as Warren, parses the JSON and stores the event with ONE insert
// in a transaction of its own (autocommit) in the same kind of database, then answers 200. No
// signature check, no purchase, entitlement or outbox rows, no batching: whatever Warren does above
// this is its own logic. Usage: node baseline-webhooks.mjs <databaseUrl>; prints its port.
import { createServer } from 'node:http';
import { openBaselineDatabase } from './baseline-db.mjs';

const db = await openBaselineDatabase(process.argv[2]);
await db.exec('CREATE TABLE IF NOT EXISTS baseline_webhook_event (id TEXT PRIMARY KEY, type TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL)');
const INSERT = 'INSERT INTO baseline_webhook_event (id, type, payload, received_at) VALUES (?, ?, ?, ?)';

async function store(body) {
  const event = JSON.parse(body);
  await db.run(INSERT, [event.id, event.type, JSON.stringify(event.data.object), new Date().toISOString()]);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    store(Buffer.concat(chunks).toString('utf8')).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'),
      (error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => {
  setTimeout(() => process.exit(0), 2000).unref(); // a client still holding a socket does not keep it alive
  server.close(() => db.close().finally(() => process.exit(0)));
});
