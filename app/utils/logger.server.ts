import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Job } from "bullmq";
import pino from "pino";

/** What every line logged while handling one web request or one job carries, wherever in the code it is logged. */
export interface LogContext {
  requestId?: string;
  queue?: string;
  jobId?: string;
  jobName?: string;
  attemptsMade?: number;
}

const logContext = new AsyncLocalStorage<LogContext>();

/**
 * Keys whose values are secrets or a customer's personal data, censored at any of the first three levels of a log
 * line (pino's redaction takes explicit paths; deeper objects are not logged by the app).
 */
const SECRET_KEYS = [
  "email", "contact_email", "phone", "first_name", "last_name", "firstName", "lastName", "address1", "address2",
  "billing_address", "shipping_address", "default_address", "customer", "payload", "note_attributes", "landing_site",
  "referring_site", "otherText", "accessToken", "access_token", "refreshToken", "idToken", "id_token", "password",
  "pass", "secret", "authorization", "cookie", "x-shopify-hmac-sha256", "x-shopify-access-token", "hmac", "signature",
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const join = (prefix: string) => (name.startsWith("[") ? `${prefix}${name}` : `${prefix}.${name}`);
  return [name.startsWith("[") ? name : key, join("*"), join("*.*")];
});

/**
 * The last line of defence, on the serialized line: what looks like an email address, a Shopify access token, a
 * session token (JWT), a bearer token or credentials in a URL is replaced, whichever key or message carried it
 * (an SMTP error quoting the recipient, a URL with user:password, an error quoting a header).
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[email]"],
  [/\bshp(?:at|ca|pa|ss|ua)_[A-Za-z0-9]+/g, "[token]"],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[jwt]"],
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, "$1 [token]"],
  [/(\/\/)[^\s/:@"]+:[^\s/@"]+@/g, "$1[credentials]@"],
];

function scrub(line: string): string {
  return SECRET_PATTERNS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), line);
}

const loggerOptions = {
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.CREATOR_LEDGER_PROCESS ?? "web" },
  mixin: () => ({ ...logContext.getStore() }),
  hooks: { streamWrite: scrub },
};

export const logger = pino(
  { ...loggerOptions, redact: { paths: REDACT_PATHS, censor: "[redacted]" } },
  // process.stdout rather than pino's own file descriptor writer: one stream the process (and a test) can follow.
  process.stdout,
);

/**
 * The "request served" lines, one per request, without the redaction: their fields are fixed and hold no secret
 * (the path is logged without its query), and pino's redaction costs ~70 µs a line, a tenth of a webhook
 * acknowledgement's CPU. The last-defence scrub still runs.
 */
const accessLogger = pino(loggerOptions, process.stdout);

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the X-Request-Id a proxy in front gave it, when it looks like one, or a new one. */
export function requestIdFor(header: string | string[] | null | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Every HTTP request the process serves (remix-serve's, or any node:http server) gets a request id, before any of
 * the app's code runs: Node announces each request on this channel synchronously, in the request's own async
 * context, so what is entered here is what its loaders and actions log with. The response says it too.
 */
subscribe("http.server.request.start", (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  const requestId = requestIdFor(request.headers["x-request-id"]);
  response.setHeader("X-Request-Id", requestId);
  servedRequests.set(response, { requestId, method: request.method ?? "", url: request.url ?? "", startedAt: performance.now() });
  logContext.enterWith({ requestId });
});

const servedRequests = new WeakMap<ServerResponse, { requestId: string; method: string; url: string; startedAt: number }>();

/**
 * One line per request served. The path only: embedded admin URLs carry the session token (id_token) and Shopify's
 * hmac in their query string, and storefront links can carry a shopper's details.
 */
subscribe("http.server.response.finish", (message) => {
  const { response } = message as { response: ServerResponse };
  const served = servedRequests.get(response);
  if (!served) return;
  const path = served.url.split("?")[0];
  accessLogger.info(
    { requestId: served.requestId, method: served.method, path, status: response.statusCode, ms: Math.round(performance.now() - served.startedAt) },
    "request served",
  );
});

/** The id of the web request being handled, if any (for messages shown to a merchant to quote). */
export function currentRequestId(): string | undefined {
  return logContext.getStore()?.requestId;
}

/** What identifies a job in the logs. */
function jobContext(job: Pick<Job, "id" | "name" | "queueName" | "attemptsMade">): LogContext {
  return { queue: job.queueName, jobId: job.id, jobName: job.name, attemptsMade: job.attemptsMade };
}

/** A logger for lines about a job logged outside its run (a worker's `failed` event). */
export function jobLogger(job: Pick<Job, "id" | "name" | "queueName" | "attemptsMade"> | undefined) {
  return job ? logger.child(jobContext(job)) : logger;
}

/** A job processor whose every log line, down to the services it calls, carries the job's queue, id and attempt. */
export function withJobLog<J extends Job, R>(process: (job: J) => Promise<R>): (job: J) => Promise<R> {
  return (job) => logContext.run(jobContext(job), () => process(job));
}
