// The shop's bulk query operations (bulkOperationRunQuery), as Shopify runs them: created, then running, then
// completed (or failed, or canceled) a little later, in the background. A completed operation's JSONL is served the
// way Shopify serves it: from a signed, expiring https://storage.googleapis.com/… URL that the app downloads with a
// plain GET and no Shopify credentials (the simulator's tunnel answers for that host too).
//
// Shopify's rules for API versions 2026-01 and later: up to five bulk query operations per app and shop at once
// (a sixth answers OPERATION_IN_PROGRESS, naming the ones in progress); results stay downloadable for seven days;
// an operation that exported nothing completes with `url: null`.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DocumentNode, ExecutionResult, GraphQLSchema } from "graphql";
import { BULK_OPERATION_STORAGE_HOST } from "./admin-tunnel";
import { paginate, type PageArgs } from "./connections";
import { prepareBulkQuery, toJsonl, type BulkOperationUserError, type PreparedBulkQuery } from "./bulk-query";
import { graphqlDateTime } from "./order-graphql";

const BUCKET = "shopify-tiers-assets-prod-us-east1";
const OBJECT_FOLDER = "bulk-operation-outputs";
const SIGNER = "assets-us-prod@shopify-tiers.iam.gserviceaccount.com";
const SEVEN_DAYS_MS = 7 * 86_400_000;

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
export type BulkOperationErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";
export const BULK_OPERATION_ERROR_CODES: readonly BulkOperationErrorCode[] = ["ACCESS_DENIED", "INTERNAL_SERVER_ERROR", "TIMEOUT"];

const IN_PROGRESS: readonly BulkOperationStatus[] = ["CREATED", "RUNNING", "CANCELING"];

/** A result file in the bucket, and what its signed URL carries. */
interface StoredFile {
  objectName: string;
  signature: string;
  /** Epoch seconds, as the URL's Expires parameter says. */
  expires: number;
  filename: string;
  body: Buffer;
}

export interface BulkOperationRecord {
  numericId: number;
  id: string;
  type: "QUERY";
  status: BulkOperationStatus;
  errorCode: BulkOperationErrorCode | null;
  createdAt: Date;
  completedAt: Date | null;
  /** When the operation reached CANCELED, FAILED or COMPLETED (completedAt is only set for COMPLETED). */
  finishedAt: Date | null;
  objectCount: number;
  rootObjectCount: number;
  query: string;
  groupObjects: boolean;
  file: StoredFile | null;
  partialFile: StoredFile | null;
  /** Why the simulator could not run the query (it fails INTERNAL_SERVER_ERROR): for whoever debugs a test. */
  executionErrors: string[];
}

export interface BulkOperationsOptions {
  schema: () => GraphQLSchema;
  /** Runs a prepared bulk query against the store (synchronously: the store lives in memory). */
  execute: (document: DocumentNode) => ExecutionResult;
  /** Top-level connections the simulator can export. */
  supportedRoots: readonly string[];
  /** From creation to completion (RUNNING halfway); default 200 ms. */
  delayMs?: number;
  /** Bulk query operations in progress at once (Shopify: 5 since 2026-01). */
  concurrencyLimit?: number;
  /** How long result URLs work (Shopify: seven days). */
  urlLifetimeMs?: number;
  /** Told when an operation finishes (COMPLETED, FAILED or CANCELED). */
  onFinish?: (operation: BulkOperationRecord) => void;
}

export interface BulkOperationsListArgs extends PageArgs {
  query?: string | null;
  sortKey?: "CREATED_AT" | "COMPLETED_AT" | null;
}

export class BulkOperations {
  delayMs: number;
  concurrencyLimit: number;
  urlLifetimeMs: number;
  private readonly operations: BulkOperationRecord[] = [];
  private readonly prepared = new Map<number, PreparedBulkQuery>();
  private readonly forcedErrors = new Map<number, BulkOperationErrorCode>();
  private readonly files = new Map<string, StoredFile>();
  private readonly timers = new Map<number, { timer: NodeJS.Timeout; run: () => void }>();
  private failNextWith: BulkOperationErrorCode | null = null;
  private nextId = 4_100_000_000_001;

  constructor(private readonly options: BulkOperationsOptions) {
    this.delayMs = Math.max(0, options.delayMs ?? 200);
    this.concurrencyLimit = Math.max(1, options.concurrencyLimit ?? 5);
    this.urlLifetimeMs = options.urlLifetimeMs ?? SEVEN_DAYS_MS;
  }

  /** The next bulk operation created ends FAILED with this error code (after running, like the others). */
  failNext(errorCode: BulkOperationErrorCode = "INTERNAL_SERVER_ERROR"): void {
    this.failNextWith = errorCode;
  }

  get pendingFailure(): BulkOperationErrorCode | null {
    return this.failNextWith;
  }

  /** bulkOperationRunQuery. */
  runQuery(query: string, groupObjects: boolean): { operation: BulkOperationRecord | null; userErrors: BulkOperationUserError[] } {
    const checked = prepareBulkQuery(this.options.schema(), query, this.options.supportedRoots);
    if (!checked.ok) return { operation: null, userErrors: checked.userErrors };
    const inProgress = this.operations.filter((op) => op.type === "QUERY" && IN_PROGRESS.includes(op.status));
    if (inProgress.length >= this.concurrencyLimit) {
      return {
        operation: null,
        userErrors: [
          {
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: ${inProgress.map((op) => op.id).join(", ")}.`,
            code: "OPERATION_IN_PROGRESS",
          },
        ],
      };
    }
    const numericId = this.nextId++;
    const operation: BulkOperationRecord = {
      numericId,
      id: `gid://shopify/BulkOperation/${numericId}`,
      type: "QUERY",
      status: "CREATED",
      errorCode: null,
      createdAt: new Date(),
      completedAt: null,
      finishedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      query,
      groupObjects,
      file: null,
      partialFile: null,
      executionErrors: [],
    };
    this.operations.push(operation);
    this.prepared.set(numericId, checked.prepared);
    if (this.failNextWith) {
      this.forcedErrors.set(numericId, this.failNextWith);
      this.failNextWith = null;
    }
    const half = Math.floor(this.delayMs / 2);
    this.after(operation, half, () => {
      operation.status = "RUNNING";
      this.after(operation, this.delayMs - half, () => this.finish(operation));
    });
    return { operation, userErrors: [] };
  }

  /** bulkOperationCancel. */
  cancel(id: string): { operation: BulkOperationRecord | null; userErrors: { field: string[] | null; message: string }[] } {
    const operation = this.get(id);
    if (!operation) return { operation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    if (operation.status === "CREATED" || operation.status === "RUNNING") {
      operation.status = "CANCELING";
      this.after(operation, Math.floor(this.delayMs / 2), () => {
        operation.status = "CANCELED";
        operation.finishedAt = new Date();
        this.prepared.delete(operation.numericId);
        this.forcedErrors.delete(operation.numericId);
        this.options.onFinish?.(operation);
      });
      return { operation, userErrors: [] };
    }
    if (operation.status === "CANCELING") return { operation, userErrors: [] };
    return { operation, userErrors: [{ field: null, message: `A bulk operation cannot be canceled when it is ${operation.status.toLowerCase()}` }] };
  }

  get(id: string): BulkOperationRecord | undefined {
    const match = /^gid:\/\/shopify\/BulkOperation\/(\d+)$/.exec(String(id));
    const operation = match ? this.operations.find((op) => op.numericId === Number(match[1])) : undefined;
    return operation ? this.refresh(operation) : undefined;
  }

  /** currentBulkOperation: the app's most recent operation of the type. */
  current(type: "QUERY" | "MUTATION" = "QUERY"): BulkOperationRecord | null {
    const latest = this.operations.filter((op) => op.type === type).at(-1);
    return latest ? this.refresh(latest) : null;
  }

  all(): BulkOperationRecord[] {
    return this.operations.map((op) => this.refresh(op));
  }

  /** bulkOperations: newest first by default, filtered by status, operation_type, created_at and id. */
  list(args: BulkOperationsListArgs) {
    const terms = parseSearch(args.query);
    const matching = this.all().filter((op) => terms.every((term) => term(op)));
    const byCompletion = args.sortKey === "COMPLETED_AT";
    return paginate(
      matching,
      (op) => [byCompletion ? (op.completedAt?.getTime() ?? 0) : op.createdAt.getTime(), op.numericId],
      { ...args, reverse: !args.reverse },
      (op) => this.view(op),
    );
  }

  /** The BulkOperation object as the schema shows it. */
  view(operation: BulkOperationRecord): Record<string, unknown> {
    const op = this.refresh(operation);
    return {
      __typename: "BulkOperation",
      id: op.id,
      type: op.type,
      status: op.status,
      errorCode: op.errorCode,
      createdAt: graphqlDateTime(op.createdAt),
      completedAt: op.completedAt ? graphqlDateTime(op.completedAt) : null,
      // UnsignedInt64 is a string in JSON.
      objectCount: String(op.objectCount),
      rootObjectCount: String(op.rootObjectCount),
      fileSize: op.status === "COMPLETED" && op.file ? String(op.file.body.length) : null,
      url: op.status === "COMPLETED" && op.file ? this.signedUrl(op.file) : null,
      partialDataUrl: op.status === "FAILED" && op.partialFile && !this.expired(op.partialFile) ? this.signedUrl(op.partialFile) : null,
      query: op.query,
    };
  }

  /** A GET (or HEAD) for https://storage.googleapis.com/…: the result file, or Cloud Storage's XML error. */
  serveDownload(req: IncomingMessage, res: ServerResponse): "ok" | "not-found" | "rejected" {
    const url = new URL(req.url ?? "/", `https://${BULK_OPERATION_STORAGE_HOST}`);
    const prefix = `/${BUCKET}/${OBJECT_FOLDER}/`;
    const objectName = url.pathname.startsWith(prefix) ? decodeURIComponent(url.pathname.slice(prefix.length)) : null;
    const file = objectName ? this.files.get(objectName) : undefined;
    if (!file) {
      const object = decodeURIComponent(url.pathname.replace(/^\//, ""));
      sendStorageError(res, 404, "NoSuchKey", "The specified key does not exist.", `No such object: ${object}`);
      return "not-found";
    }
    const params = url.searchParams;
    if (!params.has("Signature") || !params.has("GoogleAccessId")) {
      sendStorageError(
        res,
        403,
        "AccessDenied",
        "Access denied.",
        "Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object. Permission 'storage.objects.get' denied on resource (or it may not exist).",
      );
      return "rejected";
    }
    const signed = params.get("Signature") === file.signature && params.get("GoogleAccessId") === SIGNER && params.get("Expires") === String(file.expires);
    if (!signed || (req.method !== "GET" && req.method !== "HEAD")) {
      sendStorageError(
        res,
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your Google secret key and signing method.",
        `${req.method}\n\n\n${params.get("Expires") ?? ""}\n/${BUCKET}/${OBJECT_FOLDER}/${file.objectName}`,
      );
      return "rejected";
    }
    if (this.expired(file)) {
      sendStorageError(res, 400, "ExpiredToken", "The provided token has expired.", `Request signature expired at: ${new Date(file.expires * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00")}`);
      return "rejected";
    }
    res.writeHead(200, {
      "Content-Type": params.get("response-content-type") ?? "application/octet-stream",
      "Content-Disposition": params.get("response-content-disposition") ?? `attachment; filename="${file.filename}"`,
      "Content-Length": file.body.length,
      "Cache-Control": "private, max-age=0",
      "X-Goog-Storage-Class": "STANDARD",
    });
    res.end(req.method === "HEAD" ? undefined : file.body);
    return "ok";
  }

  /**
   * Takes every operation in progress one step now, as if its time had passed: CREATED → RUNNING, RUNNING →
   * COMPLETED (or FAILED), CANCELING → CANCELED. Tests need not wait.
   */
  advance(): void {
    for (const [id, { timer, run }] of [...this.timers]) {
      clearTimeout(timer);
      this.timers.delete(id);
      run();
    }
  }

  /** Brings every operation in progress to its end now. */
  flush(): void {
    while (this.timers.size > 0) this.advance();
  }

  /** Stops the operations' timers (the simulator is closing). */
  close(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private after(operation: BulkOperationRecord, ms: number, run: () => void): void {
    clearTimeout(this.timers.get(operation.numericId)?.timer);
    const timer = setTimeout(() => {
      this.timers.delete(operation.numericId);
      run();
    }, ms);
    timer.unref();
    this.timers.set(operation.numericId, { timer, run });
  }

  private finish(operation: BulkOperationRecord): void {
    if (operation.status !== "RUNNING") return;
    const prepared = this.prepared.get(operation.numericId)!;
    this.prepared.delete(operation.numericId);
    const forced = this.forcedErrors.get(operation.numericId) ?? null;
    this.forcedErrors.delete(operation.numericId);
    operation.finishedAt = new Date();

    let result: ExecutionResult;
    try {
      result = this.options.execute(prepared.document);
    } catch (error) {
      result = { errors: [], data: null };
      operation.executionErrors.push((error as Error).stack ?? String(error));
    }
    if (result.errors || !result.data) {
      // e.g. a field the simulator does not fill in: Shopify would have answered it.
      operation.executionErrors.push(...(result.errors ?? []).map((error) => `${error.message}${error.path ? ` at ${error.path.join(".")}` : ""}`));
      operation.status = "FAILED";
      operation.errorCode = "INTERNAL_SERVER_ERROR";
      this.options.onFinish?.(operation);
      return;
    }
    const output = toJsonl(prepared, result.data as Record<string, unknown>, operation.groupObjects);
    if (forced) {
      // Internal errors and timeouts leave what was written so far; a denied query writes nothing.
      const kept = forced === "ACCESS_DENIED" ? 0 : Math.ceil(output.lines.length / 2);
      operation.status = "FAILED";
      operation.errorCode = forced;
      operation.objectCount = kept;
      operation.rootObjectCount = output.isRoot.slice(0, kept).filter(Boolean).length;
      operation.partialFile = kept > 0 ? this.store(operation, output.lines.slice(0, kept), "partial") : null;
    } else {
      operation.status = "COMPLETED";
      operation.completedAt = operation.finishedAt;
      operation.objectCount = output.lines.length;
      operation.rootObjectCount = output.isRoot.filter(Boolean).length;
      operation.file = output.lines.length > 0 ? this.store(operation, output.lines, "final") : null;
    }
    this.options.onFinish?.(operation);
  }

  private store(operation: BulkOperationRecord, lines: string[], kind: "final" | "partial"): StoredFile {
    const file: StoredFile = {
      objectName: `${randomToken(28)}-${kind}`,
      signature: randomBytes(256).toString("base64"),
      expires: Math.floor((Date.now() + this.urlLifetimeMs) / 1000),
      filename: `bulk-${operation.numericId}.jsonl`,
      body: Buffer.from(lines.join(""), "utf8"),
    };
    this.files.set(file.objectName, file);
    return file;
  }

  private signedUrl(file: StoredFile): string {
    const disposition = `attachment; filename="${file.filename}"; filename*=UTF-8''${file.filename}`;
    const query = [
      ["GoogleAccessId", SIGNER],
      ["Expires", String(file.expires)],
      ["Signature", file.signature],
      ["response-content-disposition", disposition],
      ["response-content-type", "application/jsonl"],
    ]
      .map(([name, value]) => `${name}=${formEncode(value!)}`)
      .join("&");
    return `https://${BULK_OPERATION_STORAGE_HOST}/${BUCKET}/${OBJECT_FOLDER}/${file.objectName}?${query}`;
  }

  private expired(file: StoredFile): boolean {
    return Date.now() >= file.expires * 1000;
  }

  /** A completed operation whose URL has expired is EXPIRED. */
  private refresh(operation: BulkOperationRecord): BulkOperationRecord {
    if (operation.status === "COMPLETED" && operation.file && this.expired(operation.file)) operation.status = "EXPIRED";
    return operation;
  }
}

/** The bulkOperations search terms Shopify documents: status, operation_type, created_at and id. */
function parseSearch(query: string | null | undefined): ((op: BulkOperationRecord) => boolean)[] {
  const terms: ((op: BulkOperationRecord) => boolean)[] = [];
  for (const match of (query ?? "").matchAll(/(\w+):(>=|<=|>|<|=)?('[^']*'|"[^"]*"|\S+)/g)) {
    const field = match[1]!.toLowerCase();
    const comparator = match[2] ?? "=";
    const raw = match[3]!.replace(/^(['"])(.*)\1$/, "$2");
    const compare = (actual: number, expected: number) =>
      comparator === ">" ? actual > expected : comparator === ">=" ? actual >= expected : comparator === "<" ? actual < expected : comparator === "<=" ? actual <= expected : actual === expected;
    if (field === "status") terms.push((op) => op.status === raw.toUpperCase());
    else if (field === "operation_type") terms.push((op) => op.type === raw.toUpperCase());
    else if (field === "created_at" && !Number.isNaN(Date.parse(raw))) terms.push((op) => compare(op.createdAt.getTime(), Date.parse(raw)));
    else if (field === "id") {
      const id = Number(raw.replace(/^gid:\/\/shopify\/BulkOperation\//, ""));
      if (Number.isSafeInteger(id)) terms.push((op) => compare(op.numericId, id));
    }
  }
  return terms;
}

function randomToken(length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join("");
}

/** Query-string encoding as Google's signed URLs have it: spaces as "+", everything else reserved as %XX. */
function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, "+")
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sendStorageError(res: ServerResponse, status: number, code: string, message: string, details: string): void {
  const body = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><Details>${escapeXml(details)}</Details></Error>`;
  res.writeHead(status, { "Content-Type": "application/xml; charset=UTF-8", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&apos;").replace(/"/g, "&quot;");
}
