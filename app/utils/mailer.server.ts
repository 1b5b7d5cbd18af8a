import nodemailer from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import type { SMTPTransportOptions } from "nodemailer/lib/smtp-transport";
import { env } from "./env.server";

/** A message as the statements service hands it over: the sender and Message-ID are fixed by the caller. */
export interface OutgoingMessage {
  messageId: string;
  from: { name: string; address: string };
  to: string;
  replyTo?: string | null;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  attachments: { filename: string; content: Buffer | string; contentType: string }[];
}

export interface SentMessage {
  /** The server's final reply, e.g. "250 OK: queued as 1A2B3C". */
  response: string;
}

/** What sends statements: SMTP through Nodemailer (tests and the demo give it their own server). */
export interface StatementMailer {
  /** The sender address every statement comes from. */
  fromAddress: string;
  send(message: OutgoingMessage): Promise<SentMessage>;
  close(): void;
}

export class SmtpNotConfiguredError extends Error {
  constructor() {
    super("Statements cannot be sent: SMTP is not configured. Set SMTP_URL (or SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS) and STATEMENTS_FROM.");
    this.name = "SmtpNotConfiguredError";
  }
}

// Short enough that a stuck server fails the attempt long before a job's lock or a request gives up.
const TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 };

/*
 * Pooled connections: a statement run sends thousands of messages, and a connection (greeting, EHLO, login) per
 * message cost more than the message itself. Enough connections for the creators a run sends at once; each is
 * replaced after 100 messages so a relay's per-connection limits are not met. The pool puts a message back in
 * its queue only when a reused connection turned out dropped before a byte of it was written; any other failure
 * reaches the caller as before, so a message lost mid-send is still reported (and recorded as unconfirmed), never
 * sent again behind the caller's back.
 */
const POOL = { pool: true, maxConnections: 8, maxMessages: 100 } as const;

export function createStatementMailer(transport: string | SMTPTransportOptions, fromAddress: string): StatementMailer {
  const options: SMTPPool.Options = typeof transport === "string" ? { url: transport, ...TIMEOUTS, ...POOL } : { ...TIMEOUTS, ...transport, ...POOL };
  const transporter = nodemailer.createTransport(options);
  return {
    fromAddress,
    async send(message) {
      const info = await transporter.sendMail({
        messageId: message.messageId,
        from: message.from,
        to: message.to,
        replyTo: message.replyTo ?? undefined,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
        attachments: message.attachments,
      });
      return { response: info.response };
    },
    // Closes the pool's idle connections at once; one in the middle of a message finishes it first, so shutting
    // down does not turn a send into an unconfirmed one.
    close: () => transporter.close(),
  };
}

let fromEnv: StatementMailer | undefined;

/** The process's mailer, from SMTP_* and STATEMENTS_FROM; throws SmtpNotConfiguredError when they are unset. */
export function statementMailerFromEnv(): StatementMailer {
  if (fromEnv) return fromEnv;
  const { SMTP_URL, SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS, SMTP_SECURE, STATEMENTS_FROM } = env();
  if (!STATEMENTS_FROM || (!SMTP_URL && !SMTP_HOST)) throw new SmtpNotConfiguredError();
  const transport: string | SMTPTransportOptions = SMTP_URL ?? {
    host: SMTP_HOST,
    port: SMTP_PORT,
    secure: SMTP_SECURE,
    auth: SMTP_USER ? { user: SMTP_USER, pass: SMTP_PASS } : undefined,
  };
  fromEnv = createStatementMailer(transport, STATEMENTS_FROM);
  return fromEnv;
}

/** Whether statements can be sent from this process (the admin says so instead of offering buttons that fail). */
export function smtpConfigured(): boolean {
  const { SMTP_URL, SMTP_HOST, STATEMENTS_FROM } = env();
  return Boolean(STATEMENTS_FROM && (SMTP_URL || SMTP_HOST));
}
