import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/**
 * A real SMTP server that keeps what it receives, parsed, so tests can read and follow the mail. It can
 * also misbehave on demand: be down (connections refused), or answer the next messages with an error.
 */
export class SmtpInbox {
  readonly messages: ParsedMail[] = [];
  private server: SMTPServer | null = null;
  private port = 0;
  private rejections: { code: number; message: string }[] = [];
  private refusedRecipients = new Map<string, { code: number; message: string }>();
  url = '';

  private createServer(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // On close(), pooled client connections are told 421 and dropped at once instead of after 30 s.
      closeTimeout: 1,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            // The message was read in full; the answer to DATA decides whether it was accepted.
            const refused = session.envelope.rcptTo.map((to) => this.refusedRecipients.get(to.address)).find(Boolean);
            const rejection = refused ?? this.rejections.shift();
            if (rejection) return callback(Object.assign(new Error(rejection.message), { responseCode: rejection.code }));
            this.messages.push(mail);
            callback();
          })
          .catch(callback);
      },
    });
  }

  async start(): Promise<this> {
    this.server = this.createServer();
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    this.url = `smtp://127.0.0.1:${this.port}`;
    return this;
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = null;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Stops listening (and drops open connections): senders get "connection refused" until up(). */
  down(): Promise<void> {
    return this.close();
  }

  /** Listens again on the same port. */
  up(): Promise<this> {
    return this.start();
  }

  /** Answers the next `count` messages with this SMTP reply (e.g. 451 → try later, 550 → never) instead of 250. */
  rejectNext(count: number, code: number, message = code >= 500 ? 'Mailbox unavailable' : 'Try again later') {
    for (let i = 0; i < count; i++) this.rejections.push({ code, message });
  }

  /**
   * Answers every message to this address with this SMTP reply, whatever order messages arrive in
   * (several pooled connections deliver at once, so "the next message" names no particular one).
   */
  rejectRecipient(address: string, code: number, message = code >= 500 ? 'Mailbox unavailable' : 'Try again later') {
    this.refusedRecipients.set(address, { code, message });
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.value.some((to) => to.address === address));
  }

  /** The sign-in link in the latest message to this address, as a path relative to the site. */
  latestLink(address: string, appUrl: string): string {
    const mail = this.to(address).at(-1);
    if (!mail) throw new Error(`no mail to ${address}`);
    const match = new RegExp(`${appUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/login/verify\\?token=[A-Za-z0-9_-]+)`).exec(mail.text ?? '');
    if (!match) throw new Error(`no sign-in link in mail to ${address}`);
    return match[1];
  }
}
