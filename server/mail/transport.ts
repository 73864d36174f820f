import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  /** 'file' writes .eml files for development instead of talking to an SMTP server. */
  kind: 'smtp' | 'file';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createMailTransport(options: { smtpUrl?: string; mailDir: string }): MailTransport {
  if (options.smtpUrl) {
    // A pool keeps a few SMTP connections open: a handshake per message would cap a receipt burst.
    const smtp = nodemailer.createTransport({ url: options.smtpUrl, pool: true, maxConnections: 5, maxMessages: Infinity });
    return {
      kind: 'smtp',
      send: async (message) => {
        await smtp.sendMail(message);
      },
      close: () => smtp.close(),
    };
  }
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    async send(message) {
      const info = await files.sendMail(message);
      await mkdir(options.mailDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`;
      await writeFile(path.join(options.mailDir, name), info.message as Buffer);
    },
    close: () => files.close(),
  };
}
