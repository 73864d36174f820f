// The outbox baseline: a bare loop in its own process that sends `count` messages to the same SMTP
// sink through nodemailer with the pool Warren's worker uses (`concurrency` connections, as many
// messages in flight), each followed by ONE update of its row in the same kind of database. The
// rows are inserted before the clock starts; the clock covers one read of the pending rows, the
// sends and the updates. No claiming, no templates, no sign-in links, no batching of the writes.
// Each message has a text and an HTML part sized so that it arrives about as large as Warren's
// (`bytes`). Usage: node baseline-outbox.mjs '<json spec>'; prints one JSON line.
import nodemailer from 'nodemailer';
import { openBaselineDatabase } from './baseline-db.mjs';

const spec = JSON.parse(process.argv[2]);
if (!/^smtp:\/\/127\.0\.0\.1:\d+$/.test(spec.smtpUrl)) throw new Error(`refusing a non-loopback SMTP server: ${spec.smtpUrl}`);

/** Lines of 70 ASCII characters: nothing for quoted-printable to escape or fold. */
function filler(bytes) {
  const line = 'Thank you for your purchase. Your receipt and sign-in link are below. ';
  return Array.from({ length: Math.max(1, Math.round(bytes / (line.length + 1))) }, () => line.trimEnd()).join('\n');
}
// nodemailer's headers and MIME boundaries come to about 700 bytes; the rest is split as a receipt is.
const body = Math.max(200, spec.bytes - 700);
const text = filler(body * 0.3);
const html = `<!doctype html><html><body><p>${filler(body * 0.7 - 40)}</p></body></html>`;

const db = await openBaselineDatabase(spec.databaseUrl);
await db.exec('CREATE TABLE IF NOT EXISTS baseline_outbox (id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, status TEXT NOT NULL, sent_at TEXT)');
await db.exec('DELETE FROM baseline_outbox');
for (let n = 0; n < spec.count; n++) await db.run("INSERT INTO baseline_outbox (id, recipient, status) VALUES (?, ?, 'pending')", [n, `mail${n}@baseline.bench.test`]);

const transport = nodemailer.createTransport({ url: spec.smtpUrl, pool: true, maxConnections: spec.concurrency });
const started = performance.now();
const rows = await db.all("SELECT id, recipient FROM baseline_outbox WHERE status = 'pending' ORDER BY id");
const inFlight = new Set();
for (const row of rows) {
  while (inFlight.size >= spec.concurrency) await Promise.race(inFlight);
  const delivery = transport
    .sendMail({ from: 'Warren Bench <bench@warren.test>', to: row.recipient, subject: 'Your receipt', text, html, messageId: `<baseline-${row.id}@warren.test>` })
    .then(() => db.run("UPDATE baseline_outbox SET status = 'sent', sent_at = ? WHERE id = ?", [new Date().toISOString(), row.id]))
    .finally(() => inFlight.delete(delivery));
  inFlight.add(delivery);
}
await Promise.all(inFlight);
const elapsedS = (performance.now() - started) / 1000;
transport.close();
await db.close();
process.stdout.write(`${JSON.stringify({ sent: rows.length, elapsedS })}\n`);
