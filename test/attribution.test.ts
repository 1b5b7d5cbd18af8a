// Attribution through the real pipeline pieces (Postgres, the ingest service, the inbox processor): each signal
// Shopify gives us changes a verdict, and the verdict drives the ledger.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_ATTRIBUTION_RULES } from "~/domain/attribution/rules";
import type { AttributionRules } from "~/domain/attribution/types";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { ingestOrder } from "~/services/ingest-order.server";
import { processInboxEvent } from "~/services/process-inbox-event.server";
import { redactCustomer } from "~/services/compliance.server";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { createTestCreator, createTestShop } from "./helpers/factories";
import { sampleOrder, shopifySample } from "./helpers/shopify-samples";

type Shop = Awaited<ReturnType<typeof createTestShop>>;

let nextCustomer = 9_000_000 + Math.floor(Math.random() * 1_000_000);

async function ingest(shop: Shop, order: Record<string, any>) {
  const fresh = await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } });
  return prisma.$transaction((tx) => ingestOrder(tx, fresh, parseOrderPayload(order)));
}

/** An order with its own customer and the given signals, on Shopify's sample order. */
function order(signals: {
  codes?: string[];
  landingSite?: string | null;
  referringSite?: string | null;
  noteAttributes?: { name: string; value: string }[];
  customerId?: number;
  email?: string;
  processedAt?: string;
}) {
  const payload = sampleOrder({ codes: signals.codes, customerId: signals.customerId ?? nextCustomer++, processedAt: signals.processedAt });
  payload.landing_site = signals.landingSite ?? null;
  payload.referring_site = signals.referringSite ?? null;
  payload.note_attributes = signals.noteAttributes ?? [];
  payload.email = signals.email ?? `shopper-${randomUUID().slice(0, 8)}@example.com`;
  return payload;
}

async function creator(shop: Shop, fields: { handle?: string; referrerDomains?: string[]; customerGid?: string; email?: string } = {}) {
  const created = await createTestCreator(shop.id, { revenueSharePercent: "10" });
  return prisma.creator.update({
    where: { id: created.id },
    data: {
      handle: fields.handle ?? `maya-${randomUUID().slice(0, 6)}`,
      referrerDomains: fields.referrerDomains ?? [],
      customerGid: fields.customerGid ?? null,
      email: fields.email ?? null,
    },
    include: { discountCodes: true },
  });
}

async function setRules(shop: Shop, rules: Partial<AttributionRules>) {
  await prisma.shop.update({ where: { id: shop.id }, data: { attributionRules: { ...DEFAULT_ATTRIBUTION_RULES, ...rules } } });
}

const attributionOf = (orderId: string) => prisma.attribution.findUniqueOrThrow({ where: { orderId } });
const ledgerOf = (orderId: string) =>
  prisma.ledgerEntry.findMany({ where: { orderId }, orderBy: { createdAt: "asc" }, select: { creatorId: true, amountMinor: true, kind: true } });

describe("each signal Shopify gives us credits the creator it points at", () => {
  it("a ref parameter on the landing page", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    const { orderId } = await ingest(shop, order({ landingSite: `/products/serum?ref=${maya.handle}` }));
    expect(await attributionOf(orderId)).toMatchObject({ creatorId: maya.id, method: "REF_PARAM" });
    expect(await ledgerOf(orderId)).toEqual([{ creatorId: maya.id, amountMinor: 1000n, kind: "COMMISSION" }]);
  });

  it("a utm_campaign naming the creator", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    const { orderId } = await ingest(shop, order({ landingSite: `/?utm_source=instagram&utm_medium=influencer&utm_campaign=${maya.handle}` }));
    expect(await attributionOf(orderId)).toMatchObject({ creatorId: maya.id, method: "UTM" });
  });

  it("a cart attribute the storefront set", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    const { orderId } = await ingest(shop, order({ noteAttributes: [{ name: "ref", value: maya.handle.toUpperCase() }] }));
    expect(await attributionOf(orderId)).toMatchObject({ creatorId: maya.id, method: "CART_ATTRIBUTE" });
  });

  it("a referring site that is the creator's own", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop, { referrerDomains: ["mayafit.com", "instagram.com/mayafit"] });
    const { orderId } = await ingest(shop, order({ referringSite: "https://www.instagram.com/mayafit/p/abc" }));
    expect(await attributionOf(orderId)).toMatchObject({ creatorId: maya.id, method: "REFERRING_SITE" });
    const other = await ingest(shop, order({ referringSite: "https://www.instagram.com/mayafitness" }));
    expect(await attributionOf(other.orderId)).toMatchObject({ creatorId: null, method: "NONE" });
  });

  it("a tracking-link click, inside the attribution window only", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    const link = await prisma.trackingLink.create({
      data: { shopId: shop.id, creatorId: maya.id, slug: randomUUID().slice(0, 8), label: "Bio", utmSource: "instagram", utmCampaign: maya.handle },
    });
    const click = (daysAgo: number) =>
      prisma.linkClick.create({
        data: { shopId: shop.id, linkId: link.id, creatorId: maya.id, visitorHash: "h", occurredAt: new Date(Date.now() - daysAgo * 86_400_000) },
      });
    const recent = await click(2);
    const { orderId } = await ingest(shop, order({ landingSite: `/?cl_click=${recent.id}` }));
    expect(await attributionOf(orderId)).toMatchObject({ creatorId: maya.id, method: "TRACKING_LINK" });

    const old = await click(45);
    const late = await ingest(shop, order({ landingSite: `/?cl_click=${old.id}` }));
    expect(await attributionOf(late.orderId)).toMatchObject({ creatorId: null, method: "NONE" });
  });

  it("a survey answer, whether it arrives before or after the order", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    const early = order({});
    await recordSurveyAnswer(prisma, shop.id, {
      confirmationNumber: early.confirmation_number,
      optionKey: `creator:${maya.id}`,
      optionLabel: maya.name,
      creatorId: maya.id,
      otherText: null,
    });
    const first = await ingest(shop, early);
    expect(await attributionOf(first.orderId)).toMatchObject({ creatorId: maya.id, method: "SURVEY", confidence: 50 });

    const late = order({});
    const second = await ingest(shop, late);
    expect(await ledgerOf(second.orderId)).toEqual([]);
    const answer = {
      confirmationNumber: late.confirmation_number,
      optionKey: `creator:${maya.id}`,
      optionLabel: maya.name,
      creatorId: maya.id,
      otherText: null,
    };
    expect((await recordSurveyAnswer(prisma, shop.id, answer)).created).toBe(true);
    expect(await attributionOf(second.orderId)).toMatchObject({ creatorId: maya.id, method: "SURVEY" });
    expect(await ledgerOf(second.orderId)).toEqual([{ creatorId: maya.id, amountMinor: 1000n, kind: "COMMISSION" }]);
    // A retried submission changes nothing.
    expect((await recordSurveyAnswer(prisma, shop.id, answer)).created).toBe(false);
    expect(await ledgerOf(second.orderId)).toHaveLength(1);
  });

  it("the survey credits nobody when the shop leaves it out of its precedence", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    await setRules(shop, { precedence: DEFAULT_ATTRIBUTION_RULES.precedence.filter((kind) => kind !== "survey") });
    const payload = order({});
    await recordSurveyAnswer(prisma, shop.id, {
      confirmationNumber: payload.confirmation_number,
      optionKey: "creator",
      optionLabel: maya.name,
      creatorId: maya.id,
      otherText: null,
    });
    const { orderId } = await ingest(shop, payload);
    const attribution = await attributionOf(orderId);
    expect(attribution).toMatchObject({ creatorId: null, method: "NONE" });
    expect(attribution.evidence).toEqual([expect.objectContaining({ signal: "survey", matched: true, decisive: false })]);
  });
});

describe("shop rules", () => {
  it("a code on the shop's excluded list never credits, and the evidence says so", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    const code = maya.discountCodes[0]!.code;
    await setRules(shop, { excludedCodes: [code] });
    const { orderId } = await ingest(shop, order({ codes: [code.toLowerCase()] }));
    const attribution = await attributionOf(orderId);
    expect(attribution).toMatchObject({ creatorId: null, method: "NONE" });
    expect(JSON.stringify(attribution.evidence)).toMatch(/exclu/i);
  });

  it("the lifetime customer lock keeps a customer with the creator who acquired them", async () => {
    const shop = await createTestShop();
    const [maya, sam] = [await creator(shop), await creator(shop)];
    await setRules(shop, { customerLock: { enabled: true, days: null } });
    const customerId = nextCustomer++;
    await ingest(shop, order({ customerId, codes: [maya.discountCodes[0]!.code], processedAt: "2026-01-05T10:00:00Z" }));
    const repeat = await ingest(shop, order({ customerId, codes: [sam.discountCodes[0]!.code], processedAt: "2026-06-05T10:00:00Z" }));
    expect(await attributionOf(repeat.orderId)).toMatchObject({ creatorId: maya.id, method: "CUSTOMER_LOCK" });
  });

  it("a lock for N days lets go after N days, and new-customers-only then credits nobody", async () => {
    const shop = await createTestShop();
    const [maya, sam] = [await creator(shop), await creator(shop)];
    await setRules(shop, { customerLock: { enabled: true, days: 30 }, newCustomersOnly: true });
    const customerId = nextCustomer++;
    await ingest(shop, order({ customerId, codes: [maya.discountCodes[0]!.code], processedAt: "2026-01-05T10:00:00Z" }));
    const within = await ingest(shop, order({ customerId, codes: [sam.discountCodes[0]!.code], processedAt: "2026-01-20T10:00:00Z" }));
    expect(await attributionOf(within.orderId)).toMatchObject({ creatorId: maya.id, method: "CUSTOMER_LOCK" });
    const after = await ingest(shop, order({ customerId, codes: [sam.discountCodes[0]!.code], processedAt: "2026-03-20T10:00:00Z" }));
    expect(await attributionOf(after.orderId)).toMatchObject({ creatorId: null, method: "NONE" });
  });
});

describe("flags hold the commission until a merchant reviews the order", () => {
  it("a creator buying with their own code (same customer account) is a self-referral", async () => {
    const shop = await createTestShop();
    const customerId = nextCustomer++;
    const maya = await creator(shop, { customerGid: `gid://shopify/Customer/${customerId}` });
    const { orderId } = await ingest(shop, order({ customerId, codes: [maya.discountCodes[0]!.code] }));
    expect(await attributionOf(orderId)).toMatchObject({ creatorId: maya.id, flags: ["SELF_REFERRAL"], reviewStatus: "PENDING" });
    expect(await ledgerOf(orderId)).toEqual([]);
  });

  it("the creator's email on the order is a self-referral too (matched by hash, the email is not stored)", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop, { email: "maya@example.com" });
    const { orderId } = await ingest(shop, order({ email: " Maya@Example.com ", codes: [maya.discountCodes[0]!.code] }));
    expect(await attributionOf(orderId)).toMatchObject({ flags: ["SELF_REFERRAL"], reviewStatus: "PENDING" });
    const stored = await prisma.order.findUniqueOrThrow({ where: { id: orderId } });
    expect(JSON.stringify(stored, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(/maya@example/i);
  });

  it("a creator code coming from a coupon site is a leaked code", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    const { orderId } = await ingest(
      shop,
      order({ codes: [maya.discountCodes[0]!.code], referringSite: "https://www.retailmenot.com/view/example.com" }),
    );
    expect(await attributionOf(orderId)).toMatchObject({ creatorId: maya.id, flags: ["LEAKED_CODE"], reviewStatus: "PENDING" });
  });

  /** A shop whose creator code bursts at 3 orders in an hour; `at(minute)`: a time in that hour. */
  async function burstSetting() {
    const shop = await createTestShop();
    const maya = await creator(shop);
    await setRules(shop, { burstMinOrders: 3, burstMultiplier: 5 });
    return { shop, code: maya.discountCodes[0]!.code, at: (minute: number) => new Date(Date.UTC(2026, 10, 27, 12, minute)).toISOString() };
  }

  it("a burst of orders on one code flags the orders in the burst", async () => {
    const { shop, code, at } = await burstSetting();
    const results = [];
    for (const minute of [0, 5, 10, 15]) results.push(await ingest(shop, order({ codes: [code], processedAt: at(minute) })));
    const statuses = await Promise.all(results.map(async (r) => (await attributionOf(r.orderId)).reviewStatus));
    expect(statuses).toEqual(["NOT_NEEDED", "NOT_NEEDED", "NOT_NEEDED", "PENDING"]);
    expect((await attributionOf(results[3]!.orderId)).flags).toEqual(["CODE_BURST"]);
  });

  it("a burst counts the code's orders as they are now: edited off the code or moved in time, they drop out", async () => {
    const { shop, code, at } = await burstSetting();
    const earlier = [];
    for (const minute of [0, 5, 10]) earlier.push(order({ codes: [code], processedAt: at(minute) }));
    const ids = [];
    for (const payload of earlier) ids.push((await ingest(shop, payload)).orderId);
    const usesOf = () =>
      prisma.orderDiscountCode.findMany({ where: { shopId: shop.id }, select: { orderId: true, normalizedCode: true, processedAt: true } });
    expect(await usesOf()).toHaveLength(3);

    // A newer version of the first order without the code, the second one moved a day back, the third one on another code.
    await ingest(shop, { ...earlier[0]!, discount_codes: [], updated_at: new Date(Date.UTC(2026, 10, 27, 13)).toISOString() });
    await prisma.order.update({ where: { id: ids[1]! }, data: { processedAt: new Date(Date.UTC(2026, 10, 26, 12, 5)) } });
    await prisma.order.update({ where: { id: ids[2]! }, data: { normalizedDiscountCodes: ["WELCOME5", "WELCOME5"] } });
    const dayBack = new Date(Date.UTC(2026, 10, 26, 12, 5));
    expect(await usesOf()).toEqual(
      expect.arrayContaining([
        { orderId: ids[1], normalizedCode: code.toUpperCase(), processedAt: dayBack },
        { orderId: ids[2], normalizedCode: "WELCOME5", processedAt: new Date(at(10)) },
      ]),
    );
    expect(await usesOf()).toHaveLength(2);

    const next = await ingest(shop, order({ codes: [code], processedAt: at(15) }));
    expect(await attributionOf(next.orderId)).toMatchObject({ flags: [], reviewStatus: "NOT_NEEDED" });
  });
});

describe("codes stay in step with Shopify's discounts", () => {
  async function discountEvent(shop: Shop, topic: string, payload: Record<string, unknown>) {
    const eventId = randomUUID();
    await prisma.inboxEvent.create({
      data: { shopDomain: shop.domain, eventId, webhookId: eventId, topic, apiVersion: "2026-07", payload: payload as object },
    });
    return processInboxEvent(prisma, { shopDomain: shop.domain, eventId });
  }

  it("a renamed code is retired (past orders keep their creator) and its new spelling credits the same creator", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    const gid = `gid://shopify/DiscountCodeNode/${Math.floor(Math.random() * 1e9)}`;
    const oldCode = maya.discountCodes[0]!;
    await prisma.discountCode.update({ where: { id: oldCode.id }, data: { shopifyDiscountGid: gid } });
    const before = order({ codes: [oldCode.code] });
    await ingest(shop, before);

    const removed = shopifySample("discounts/redeemcode_removed");
    await discountEvent(shop, "DISCOUNTS_REDEEMCODE_REMOVED", { ...removed, admin_graphql_api_id: gid, redeem_code: { ...removed.redeem_code, code: oldCode.code } });
    const added = shopifySample("discounts/redeemcode_added");
    await discountEvent(shop, "DISCOUNTS_REDEEMCODE_ADDED", { ...added, admin_graphql_api_id: gid, redeem_code: { ...added.redeem_code, code: "MAYA-WINTER" } });

    const codes = await prisma.discountCode.findMany({ where: { creatorId: maya.id }, orderBy: { createdAt: "asc" } });
    expect(codes.map((c) => [c.code, c.retiredAt !== null])).toEqual([
      [oldCode.code, true],
      ["MAYA-WINTER", false],
    ]);
    // The old order, re-delivered, still credits Maya; the new spelling credits her too.
    before.updated_at = new Date(Date.now() + 1000).toISOString();
    expect((await ingest(shop, before)).verdict.creatorId).toBe(maya.id);
    expect((await ingest(shop, order({ codes: ["maya-winter"] }))).verdict.creatorId).toBe(maya.id);
  });

  it("a deleted discount retires all its codes; a discount the app does not know is ignored", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    const gid = `gid://shopify/DiscountCodeNode/${Math.floor(Math.random() * 1e9)}`;
    await prisma.discountCode.updateMany({ where: { creatorId: maya.id }, data: { shopifyDiscountGid: gid } });
    const deleted = shopifySample("discounts/delete");
    expect((await discountEvent(shop, "DISCOUNTS_DELETE", { ...deleted, admin_graphql_api_id: "gid://shopify/DiscountCodeNode/1" })).outcome).toBe("processed");
    expect(await prisma.discountCode.count({ where: { creatorId: maya.id, retiredAt: { not: null } } })).toBe(0);
    await discountEvent(shop, "DISCOUNTS_DELETE", { ...deleted, admin_graphql_api_id: gid });
    expect(await prisma.discountCode.count({ where: { creatorId: maya.id, retiredAt: null } })).toBe(0);
  });
});

describe("customers/redact erases what attribution kept about the customer", () => {
  it("cart attributes, landing and referring sites, email hash, journey, evidence and survey free text", async () => {
    const shop = await createTestShop();
    const maya = await creator(shop);
    const customerId = nextCustomer++;
    const payload = order({ customerId, landingSite: `/?ref=${maya.handle}`, noteAttributes: [{ name: "ref", value: maya.handle }] });
    const { orderId } = await ingest(shop, payload);
    await recordSurveyAnswer(prisma, shop.id, {
      confirmationNumber: payload.confirmation_number,
      optionKey: "other",
      optionLabel: "Other",
      creatorId: null,
      otherText: "my neighbour Jane Doe told me",
    });
    await prisma.$transaction((tx) =>
      redactCustomer(tx, shop, { shop_id: 1, shop_domain: shop.domain, customer: { id: customerId }, orders_to_redact: [] }),
    );
    const stored = await prisma.order.findUniqueOrThrow({ where: { id: orderId }, include: { attribution: true } });
    expect(stored).toMatchObject({ customerGid: null, landingSite: null, noteAttributes: [], customerEmailHash: null, customerJourney: null });
    expect(stored.attribution?.evidence).toEqual([]);
    expect(stored.attribution?.creatorId).toBe(maya.id);
    const answer = await prisma.surveyResponse.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(answer.otherText).toBeNull();
  });
});
