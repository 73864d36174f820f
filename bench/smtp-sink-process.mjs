// The local SMTP sink, in a process of its own so nothing the runner does (a synchronous SQLite
// call waiting on the lock) can stall it. Accepts everything, keeps nothing, reports each arrival
// (absolute time in ms, and the message's size in bytes) to the runner over IPC. Loopback only.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 1024 * 1024,
  onData(stream, _session, callback) {
    let bytes = 0;
    stream.on('data', (chunk) => (bytes += chunk.length));
    stream.on('end', () => {
      process.send({ arrival: performance.timeOrigin + performance.now(), bytes });
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }));
process.on('disconnect', () => process.exit(0));
