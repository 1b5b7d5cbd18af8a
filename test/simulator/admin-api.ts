// The shop's Admin API, as https://<shop>.myshopify.com answers it: token exchange at /admin/oauth/access_token
// and GraphQL at /admin/api/<version>/graphql.json. Documents are validated against Shopify's real schema for the
// version, run against the simulator's own orders and discounts, charged to Shopify's leaky bucket and recorded,
// so that tests can see what the app asked for. Bulk query operations run in the background (bulk-operations.ts)
// and their results are downloaded from https://storage.googleapis.com, which this class also answers for.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  GraphQLError,
  Kind,
  executeSync,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
} from "graphql";
import type { AccessTokens } from "./access-tokens";
import { adminSchema } from "./admin-schema";
import { BULK_OPERATION_STORAGE_HOST } from "./admin-tunnel";
import { BulkOperations, type BulkOperationErrorCode, type BulkOperationRecord, type BulkOperationsListArgs } from "./bulk-operations";
import {
  collectionNode,
  collectionsConnection,
  productNode,
  productsConnection,
  productVariantById,
  productVariantsConnection,
  type CatalogListArgs,
  type CatalogViewContext,
} from "./catalog-graphql";
import { InvalidCursorError, paginate, type PageArgs } from "./connections";
import { DiscountCodeTakenError, discountGid, type CodeDiscount } from "./discounts";
import { formatError } from "./graphql-errors";
import { formatAmount, parseAmount } from "./money";
import { graphqlDateTime, matchesOrderSearch, orderNode, orderSortPosition, parseOrderSearch, type OrderViewContext } from "./order-graphql";
import { API_VERSION, type SimOrder } from "./orders";
import { SINGLE_QUERY_MAX_COST, ThrottleBucket, actualQueryCost, missingPageSizeErrors, requestedQueryCost, type CostedOperation } from "./query-cost";
import type { StoreSimulator } from "./store";
import { formatInTimeZone } from "./time";

export interface AdminApiOptions {
  store: StoreSimulator;
  tokens: AccessTokens;
  /** How many reads of an order's customerJourneySummary answer `ready: false` before the journey is ready (default 1). */
  journeyReadyAfterFetches?: number;
  /** How long a bulk operation takes from CREATED to COMPLETED (RUNNING halfway); default 200 ms. */
  bulkOperationDelayMs?: number;
  /** Bulk query operations in progress at once before OPERATION_IN_PROGRESS (default 5, as Shopify since 2026-01). */
  bulkQueryConcurrencyLimit?: number;
}

export interface RecordedAdminRequest {
  at: string;
  /** bulk-download: a GET of a bulk operation's result file on https://storage.googleapis.com. */
  kind: "graphql" | "token-exchange" | "bulk-download";
  path: string;
  status: number;
  /** How the request was answered: "ok", or what stopped it. */
  outcome: "ok" | "unauthorized" | "not-found" | "bad-request" | "invalid" | "max-cost-exceeded" | "throttled" | "execution-errors" | "rejected";
  operationName: string | null;
  variables: Record<string, unknown>;
  query: string | null;
  cost: { requested: number; actual: number | null } | null;
}

const INVALID_TOKEN_MESSAGE = "[API] Invalid API key or access token (unrecognized login or wrong password)";
const GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;

interface GraphqlBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export class AdminApi {
  readonly requests: RecordedAdminRequest[] = [];
  readonly bucket = new ThrottleBucket();
  private throttledAhead = 0;
  private throttledWhen: ((variables: Record<string, unknown>) => boolean) | null = null;
  private readonly journeyReads = new Map<number, number>();
  private readonly journeyReadyAfter: number;
  private readonly store: StoreSimulator;
  readonly tokens: AccessTokens;
  /** The shop's bulk operations (bulkOperationRunQuery and friends) and their result files. */
  readonly bulkOperations: BulkOperations;

  constructor(options: AdminApiOptions) {
    this.store = options.store;
    this.tokens = options.tokens;
    this.journeyReadyAfter = Math.max(0, options.journeyReadyAfterFetches ?? 1);
    this.bulkOperations = new BulkOperations({
      schema: adminSchema,
      // Bulk queries read the same store the ordinary queries read, without page sizes or cost limits.
      execute: (document) => executeSync({ schema: adminSchema(), document, rootValue: this.queryRoot() }),
      supportedRoots: ["orders"],
      delayMs: options.bulkOperationDelayMs,
      concurrencyLimit: options.bulkQueryConcurrencyLimit,
      onFinish: (operation) => this.deliverBulkOperationFinish(operation),
    });
  }

  /** The next bulk operation created ends FAILED with the error code (default INTERNAL_SERVER_ERROR). */
  failNextBulkOperation(errorCode: BulkOperationErrorCode = "INTERNAL_SERVER_ERROR"): void {
    this.bulkOperations.failNext(errorCode);
  }

  /** Stops work still scheduled (bulk operations in progress). */
  close(): void {
    this.bulkOperations.close();
  }

  /**
   * The next `count` GraphQL requests answer THROTTLED, whatever they cost; with `when`, only requests whose
   * variables it accepts count (a test aiming at one job while other work of the shop runs).
   */
  throttleNextRequests(count: number, when?: (variables: Record<string, unknown>) => boolean): void {
    this.throttledAhead = Math.max(0, Math.floor(count));
    this.throttledWhen = when ?? null;
  }

  get pendingThrottles(): number {
    return this.throttledAhead;
  }

  graphqlRequests(): RecordedAdminRequest[] {
    return this.requests.filter((request) => request.kind === "graphql");
  }

  /** Handles one request that arrived for https://<shop>/… (decrypted by the tunnel). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://shop");
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    const body = await readBody(req);
    const record = (entry: Omit<RecordedAdminRequest, "at" | "path">) =>
      this.requests.push({ at: new Date().toISOString(), path: url.pathname, ...entry });

    if (host === BULK_OPERATION_STORAGE_HOST) {
      // A bulk operation's result file: a signed URL, no Shopify credentials.
      const outcome = this.bulkOperations.serveDownload(req, res);
      record({ kind: "bulk-download", status: res.statusCode, outcome, operationName: null, variables: {}, query: null, cost: null });
      return;
    }

    if (host !== this.store.shop.domain.toLowerCase()) {
      // Another shop: the simulator plays only its own.
      return sendJson(res, 404, { errors: "Not Found" });
    }

    if (url.pathname === "/admin/oauth/access_token" && req.method === "POST") {
      const params = parseParams(body, req.headers["content-type"]);
      const answer = params ? this.tokens.exchange(params) : { status: 400, body: { error: "invalid_request", error_description: "The body must be JSON or a form" } };
      record({
        kind: "token-exchange",
        status: answer.status,
        outcome: answer.status === 200 ? "ok" : "rejected",
        operationName: null,
        variables: { requested_token_type: params?.requested_token_type ?? null, grant_type: params?.grant_type ?? null },
        query: null,
        cost: null,
      });
      return sendJson(res, answer.status, answer.body);
    }

    const graphqlPath = GRAPHQL_PATH.exec(url.pathname);
    if (!graphqlPath) return sendJson(res, 404, { errors: "Not Found" });
    const base = { kind: "graphql" as const, operationName: null, variables: {}, query: null, cost: null };
    if (graphqlPath[1] !== API_VERSION) {
      record({ ...base, status: 404, outcome: "not-found" });
      return sendJson(res, 404, { errors: "Not Found" });
    }
    if (!this.tokens.lookup(headerValue(req.headers["x-shopify-access-token"]))) {
      record({ ...base, status: 401, outcome: "unauthorized" });
      return sendJson(res, 401, { errors: INVALID_TOKEN_MESSAGE });
    }
    if (req.method !== "POST") {
      record({ ...base, status: 405, outcome: "bad-request" });
      return sendJson(res, 405, { errors: "GraphQL requests are POSTed" });
    }

    const request = parseGraphqlBody(body, req.headers["content-type"]);
    if (!request) {
      record({ ...base, status: 400, outcome: "bad-request" });
      return sendJson(res, 400, { errors: { query: "Required parameter missing or invalid" } });
    }
    const { status, response, entry } = this.runGraphql(request.query, request.variables, request.operationName);
    record({ kind: "graphql", status, query: request.query, variables: request.variables, ...entry });
    return sendJson(res, status, response, { "X-Shopify-API-Version": API_VERSION });
  }

  private runGraphql(
    query: string,
    variables: Record<string, unknown>,
    requestedOperation: string | null,
  ): { status: number; response: Record<string, unknown>; entry: Pick<RecordedAdminRequest, "outcome" | "operationName" | "cost"> } {
    const schema = adminSchema();
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return invalid(requestedOperation, [error as GraphQLError]);
    }
    const operation = getOperationAST(document, requestedOperation ?? undefined);
    const operationName = requestedOperation ?? operation?.name?.value ?? null;
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0 || !operation) {
      return invalid(operationName, validationErrors.length ? validationErrors : [new GraphQLError("No operation named in the document")]);
    }
    const costed: CostedOperation = { schema, operation, fragments: fragmentsOf(document), variables };
    const pageErrors = missingPageSizeErrors(costed);
    if (pageErrors.length > 0) return invalid(operationName, pageErrors);

    const requested = requestedQueryCost(costed);
    if (requested > SINGLE_QUERY_MAX_COST) {
      return {
        status: 200,
        response: {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: SINGLE_QUERY_MAX_COST },
            },
          ],
        },
        entry: { outcome: "max-cost-exceeded", operationName, cost: { requested, actual: null } },
      };
    }
    const throttledByTest = this.throttledAhead > 0 && (this.throttledWhen?.(variables) ?? true);
    if (throttledByTest || requested > this.bucket.currentlyAvailable()) {
      if (throttledByTest) this.throttledAhead--;
      return {
        status: 200,
        response: {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: this.bucket.status() } },
        },
        entry: { outcome: "throttled", operationName, cost: { requested, actual: null } },
      };
    }

    // Resolvers read the simulator's memory and never wait, so the document runs synchronously.
    const result = executeSync({
      schema,
      document,
      operationName: operationName ?? undefined,
      variableValues: variables,
      rootValue: operation.operation === "mutation" ? this.mutationRoot() : this.queryRoot(),
    });
    const actual = actualQueryCost(costed, result.data as Record<string, unknown> | null | undefined);
    this.bucket.spend(actual);
    return {
      status: 200,
      response: {
        ...(result.errors ? { errors: result.errors.map(formatError) } : {}),
        data: result.data ?? null,
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: this.bucket.status() } },
      },
      entry: { outcome: result.errors ? "execution-errors" : "ok", operationName, cost: { requested, actual } },
    };
  }

  // --- resolvers -----------------------------------------------------------------------------------------------

  private orderView(): OrderViewContext {
    return {
      shop: this.store.shop,
      generator: this.store.generator,
      journeyReady: (order) => {
        const reads = (this.journeyReads.get(order.id) ?? 0) + 1;
        this.journeyReads.set(order.id, reads);
        return reads > this.journeyReadyAfter;
      },
    };
  }

  private catalogView(): CatalogViewContext {
    return { catalog: this.store.catalog, currency: this.store.shop.currency };
  }

  private queryRoot(): Record<string, unknown> {
    const store = this.store;
    const view = this.orderView();
    const catalog = this.catalogView();
    const orders = () => [...store.generator.orders.values()];
    const filtered = (query: string | null | undefined) => {
      const terms = parseOrderSearch(query);
      return orders().filter((order) => matchesOrderSearch(order, terms));
    };
    return {
      shop: {
        __typename: "Shop",
        id: `gid://shopify/Shop/${store.generator.shopNumericId}`,
        name: store.shop.name,
        myshopifyDomain: store.shop.domain,
        currencyCode: store.shop.currency,
        ianaTimezone: store.shop.timezone,
        timezoneAbbreviation: shortZoneName(store.shop.timezone),
        email: `owner@${store.shop.domain.replace(/\.myshopify\.com$/, "")}.example.com`,
        contactEmail: `hello@${store.shop.domain.replace(/\.myshopify\.com$/, "")}.example.com`,
        url: `https://${store.shop.domain}`,
        primaryDomain: { __typename: "Domain", id: `gid://shopify/Domain/${store.generator.shopNumericId}`, url: `https://${store.shop.domain}`, host: store.shop.domain, sslEnabled: true },
        enabledPresentmentCurrencies: [...new Set([store.shop.currency, store.shop.presentment?.currency ?? store.shop.currency])],
      },
      orders: (args: PageArgs & { query?: string | null; sortKey?: string | null }) =>
        withCursorErrors(() => paginate(filtered(args.query), (order) => orderSortPosition(order, args.sortKey), args, (order) => orderNode(order, view))),
      ordersCount: (args: { query?: string | null; limit?: number | null }) => {
        const count = filtered(args.query).length;
        // Omitted, the limit is Shopify's default of 10,000; an explicit null asks for no limit.
        const limit = args.limit === null ? Number.POSITIVE_INFINITY : (args.limit ?? 10_000);
        return count > limit ? { count: limit, precision: "AT_LEAST" } : { count, precision: "EXACT" };
      },
      order: ({ id }: { id: string }) => {
        const order = orderByGid(orders(), id);
        return order ? orderNode(order, view) : null;
      },
      products: (args: CatalogListArgs) => withCursorErrors(() => productsConnection(catalog, args)),
      product: ({ id }: { id: string }) => {
        const product = store.catalog.product(id);
        return product && id.startsWith("gid://shopify/Product/") ? productNode(product, catalog) : null;
      },
      productVariants: (args: CatalogListArgs) => withCursorErrors(() => productVariantsConnection(catalog, args)),
      productVariant: ({ id }: { id: string }) => productVariantById(catalog, id),
      collections: (args: CatalogListArgs) => withCursorErrors(() => collectionsConnection(catalog, args)),
      collection: ({ id }: { id: string }) => {
        const collection = store.catalog.collection(id);
        return collection && id.startsWith("gid://shopify/Collection/") ? collectionNode(collection, catalog) : null;
      },
      codeDiscountNode: ({ id }: { id: string }) => {
        const discount = store.discounts.byId(id);
        return discount && String(id).startsWith("gid://shopify/DiscountCodeNode/") ? this.discountNode(discount) : null;
      },
      codeDiscountNodeByCode: ({ code }: { code: string }) => {
        const discount = store.discounts.byCode(code);
        return discount ? this.discountNode(discount) : null;
      },
      node: ({ id }: { id: string }) => {
        const operation = this.bulkOperations.get(id);
        if (operation) return this.bulkOperations.view(operation);
        const product = id.startsWith("gid://shopify/Product/") ? store.catalog.product(id) : undefined;
        if (product) return productNode(product, catalog);
        const variant = id.startsWith("gid://shopify/ProductVariant/") ? productVariantById(catalog, id) : null;
        if (variant) return variant;
        const collection = id.startsWith("gid://shopify/Collection/") ? store.catalog.collection(id) : undefined;
        if (collection) return collectionNode(collection, catalog);
        const order = orderByGid(orders(), id);
        return order ? orderNode(order, view) : null;
      },
      bulkOperation: ({ id }: { id: string }) => {
        const operation = this.bulkOperations.get(id);
        return operation ? this.bulkOperations.view(operation) : null;
      },
      bulkOperations: (args: BulkOperationsListArgs) => withCursorErrors(() => this.bulkOperations.list(args)),
      currentBulkOperation: ({ type }: { type?: "QUERY" | "MUTATION" | null }) => {
        const operation = this.bulkOperations.current(type ?? "QUERY");
        return operation ? this.bulkOperations.view(operation) : null;
      },
    };
  }

  private mutationRoot(): Record<string, unknown> {
    const store = this.store;
    return {
      discountCodeBasicCreate: ({ basicCodeDiscount }: { basicCodeDiscount: BasicCodeDiscountInput }) => {
        const { discount, userErrors } = this.createBasicDiscount(basicCodeDiscount);
        return { codeDiscountNode: discount ? this.discountNode(discount) : null, userErrors };
      },
      discountCodeDelete: ({ id }: { id: string }) => {
        const discount = store.discounts.byId(id);
        if (!discount || !id.startsWith("gid://shopify/DiscountCodeNode/")) {
          return { deletedCodeDiscountId: null, userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID", extraInfo: null }] };
        }
        store.deleteDiscount(discount);
        return { deletedCodeDiscountId: discountGid(discount), userErrors: [] };
      },
      bulkOperationRunQuery: ({ query, groupObjects }: { query: string; groupObjects?: boolean | null }) => {
        const { operation, userErrors } = this.bulkOperations.runQuery(query, groupObjects ?? false);
        return { bulkOperation: operation ? this.bulkOperations.view(operation) : null, userErrors };
      },
      bulkOperationCancel: ({ id }: { id: string }) => {
        const { operation, userErrors } = this.bulkOperations.cancel(id);
        return { bulkOperation: operation ? this.bulkOperations.view(operation) : null, userErrors };
      },
    };
  }

  /** bulk_operations/finish, if the app subscribes to it: Shopify's payload, lowercase as Shopify sends it. */
  private deliverBulkOperationFinish(operation: BulkOperationRecord): void {
    const timeZone = this.store.shop.timezone;
    this.store.deliver([
      {
        topic: "bulk_operations/finish",
        subject: operation.id,
        occurredAt: operation.finishedAt ?? new Date(),
        payload: {
          admin_graphql_api_id: operation.id,
          completed_at: formatInTimeZone(operation.finishedAt ?? new Date(), timeZone),
          created_at: formatInTimeZone(operation.createdAt, timeZone),
          error_code: operation.errorCode?.toLowerCase() ?? null,
          status: operation.status.toLowerCase(),
          type: operation.type.toLowerCase(),
        },
      },
    ]);
  }

  private createBasicDiscount(input: BasicCodeDiscountInput): { discount: CodeDiscount | null; userErrors: DiscountUserError[] } {
    const errors: DiscountUserError[] = [];
    const error = (field: string[], message: string, code: string) =>
      errors.push({ field: ["basicCodeDiscount", ...field], message, code, extraInfo: null });
    const code = input.code?.trim() ?? "";
    const title = input.title?.trim() ?? "";
    if (!title) error(["title"], "Title can't be blank", "BLANK");
    if (!code) error(["code"], "Code can't be blank", "BLANK");
    else if (this.store.discounts.byCode(code)) error(["code"], "Code must be unique. Please try a different code.", "TAKEN");
    const value = input.customerGets?.value;
    let terms: CodeDiscount["terms"] | null = null;
    if (typeof value?.percentage === "number") {
      if (value.percentage <= 0 || value.percentage > 1) {
        error(["customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE");
      } else {
        terms = { type: "percentage", value: Math.round(value.percentage * 10_000) / 100 };
      }
    } else if (value?.discountAmount?.amount !== undefined && value.discountAmount.amount !== null) {
      try {
        terms = { type: "fixed_amount", value: parseAmount(String(value.discountAmount.amount), this.store.shop.currency) };
      } catch {
        error(["customerGets", "value", "discountAmount", "amount"], "Amount is invalid", "INVALID");
      }
    } else {
      error(["customerGets", "value"], "Value can't be blank", "BLANK");
    }
    const startsAt = input.startsAt ? new Date(input.startsAt) : new Date();
    const endsAt = input.endsAt ? new Date(input.endsAt) : null;
    if (endsAt && endsAt <= startsAt) error(["endsAt"], "Ends at needs to be after starts_at", "END_DATE_BEFORE_START_DATE");
    if (errors.length > 0 || !terms) return { discount: null, userErrors: errors };

    try {
      const discount = this.store.discounts.create({
        code,
        title,
        terms,
        startsAt,
        endsAt,
        appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
        usageLimit: input.usageLimit ?? null,
        combinesWith: {
          orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
          productDiscounts: input.combinesWith?.productDiscounts ?? false,
          shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
        },
      });
      this.store.deliver(this.store.discounts.createdEvents(discount));
      return { discount, userErrors: [] };
    } catch (caught) {
      if (caught instanceof DiscountCodeTakenError) {
        error(["code"], "Code must be unique. Please try a different code.", "TAKEN");
        return { discount: null, userErrors: errors };
      }
      throw caught;
    }
  }

  private discountNode(discount: CodeDiscount): Record<string, unknown> {
    const currency = this.store.shop.currency;
    const percentage = discount.terms.type === "percentage";
    const amount = percentage ? null : formatAmount(discount.terms.value, currency);
    const redeemCode = { __typename: "DiscountRedeemCode", id: `gid://shopify/DiscountRedeemCode/${discount.redeemCodeId}`, code: discount.code, asyncUsageCount: discount.usageCount, createdBy: null };
    const summary = percentage ? `${discount.terms.value}% off entire order` : `${amount} ${currency} off entire order`;
    return {
      __typename: "DiscountCodeNode",
      id: discountGid(discount),
      metafield: null,
      codeDiscount: {
        __typename: "DiscountCodeBasic",
        title: discount.title,
        status: this.store.discounts.status(discount),
        summary,
        shortSummary: summary,
        startsAt: graphqlDateTime(discount.startsAt),
        endsAt: discount.endsAt ? graphqlDateTime(discount.endsAt) : null,
        createdAt: graphqlDateTime(discount.createdAt),
        updatedAt: graphqlDateTime(discount.updatedAt),
        asyncUsageCount: discount.usageCount,
        usageLimit: discount.usageLimit,
        appliesOncePerCustomer: discount.appliesOncePerCustomer,
        recurringCycleLimit: null,
        hasTimelineComment: false,
        tags: [],
        shareableUrls: [],
        totalSales: null,
        minimumRequirement: null,
        discountClass: "ORDER",
        discountClasses: ["ORDER"],
        combinesWith: { ...discount.combinesWith, productDiscountsWithTagsOnSameCartLine: null },
        context: { __typename: "DiscountBuyerSelectionAll", all: "ALL" },
        customerSelection: { __typename: "DiscountCustomerAll", allCustomers: true },
        customerGets: {
          __typename: "DiscountCustomerGets",
          appliesOnOneTimePurchase: true,
          appliesOnSubscription: false,
          items: { __typename: "AllDiscountItems", allItems: true },
          value: percentage
            ? { __typename: "DiscountPercentage", percentage: discount.terms.value / 100 }
            : { __typename: "DiscountAmount", amount: { amount: amount!, currencyCode: currency }, appliesOnEachItem: false },
        },
        codes: (args: PageArgs) => paginate([redeemCode], () => [0, discount.redeemCodeId], args),
        codesCount: { count: 1, precision: "EXACT" },
      },
    };
  }
}

interface BasicCodeDiscountInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  combinesWith?: { orderDiscounts?: boolean | null; productDiscounts?: boolean | null; shippingDiscounts?: boolean | null } | null;
  customerGets?: { value?: { percentage?: number | null; discountAmount?: { amount?: string | number | null } | null } | null } | null;
}

interface DiscountUserError {
  field: string[];
  message: string;
  code: string;
  extraInfo: null;
}

function invalid(operationName: string | null, errors: readonly GraphQLError[]) {
  return {
    status: 200,
    response: { errors: errors.map(formatError) },
    entry: { outcome: "invalid" as const, operationName, cost: null },
  };
}

function withCursorErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new GraphQLError(error.message);
    throw error;
  }
}

function orderByGid(orders: readonly SimOrder[], gid: string): SimOrder | undefined {
  const match = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(gid);
  return match ? orders.find((order) => order.id === Number(match[1])) : undefined;
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
}

function shortZoneName(timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" }).formatToParts(new Date()).find((part) => part.type === "timeZoneName")?.value ?? "UTC";
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseParams(body: string, contentType: string | undefined): Record<string, unknown> | null {
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(body));
  try {
    const parsed: unknown = JSON.parse(body || "{}");
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function parseGraphqlBody(body: string, contentType: string | undefined): { query: string; variables: Record<string, unknown>; operationName: string | null } | null {
  if (contentType?.includes("application/graphql")) return body.trim() ? { query: body, variables: {}, operationName: null } : null;
  const parsed = parseParams(body, undefined) as GraphqlBody | null;
  if (!parsed || typeof parsed.query !== "string" || !parsed.query.trim()) return null;
  const variables = parsed.variables && typeof parsed.variables === "object" && !Array.isArray(parsed.variables) ? (parsed.variables as Record<string, unknown>) : {};
  return { query: parsed.query, variables, operationName: typeof parsed.operationName === "string" ? parsed.operationName : null };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "X-Request-Id": randomUUID(),
    ...headers,
  });
  res.end(text);
}
