// The baseline: a bare node:http server in its own process that sends, for each path, the exact
// status, headers and body Warren sent for it (captured by the runner). Whatever Warren does above
// this is overhead. Usage: node baseline-server.mjs <pages.json>; prints its port.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const pages = new Map(
  Object.entries(JSON.parse(readFileSync(process.argv[2], 'utf8'))).map(([path, page]) => [
    path,
    { status: page.status, headers: page.headers.filter(([name]) => !/^(date|connection|keep-alive)$/i.test(name)), body: Buffer.from(page.body, 'base64') },
  ]),
);

const server = createServer((req, res) => {
  const page = pages.get(req.url);
  if (!page) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(page.status, page.headers.flat());
  res.end(page.body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
