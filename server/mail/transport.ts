import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Clock } from '../clock.ts';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per outbox row (`<id@domain>`): a resend after a crash carries the same id. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface MailTransport {
  /** 'file' writes .eml files for development instead of talking to an SMTP server. */
  kind: 'smtp' | 'file';
  /** Resolves once the server accepted the message (250 after DATA); rejects otherwise. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface TransportOptions {
  smtpUrl?: string;
  mailDir: string;
  /** Pooled SMTP connections kept open (deliveries run this many at a time). */
  maxConnections?: number;
  /** Names the .eml files, so they sort in the order they were written. */
  clock: Clock;
}

/**
 * A 5xx answer is the server's final word (unknown mailbox, rejected content): retrying cannot help.
 * Everything else (4xx, a refused or dropped connection, a timeout) may pass on a later attempt.
 */
export function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export function createMailTransport(options: TransportOptions): MailTransport {
  if (options.smtpUrl) {
    const smtp = nodemailer.createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      // Well under the worker's claim timeout (5 min): a hung server fails the attempt, it does not
      // hold the message until another instance takes it over and sends it too.
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });
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
      const name = `${options.clock.now().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`;
      await writeFile(path.join(options.mailDir, name), info.message as Buffer);
    },
    close: () => files.close(),
  };
}
