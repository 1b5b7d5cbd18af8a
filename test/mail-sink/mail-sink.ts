// A local SMTP server that keeps every message it is sent and shows them on a small web page: the demo's mailbox
// for creator statements, and the real SMTP server the statement tests send to.
//
// SMTP (smtp-server): plain, no TLS, any or no login, every recipient accepted. Each message is parsed with
// mailparser and kept in memory, and, with `dir`, written there as <n>.eml (read back on start, so a demo's
// mailbox survives restarts).
// HTTP: /             the messages, newest first
//       /messages/N   one message: headers, its HTML (in a sandboxed frame), its text, attachments to download
//       /messages/N/html, /messages/N/raw, /messages/N/attachments/I
//       /api/messages the same as JSON (without contents)
// Tests can refuse or hold a message with `onMessage` (an Error with `responseCode` refuses it).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

export interface SinkAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface SinkMessage {
  /** 1, 2, 3… in order of arrival. */
  number: number;
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  date: Date | null;
  receivedAt: Date;
  headers: Map<string, string>;
  text: string;
  html: string | null;
  attachments: SinkAttachment[];
  raw: Buffer;
}

export interface MailSinkOptions {
  /** SMTP port; 0 (default) picks a free one. */
  smtpPort?: number;
  /** HTTP port for the web page; null (default) serves none. */
  httpPort?: number | null;
  host?: string;
  /** Keep messages as .eml files here, and read earlier ones back. */
  dir?: string;
  /** Called with each message before it is accepted: throw to refuse it (an Error with `responseCode`). */
  onMessage?: (raw: Buffer, session: SMTPServerSession) => Promise<void> | void;
}

export interface MailSink {
  smtpPort: number;
  smtpUrl: string;
  /** The web page, when one is served. */
  httpUrl: string | null;
  messages(): SinkMessage[];
  /** Resolves when at least `count` messages have arrived. */
  waitForMessages(count: number): Promise<SinkMessage[]>;
  clear(): void;
  close(): Promise<void>;
}

const addresses = (value: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((object) => object.value.map((address) => address.address ?? "")).filter(Boolean);

async function toMessage(number: number, raw: Buffer, receivedAt: Date): Promise<SinkMessage> {
  const parsed: ParsedMail = await simpleParser(raw);
  const headers = new Map<string, string>();
  for (const line of parsed.headerLines) headers.set(line.key, line.line.slice(line.line.indexOf(":") + 1).trim());
  return {
    number,
    messageId: parsed.messageId ?? null,
    from: parsed.from?.text ?? "",
    to: addresses(parsed.to),
    subject: parsed.subject ?? "(no subject)",
    date: parsed.date ?? null,
    receivedAt,
    headers,
    text: parsed.text ?? "",
    html: parsed.html || null,
    attachments: parsed.attachments.map((attachment, index) => ({
      filename: attachment.filename ?? `attachment-${index + 1}`,
      contentType: attachment.contentType,
      content: attachment.content,
    })),
    raw,
  };
}

export async function startMailSink(options: MailSinkOptions = {}): Promise<MailSink> {
  const host = options.host ?? "127.0.0.1";
  const messages: SinkMessage[] = [];
  const waiters: { count: number; resolve: (messages: SinkMessage[]) => void }[] = [];
  const notify = () => {
    for (const waiter of [...waiters]) {
      if (messages.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve([...messages]);
      }
    }
  };

  if (options.dir) {
    mkdirSync(options.dir, { recursive: true });
    const files = readdirSync(options.dir)
      .filter((name) => /^\d+\.eml$/.test(name))
      .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
    for (const file of files) {
      const path = join(options.dir, file);
      messages.push(await toMessage(Number.parseInt(file, 10), readFileSync(path), new Date()));
    }
  }

  const smtp = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    banner: "Creator Ledger mail sink",
    onAuth: (_auth, _session, callback) => callback(null, { user: "sink" }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        void (async () => {
          await options.onMessage?.(raw, session);
          const number = (messages.at(-1)?.number ?? 0) + 1;
          const message = await toMessage(number, raw, new Date());
          if (options.dir) writeFileSync(join(options.dir, `${number}.eml`), raw);
          messages.push(message);
          notify();
        })().then(
          () => callback(null, `Stored as message ${messages.length}`),
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.server.once("error", reject);
    smtp.listen(options.smtpPort ?? 0, host, () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  let http: Server | null = null;
  let httpUrl: string | null = null;
  if (options.httpPort !== undefined && options.httpPort !== null) {
    http = createServer((request, response) => serve(request, response, messages, smtpPort));
    await new Promise<void>((resolve, reject) => {
      http!.once("error", reject);
      http!.listen(options.httpPort!, host, () => resolve());
    });
    httpUrl = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${(http.address() as AddressInfo).port}`;
  }

  return {
    smtpPort,
    smtpUrl: `smtp://${host}:${smtpPort}`,
    httpUrl,
    messages: () => [...messages],
    waitForMessages: (count) =>
      messages.length >= count ? Promise.resolve([...messages]) : new Promise((resolve) => waiters.push({ count, resolve })),
    clear: () => void messages.splice(0, messages.length),
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      if (http) {
        http.closeAllConnections();
        await new Promise<void>((resolve) => http!.close(() => resolve()));
      }
    },
  };
}

// ---------- The web page ----------

const escape = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);

const PAGE_STYLE = `
body { font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1a1a1a; background: #f6f6f7; }
header { background: #1a1a1a; color: #fff; padding: 12px 24px; } header a { color: #fff; text-decoration: none; font-weight: 600; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
table { width: 100%; border-collapse: collapse; background: #fff; border-radius: 8px; overflow: hidden; }
th, td { text-align: left; padding: 10px 12px; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
th { font-size: 12px; color: #616161; font-weight: 600; }
.card { background: #fff; border-radius: 8px; padding: 16px 20px; margin-bottom: 16px; }
.meta td:first-child { color: #616161; width: 120px; } .meta td { border: 0; padding: 3px 0; }
iframe { width: 100%; height: 900px; border: 1px solid #e3e3e3; border-radius: 8px; background: #fff; }
pre { white-space: pre-wrap; font: 12px/1.5 ui-monospace, Menlo, monospace; background: #fff; padding: 16px; border-radius: 8px; }
.muted { color: #616161; } a { color: #005bd3; }`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title><style>${PAGE_STYLE}</style></head><body><header><a href="/">Mail sink</a> <span class="muted">— every message the app sent</span></header><main>${body}</main></body></html>`;
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) {
  response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...extra });
  response.end(body);
}

function serve(request: IncomingMessage, response: ServerResponse, messages: SinkMessage[], smtpPort: number) {
  const url = new URL(request.url ?? "/", "http://sink.local");
  const html = (status: number, body: string) => send(response, status, "text/html; charset=utf-8", body);
  if (url.pathname === "/") {
    const rows = [...messages]
      .reverse()
      .map(
        (message) =>
          `<tr><td>${message.number}</td><td><a href="/messages/${message.number}">${escape(message.subject)}</a></td><td>${escape(message.to.join(", "))}</td><td>${escape(message.from)}</td><td>${message.attachments.length}</td><td class="muted">${escape((message.date ?? message.receivedAt).toISOString())}</td></tr>`,
      )
      .join("");
    return html(
      200,
      page(
        "Mail sink",
        `<p class="muted">SMTP on port ${smtpPort}. ${messages.length} ${messages.length === 1 ? "message" : "messages"}.</p>` +
          (messages.length === 0
            ? `<div class="card">No messages yet.</div>`
            : `<table><thead><tr><th>#</th><th>Subject</th><th>To</th><th>From</th><th>Attachments</th><th>Date</th></tr></thead><tbody>${rows}</tbody></table>`),
      ),
    );
  }
  if (url.pathname === "/api/messages") {
    const list = messages.map((message) => ({
      number: message.number,
      messageId: message.messageId,
      from: message.from,
      to: message.to,
      subject: message.subject,
      date: message.date,
      attachments: message.attachments.map((attachment) => ({ filename: attachment.filename, contentType: attachment.contentType, size: attachment.content.length })),
    }));
    return send(response, 200, "application/json", JSON.stringify(list));
  }
  const match = /^\/messages\/(\d+)(?:\/(html|raw|attachments\/(\d+)))?$/.exec(url.pathname);
  const message = match ? messages.find((candidate) => candidate.number === Number(match[1])) : undefined;
  if (!match || !message) return html(404, page("Not found", `<div class="card">No such message. <a href="/">All messages</a></div>`));

  if (match[2] === "html") {
    // The message's own HTML, with no scripts and no requests to anywhere (it is shown in a sandboxed frame).
    return send(response, 200, "text/html; charset=utf-8", message.html ?? "<p>This message has no HTML part.</p>", {
      "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox",
    });
  }
  if (match[2] === "raw") return send(response, 200, "message/rfc822", message.raw, { "Content-Disposition": `attachment; filename="message-${message.number}.eml"` });
  if (match[3] !== undefined) {
    const attachment = message.attachments[Number(match[3])];
    if (!attachment) return html(404, page("Not found", `<div class="card">No such attachment.</div>`));
    return send(response, 200, attachment.contentType, attachment.content, {
      "Content-Disposition": `attachment; filename="${attachment.filename.replace(/["\\\r\n]/g, "_")}"`,
    });
  }

  const meta = [
    ["From", message.from],
    ["To", message.to.join(", ")],
    ["Subject", message.subject],
    ["Date", (message.date ?? message.receivedAt).toISOString()],
    ["Message-ID", message.messageId ?? ""],
  ]
    .map(([label, value]) => `<tr><td>${label}</td><td>${escape(value!)}</td></tr>`)
    .join("");
  const attachments = message.attachments
    .map((attachment, index) => `<li><a href="/messages/${message.number}/attachments/${index}">${escape(attachment.filename)}</a> <span class="muted">${escape(attachment.contentType)}, ${attachment.content.length} bytes</span></li>`)
    .join("");
  return html(
    200,
    page(
      message.subject,
      `<div class="card"><table class="meta">${meta}</table>` +
        `<p>${attachments ? `Attachments:</p><ul>${attachments}</ul>` : "No attachments.</p>"}<p><a href="/messages/${message.number}/raw">Download the raw message (.eml)</a></p></div>` +
        `<h2>HTML</h2><iframe title="HTML body" sandbox src="/messages/${message.number}/html"></iframe>` +
        `<h2>Plain text</h2><pre>${escape(message.text)}</pre>`,
    ),
  );
}
