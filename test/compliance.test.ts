import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { hashEmail } from "~/domain/attribution/hash-email";
import { APP_TOPICS, COMPLIANCE_TOPICS, ORDER_TOPICS, receiveWebhook } from "~/services/receive-webhook.server";
import { MAX_INBOX_ATTEMPTS, processInboxEvent } from "~/services/process-inbox-event.server";
import { createTestCreator, createTestShop } from "./helpers/factories";
import { sampleOrder, shopifySample } from "./helpers/shopify-samples";
import { signedWebhookRequest } from "./helpers/webhooks";

// These tests drive the inbox by hand: the queue is only a wake-up call and is not under test here.
const noQueue = { add: async () => undefined } as never;
type Shop = Awaited<ReturnType<typeof createTestShop>>;

async function receive(shop: Shop, topic: string, body: unknown) {
  const eventId = randomUUID();
  const topics = topic.startsWith("orders/") ? ORDER_TOPICS : topic === "app/uninstalled" ? APP_TOPICS : COMPLIANCE_TOPICS;
  const response = await receiveWebhook(signedWebhookRequest({ topic, shop: shop.domain, body, eventId }), topics, noQueue);
  expect(response.status).toBe(200);
  return eventId;
}

async function receiveAndProcess(shop: Shop, topic: string, body: unknown) {
  const eventId = await receive(shop, topic, body);
  return (await processInboxEvent(prisma, { shopDomain: shop.domain, eventId })).outcome;
}

/**
 * Every column that can hold something about a shop's customer, by model, and what happens to it. The first test
 * below reads the schema and fails when a model gains a column whose name suggests personal data (email, phone,
 * name, address, customer, note, text, url, site, journey, payload, …) that this list does not account for.
 */
const PERSONAL_DATA = {
  // Erased by customers/redact, exported by customers/data_request.
  customer: {
    Order: ["customerGid", "landingSite", "referringSite", "noteAttributes", "customerEmailHash", "customerJourney"],
    Attribution: ["evidence"],
    SurveyResponse: ["otherText"],
    // The creator's link to their own customer account (self-referral detection).
    Creator: ["customerGid"],
    // Payloads are cleared once processed; an unprocessed one about the customer is cleared by customers/redact.
    InboxEvent: ["payload"],
    // The export itself: deleted by customers/redact.
    CustomerDataExport: ["customerGid", "data"],
  },
  // The merchant's creators (business partners, not the shop's customers) and the merchant's staff: gone with the shop.
  notCustomer: {
    Session: ["firstName", "lastName", "email", "accessToken", "refreshToken", "state", "shop"],
    Shop: ["name", "domain", "storefrontUrl"],
    Creator: ["name", "email", "paypalEmail", "handle", "referrerDomains", "niche"],
    StatementSettings: ["fromName", "replyTo", "logoUrl"],
    StatementDelivery: ["toEmail", "smtpResponse", "requestedBy"],
    Statement: ["document"],
    // Salted per day: a visitor cannot be told apart from the next day's, nor traced back to an IP.
    LinkClick: ["visitorHash"],
    // Order references ("#1001", the confirmation number the survey joins on), titles the merchant typed, Shopify
    // object names. A shipping region is a state or a country: with the order no longer linked to its customer it
    // points at nobody, and the region rollups behind experiments keep counting it.
    Order: ["name", "confirmationNumber", "shippingRegion"],
    SurveyResponse: ["optionLabel", "confirmationNumber"],
    CustomerDataExport: ["dataRequestId"],
    TrackingLink: ["label", "destinationPath"],
    Deliverable: ["title", "url"],
    CreatorCost: ["description", "productTitle"],
    CollectionSync: ["title"],
    Experiment: ["name", "notes", "exposedRegions", "controlRegions"],
    RegionDailyRollup: ["region"],
    Payout: ["note", "reference"],
    AttributionAudit: ["reason", "actor"],
    Attribution: ["overrideReason"],
    LedgerEntry: ["reason"],
  },
} as const satisfies Record<string, Partial<Record<Prisma.ModelName, readonly string[]>>>;

const PERSONAL_WORDS = new Set([
  "email", "phone", "name", "address", "customer", "note", "notes", "text", "url", "site", "journey",
  "payload", "data", "document", "evidence", "visitor", "region", "regions", "attributes", "reply", "city", "zip",
  "ip", "agent", "token", "reason", "title", "label", "description", "path", "domains", "reference", "actor", "by",
  "response", "handle", "confirmation", "niche", "state",
]);
const wordsOf = (field: string) => field.split(/(?=[A-Z])/).map((word) => word.toLowerCase());

describe("personal data inventory", () => {
  it("accounts for every column whose name suggests personal data", () => {
    const listed = new Set(
      Object.values(PERSONAL_DATA).flatMap((models) =>
        Object.entries(models as Record<string, readonly string[]>).flatMap(([model, fields]) => fields.map((field) => `${model}.${field}`)),
      ),
    );
    const unlisted = Prisma.dmmf.datamodel.models.flatMap((model) =>
      model.fields
        .filter((field) => field.kind === "scalar" && ["String", "Json"].includes(field.type))
        .filter((field) => wordsOf(field.name).some((word) => PERSONAL_WORDS.has(word)))
        .map((field) => `${model.name}.${field.name}`)
        .filter((name) => !listed.has(name)),
    );
    expect(unlisted, "classify these columns in PERSONAL_DATA (and erase / export them if they hold customer data)").toEqual([]);
  });
});

const CUSTOMER_ID = 5_550_123_456;
const CUSTOMER_EMAIL = "zephyrine.quillfeather@example.net";
/** What the app could hold about the customer: none of it may survive customers/redact, anywhere. */
const CUSTOMER_TRACES = [
  CUSTOMER_EMAIL,
  encodeURIComponent(CUSTOMER_EMAIL),
  hashEmail(CUSTOMER_EMAIL)!,
  `gid://shopify/Customer/${CUSTOMER_ID}`,
  String(CUSTOMER_ID),
  "Zephyrine",
  "Quillfeather",
  "+16135550199",
  "77 Vanishing Lane",
  "K9Z 9Z9",
];

/** Shopify's sample order, made out to our customer and full of them: contact details, addresses, URLs, cart attributes. */
function customersOrder(code: string) {
  const order = sampleOrder({ codes: [code], customerId: CUSTOMER_ID });
  const address = { first_name: "Zephyrine", last_name: "Quillfeather", name: "Zephyrine Quillfeather", address1: "77 Vanishing Lane", city: "Ottawa", zip: "K9Z 9Z9", phone: "+16135550199", province_code: "ON", country_code: "CA" };
  Object.assign(order, {
    email: CUSTOMER_EMAIL,
    contact_email: CUSTOMER_EMAIL,
    phone: "+16135550199",
    landing_site: `/products/tee?utm_source=instagram&ref=${code.toLowerCase()}&email=${encodeURIComponent(CUSTOMER_EMAIL)}`,
    referring_site: `https://instagram.com/?u=${encodeURIComponent(CUSTOMER_EMAIL)}`,
    note_attributes: [{ name: "gift_for", value: "Zephyrine Quillfeather, 77 Vanishing Lane" }],
    billing_address: { ...order.billing_address, ...address },
    shipping_address: { ...order.shipping_address, ...address },
  });
  order.customer = { ...order.customer, email: CUSTOMER_EMAIL, first_name: "Zephyrine", last_name: "Quillfeather", phone: "+16135550199" };
  return order;
}

async function shopWithOrders() {
  const shop = await createTestShop();
  await createTestCreator(shop.id, { discountCode: "ERASE10", email: "creator@example.com" });
  const mine = customersOrder("ERASE10");
  const other = sampleOrder({ codes: ["ERASE10"], customerId: 777 });
  other.landing_site = "/products/tee?utm_source=instagram&ref=erase10";
  other.referring_site = "https://instagram.com/";
  for (const order of [mine, other]) expect(await receiveAndProcess(shop, "orders/create", order)).toBe("processed");
  await prisma.session.create({
    data: { id: `offline_${shop.domain}`, shop: shop.domain, state: "", accessToken: "token", scope: "read_orders" },
  });
  return { shop, mine, other };
}

/** Everything else the app can come to hold about the customer besides their order's webhook. */
async function holdMoreAboutTheCustomer(shop: Shop, mine: Record<string, any>) {
  const order = await prisma.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyOrderGid: mine.admin_graphql_api_id } });
  // Shopify's customer journey, as the app read it from the Admin API.
  const visit = { occurredAt: order.processedAt.toISOString(), landingPage: order.landingSite, referrerUrl: order.referringSite, utmParameters: { source: "instagram", campaign: null, content: null, medium: null, term: null } };
  await prisma.order.update({ where: { id: order.id }, data: { customerJourney: { ready: true, firstVisit: visit, lastVisit: visit } } });
  await prisma.surveyResponse.create({
    data: { shopId: shop.id, confirmationNumber: order.confirmationNumber!, optionKey: "other", optionLabel: "Other", otherText: "My friend Zephyrine Quillfeather" },
  });
  // A creator the merchant linked to this customer's account.
  await createTestCreator(shop.id, { customerGid: `gid://shopify/Customer/${CUSTOMER_ID}` });
  // An orders/updated of theirs that failed for good: its payload is kept for inspection.
  const failed = { ...mine, updated_at: new Date().toISOString() };
  await prisma.inboxEvent.create({
    data: { shopDomain: shop.domain, eventId: randomUUID(), webhookId: randomUUID(), topic: "ORDERS_UPDATED", apiVersion: "2026-07", payload: failed, attempts: MAX_INBOX_ATTEMPTS, lastError: "boom" },
  });
  // A data request answered earlier.
  const request = { ...shopifySample("customers/data_request"), shop_domain: shop.domain, customer: { id: CUSTOMER_ID, email: CUSTOMER_EMAIL, phone: "+16135550199" }, orders_requested: [] };
  expect(await receiveAndProcess(shop, "customers/data_request", request)).toBe("processed");
}

interface TableScan {
  table: string;
  rows: string[];
}

/** Every table of the schema, each row as JSON text, limited to the shop's rows; a table with no shop column fails. */
async function scanTables(shop: Shop): Promise<TableScan[]> {
  const columns = await prisma.$queryRaw<{ table: string; column: string }[]>`
    SELECT table_name::text AS "table", column_name::text AS "column" FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`;
  const tables = [...new Set(columns.map((c) => c.table))].sort();
  const columnsOf = (table: string) => new Set(columns.filter((c) => c.table === table).map((c) => c.column));
  return Promise.all(
    tables.map(async (table) => {
      const has = columnsOf(table);
      const filter = has.has("shopId")
        ? Prisma.sql`"shopId"::text = ${shop.id}`
        : has.has("shopDomain")
          ? Prisma.sql`"shopDomain" = ${shop.domain}`
          : table === "Session"
            ? Prisma.sql`"shop" = ${shop.domain}`
            : table === "Shop"
              ? Prisma.sql`"id"::text = ${shop.id}`
              : null;
      if (!filter) throw new Error(`Table ${table} has no shop column: say how its rows are erased with the shop`);
      const rows = await prisma.$queryRaw<{ row: string }[]>`SELECT to_jsonb(t)::text AS row FROM ${Prisma.raw(`"${table}"`)} t WHERE ${filter}`;
      return { table, rows: rows.map((r) => r.row) };
    }),
  );
}

function tracesIn(scans: TableScan[], traces: readonly string[]) {
  return scans.flatMap(({ table, rows }) =>
    rows.flatMap((row) => traces.filter((trace) => row.toLowerCase().includes(trace.toLowerCase())).map((trace) => `${table}: ${trace}`)),
  );
}

describe("customers/redact", () => {
  it("leaves nothing of the customer in any table, and keeps the money for the ledger", async () => {
    const { shop, mine, other } = await shopWithOrders();
    await holdMoreAboutTheCustomer(shop, mine);
    // The traces are really there before: the scan can see them.
    expect(tracesIn(await scanTables(shop), CUSTOMER_TRACES).length).toBeGreaterThan(10);

    const payload = { ...shopifySample("customers/redact"), shop_domain: shop.domain, customer: { id: CUSTOMER_ID, email: CUSTOMER_EMAIL, phone: "+16135550199" }, orders_to_redact: [] };
    expect(await receiveAndProcess(shop, "customers/redact", payload)).toBe("processed");

    expect(tracesIn(await scanTables(shop), CUSTOMER_TRACES)).toEqual([]);
    const redacted = await prisma.order.findFirstOrThrow({ where: { shopifyOrderGid: mine.admin_graphql_api_id }, include: { attribution: true } });
    expect(redacted.netMerchandiseMinor).toBeGreaterThan(0n);
    expect(redacted.attribution?.creatorId).not.toBeNull();
    expect(await prisma.ledgerEntry.count({ where: { orderId: redacted.id } })).toBe(1);
    // The other customer's order keeps everything.
    const untouched = await prisma.order.findFirstOrThrow({ where: { shopifyOrderGid: other.admin_graphql_api_id } });
    expect(untouched).toMatchObject({ customerGid: "gid://shopify/Customer/777", landingSite: other.landing_site, referringSite: other.referring_site });
    // The failed event about the customer is no longer retried nor shown with their data.
    const failed = await prisma.inboxEvent.findFirstOrThrow({ where: { shopDomain: shop.domain, topic: "ORDERS_UPDATED" } });
    expect(failed).toMatchObject({ payload: null, processedAt: expect.any(Date) });
  });

  it("erases the orders named in orders_to_redact even when they no longer name the customer", async () => {
    const { shop, mine } = await shopWithOrders();
    await prisma.order.updateMany({ where: { shopifyOrderGid: mine.admin_graphql_api_id }, data: { customerGid: null } });
    const payload = { ...shopifySample("customers/redact"), shop_domain: shop.domain, customer: { id: 1 }, orders_to_redact: [mine.id] };
    expect(await receiveAndProcess(shop, "customers/redact", payload)).toBe("processed");
    expect(tracesIn(await scanTables(shop), CUSTOMER_TRACES)).toEqual([]);
  });
});

describe("customers/data_request", () => {
  it("exports every value the app holds in the customer's columns", async () => {
    const { shop, mine } = await shopWithOrders();
    await holdMoreAboutTheCustomer(shop, mine);
    const exported = await prisma.customerDataExport.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(exported.customerGid).toBe(`gid://shopify/Customer/${CUSTOMER_ID}`);
    const text = JSON.stringify(exported.data);

    // Every non-empty value of a customer column, for this customer, appears in the export.
    const order = await prisma.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyOrderGid: mine.admin_graphql_api_id }, include: { attribution: true } });
    const survey = await prisma.surveyResponse.findFirstOrThrow({ where: { shopId: shop.id, confirmationNumber: order.confirmationNumber! } });
    const linkedCreator = await prisma.creator.findFirstOrThrow({ where: { shopId: shop.id, customerGid: order.customerGid } });
    const held: Record<string, unknown> = {
      ...Object.fromEntries(PERSONAL_DATA.customer.Order.map((field) => [`Order.${field}`, order[field]])),
      "Attribution.evidence": order.attribution?.evidence,
      "SurveyResponse.otherText": survey.otherText,
      "Creator.customerGid": linkedCreator.handle,
    };
    for (const [column, value] of Object.entries(held)) {
      expect(value, column).toBeTruthy();
      const values = typeof value === "string" ? [value] : [JSON.stringify(value).slice(1, -1)];
      for (const expected of values) expect(text, column).toContain(expected);
    }
    expect(exported.data).toMatchObject({
      orders: [expect.objectContaining({ order: mine.admin_graphql_api_id, discountCodes: ["ERASE10"], landingSite: order.landingSite })],
      surveyAnswers: [expect.objectContaining({ otherText: "My friend Zephyrine Quillfeather" })],
      creatorProfiles: [expect.objectContaining({ handle: linkedCreator.handle })],
    });
  });
});

describe("app/uninstalled", () => {
  it("ends the shop's sessions and marks it uninstalled; a re-install clears the mark", async () => {
    const { shop } = await shopWithOrders();
    expect(await receiveAndProcess(shop, "app/uninstalled", { ...shopifySample("app/uninstalled"), domain: shop.domain })).toBe("processed");
    expect(await prisma.session.count({ where: { shop: shop.domain } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).uninstalledAt).not.toBeNull();
  });
});

describe("shop/redact", () => {
  it("erases every row of the shop in every table, ledger and sessions included, and no other shop's", async () => {
    const bystander = await shopWithOrders();
    const { shop, mine } = await shopWithOrders();
    await holdMoreAboutTheCustomer(shop, mine);
    // Rollup tables are left out: other test files' reporting workers rebuild every shop's days meanwhile.
    const bystanderRows = async () =>
      (await scanTables(bystander.shop)).filter(({ table }) => !/Rollup/.test(table)).map(({ table, rows }) => [table, rows.length]);
    const bystanderRowsBefore = await bystanderRows();
    // An order webhook still waiting in the inbox: its payload goes with the shop.
    await receive(shop, "orders/updated", mine);

    const redactEventId = await receive(shop, "shop/redact", { shop_id: 1, shop_domain: shop.domain });
    expect((await processInboxEvent(prisma, { shopDomain: shop.domain, eventId: redactEventId })).outcome).toBe("processed");

    const left = (await scanTables(shop)).filter(({ rows }) => rows.length > 0);
    // Only the shop/redact event itself stays, processed and empty, so that a repeat delivery is recognised.
    expect(left.map(({ table, rows }) => [table, rows.length])).toEqual([["InboxEvent", 1]]);
    expect(JSON.parse(left[0]!.rows[0]!)).toMatchObject({ eventId: redactEventId, topic: "SHOP_REDACT", payload: null });
    expect(await bystanderRows()).toEqual(bystanderRowsBefore);
  });
});

describe("the ledger", () => {
  it("refuses edits and deletes outside a shop erasure", async () => {
    const { shop } = await shopWithOrders();
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { shopId: shop.id } });
    await expect(prisma.ledgerEntry.update({ where: { id: entry.id }, data: { amountMinor: 1n } })).rejects.toThrow(/append-only/);
    await expect(prisma.ledgerEntry.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
  });
});
