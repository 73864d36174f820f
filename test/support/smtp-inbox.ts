import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A real SMTP server that keeps what it receives, parsed, so tests can read and follow the mail. */
export class SmtpInbox {
  readonly messages: ParsedMail[] = [];
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          this.messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
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
