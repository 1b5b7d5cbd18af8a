import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-attribution-review-${process.pid}-${Date.now()}`;
});

import type { Shop } from "@prisma/client";
import { prisma } from "~/db.server";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { getAttributionRules, saveAttributionRules } from "~/models/attribution-rules.server";
import { getOrderDetail, listOrders, parseOrderListQuery, ORDERS_PAGE_SIZE } from "~/models/order.server";
import { createCommissionsQueue, createRedis, settleJobId } from "~/queues.server";
import {
  approveReview,
  clearOverride,
  overrideAttribution,
  rejectReview,
  staffActor,
} from "~/services/attribution-review.server";
import { ingestOrder } from "~/services/ingest-order.server";
import { createTestContract, createTestCreator, createTestShop } from "./helpers/factories";
import { sampleOrder } from "./helpers/shopify-samples";

const connection = createRedis({ failFast: false });
const queue = createCommissionsQueue(connection);
const options = { queue: () => queue };

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
});

const ACTOR = "merchant@example.com";

async function ingest(shop: Shop, payload: Record<string, unknown>) {
  return prisma.$transaction((tx) => ingestOrder(tx, shop, parseOrderPayload(payload)));
}

/** The order's entries as [creator, kind, amount], sorted (one change posts for several creators in no set order). */
async function ledgerOf(orderId: string) {
  const entries = await prisma.ledgerEntry.findMany({
    where: { orderId },
    select: { creatorId: true, kind: true, amountMinor: true },
  });
  return entries
    .map((entry): [string, string, bigint] => [entry.creatorId, entry.kind, entry.amountMinor])
    .sort(byText);
}

function byText(a: unknown[], b: unknown[]): number {
  const [x, y] = [a.map(String).join("|"), b.map(String).join("|")];
  return x < y ? -1 : x > y ? 1 : 0;
}

async function netFor(orderId: string, creatorId: string): Promise<bigint> {
  const entries = await ledgerOf(orderId);
  return entries.filter(([creator]) => creator === creatorId).reduce((sum, [, , amount]) => sum + amount, 0n);
}

const attributionOf = (orderId: string) => prisma.attribution.findUniqueOrThrow({ where: { orderId } });
const auditsOf = (orderId: string) =>
  prisma.attributionAudit.findMany({ where: { orderId }, orderBy: { createdAt: "asc" } });

async function setup() {
  const shop = await createTestShop();
  const maya = await createTestCreator(shop.id, { name: "Maya Fit", discountCode: `MAYA${Date.now() % 100000}` });
  const leo = await createTestCreator(shop.id, { name: "Leo Runs" });
  const payload = sampleOrder({
    codes: [maya.discountCodes[0]!.code],
    subtotal: "100.00",
    updatedAt: "2026-11-05T10:00:00Z",
    processedAt: "2026-11-05T10:00:00Z",
  });
  const { orderId } = await ingest(shop, payload);
  return { shop, maya, leo, payload, orderId };
}

describe("overrideAttribution", () => {
  it("moves the credit and the ledger to the chosen creator, audited, and enqueues the periods' settlement", async () => {
    const { shop, maya, leo, orderId } = await setup();
    // Tiers are settled per pay period: crediting Leo changes his November.
    await createTestContract(
      shop.id,
      leo.id,
      "TIERED",
      {
        metric: "REVENUE",
        mode: "MARGINAL",
        tiers: [
          { from: 0n, percent: "10.00" },
          { from: 1_000_000n, percent: "20.00" },
        ],
      },
      new Date("2020-02-01T00:00:00Z"),
    );
    expect(await attributionOf(orderId)).toMatchObject({ creatorId: maya.id, method: "DISCOUNT_CODE" });
    expect(await netFor(orderId, maya.id)).toBe(1000n);

    const result = await overrideAttribution(
      shop,
      orderId,
      { creatorId: leo.id, reason: "  Leo's video drove it  " },
      ACTOR,
      options,
    );
    if (!result?.ok) throw new Error(`expected the override to be saved: ${JSON.stringify(result)}`);
    expect(result.attribution).toMatchObject({ creatorId: leo.id, method: "MANUAL_OVERRIDE", overridden: true });

    const attribution = await attributionOf(orderId);
    expect(attribution).toMatchObject({
      creatorId: leo.id,
      method: "MANUAL_OVERRIDE",
      overridden: true,
      overrideCreatorId: leo.id,
      overrideReason: "Leo's video drove it",
      reviewStatus: "NOT_NEEDED",
    });
    // What the signals said stays as evidence beneath the override.
    const evidence = attribution.evidence as { signal: string; decisive: boolean; creatorId: string | null }[];
    expect(evidence[0]).toMatchObject({ signal: "override", decisive: true, creatorId: leo.id });
    expect(
      evidence.some((entry) => entry.signal === "discount_code" && entry.creatorId === maya.id && !entry.decisive),
    ).toBe(true);

    // A reversal for Maya, a new entry for Leo; nothing edited.
    expect(await ledgerOf(orderId)).toEqual(
      (
        [
          [maya.id, "COMMISSION", 1000n],
          [maya.id, "REVERSAL", -1000n],
          [leo.id, "COMMISSION", 1000n],
        ] as [string, string, bigint][]
      ).sort(byText),
    );

    expect(await auditsOf(orderId)).toEqual([
      expect.objectContaining({
        shopId: shop.id,
        action: "OVERRIDE_SET",
        fromCreatorId: maya.id,
        toCreatorId: leo.id,
        reason: "Leo's video drove it",
        actor: ACTOR,
      }),
    ]);

    expect(result.changedPeriods).toEqual([
      { shopId: shop.id, creatorId: leo.id, periodKey: "2026-11", changeVersion: expect.any(Number) },
    ]);
    expect((await queue.getJob(settleJobId(result.changedPeriods[0]!)))?.data).toEqual(result.changedPeriods[0]);
  });

  it("survives a newer version of the order from Shopify, and the ledger follows the new amount for the chosen creator", async () => {
    const { shop, maya, leo, payload, orderId } = await setup();
    await overrideAttribution(shop, orderId, { creatorId: leo.id, reason: "Leo's video drove it" }, ACTOR, options);

    // The same order, edited in Shopify: a newer updated_at and a larger subtotal.
    const edited = sampleOrder({
      id: payload.id,
      codes: [maya.discountCodes[0]!.code],
      subtotal: "120.00",
      processedAt: payload.processed_at,
      updatedAt: "2026-11-06T10:00:00Z",
    });
    const reingested = await ingest(shop, edited);
    expect(reingested).toMatchObject({ orderId, stored: true });
    expect(reingested.verdict).toMatchObject({ creatorId: leo.id, method: "MANUAL_OVERRIDE" });
    expect(await attributionOf(orderId)).toMatchObject({
      creatorId: leo.id,
      overridden: true,
      overrideCreatorId: leo.id,
    });
    expect(await netFor(orderId, leo.id)).toBe(1200n);
    expect(await netFor(orderId, maya.id)).toBe(0n);
    expect(await auditsOf(orderId)).toHaveLength(1);
  });

  it("credits nobody when the merchant chooses Nobody", async () => {
    const { shop, maya, orderId } = await setup();
    const result = await overrideAttribution(
      shop,
      orderId,
      { creatorId: null, reason: "Internal test order" },
      ACTOR,
      options,
    );
    expect(result).toMatchObject({ ok: true, attribution: { creatorId: null, method: "MANUAL_OVERRIDE" } });
    expect(await attributionOf(orderId)).toMatchObject({ creatorId: null, overridden: true, overrideCreatorId: null });
    expect(await netFor(orderId, maya.id)).toBe(0n);
    expect(await auditsOf(orderId)).toEqual([expect.objectContaining({ fromCreatorId: maya.id, toCreatorId: null })]);
  });

  it("refuses a reason that is too short or too long, or a creator that is not the shop's, and writes nothing", async () => {
    const { shop, maya, orderId } = await setup();
    const otherShop = await createTestShop();
    const stranger = await createTestCreator(otherShop.id);
    const before = await attributionOf(orderId);

    expect(await overrideAttribution(shop, orderId, { creatorId: maya.id, reason: " ab " }, ACTOR, options)).toEqual({
      ok: false,
      fieldErrors: { reason: expect.stringMatching(/at least 3 characters/) },
    });
    expect(
      await overrideAttribution(shop, orderId, { creatorId: maya.id, reason: "x".repeat(501) }, ACTOR, options),
    ).toEqual({
      ok: false,
      fieldErrors: { reason: expect.stringMatching(/500 characters or fewer/) },
    });
    expect(
      await overrideAttribution(shop, orderId, { creatorId: "not-a-creator", reason: "Because" }, ACTOR, options),
    ).toEqual({
      ok: false,
      fieldErrors: { creatorId: "Choose one of your creators, or Nobody" },
    });
    expect(
      await overrideAttribution(shop, orderId, { creatorId: stranger.id, reason: "Because" }, ACTOR, options),
    ).toEqual({
      ok: false,
      fieldErrors: { creatorId: "Choose one of your creators, or Nobody" },
    });

    expect(await attributionOf(orderId)).toEqual(before);
    expect(await auditsOf(orderId)).toEqual([]);
    expect(await netFor(orderId, maya.id)).toBe(1000n);
  });
});

describe("clearOverride", () => {
  it("restores the computed verdict and its ledger, audited", async () => {
    const { shop, maya, leo, orderId } = await setup();
    await overrideAttribution(shop, orderId, { creatorId: leo.id, reason: "Leo's video drove it" }, ACTOR, options);

    const result = await clearOverride(shop, orderId, { reason: "Maya's code was right after all" }, "staff", options);
    expect(result).toMatchObject({
      ok: true,
      attribution: { creatorId: maya.id, method: "DISCOUNT_CODE", overridden: false },
    });
    expect(await attributionOf(orderId)).toMatchObject({
      creatorId: maya.id,
      method: "DISCOUNT_CODE",
      overridden: false,
      overrideCreatorId: null,
      overrideReason: null,
    });
    expect(await netFor(orderId, maya.id)).toBe(1000n);
    expect(await netFor(orderId, leo.id)).toBe(0n);
    expect(
      (await auditsOf(orderId)).map((audit) => [audit.action, audit.fromCreatorId, audit.toCreatorId, audit.actor]),
    ).toEqual([
      ["OVERRIDE_SET", maya.id, leo.id, ACTOR],
      ["OVERRIDE_CLEARED", leo.id, maya.id, "staff"],
    ]);
  });

  it("says so when the order has no override, and requires a reason", async () => {
    const { shop, orderId } = await setup();
    expect(await clearOverride(shop, orderId, { reason: "Tidying up" }, ACTOR, options)).toEqual({
      ok: false,
      formError: "This order has no override to remove.",
    });
    expect(await clearOverride(shop, orderId, { reason: "" }, ACTOR, options)).toMatchObject({
      ok: false,
      fieldErrors: { reason: expect.any(String) },
    });
    expect(await auditsOf(orderId)).toEqual([]);
  });
});

describe("review of a flagged order", () => {
  async function selfReferral() {
    const shop = await createTestShop();
    const customerId = 880_000_000 + Math.floor(Math.random() * 1_000_000);
    const creator = await createTestCreator(shop.id, {
      name: "Maya Fit",
      customerGid: `gid://shopify/Customer/${customerId}`,
    });
    const payload = sampleOrder({
      codes: [creator.discountCodes[0]!.code],
      subtotal: "100.00",
      customerId,
      updatedAt: "2026-11-05T10:00:00Z",
      processedAt: "2026-11-05T10:00:00Z",
    });
    const { orderId } = await ingest(shop, payload);
    return { shop, creator, payload, orderId };
  }

  it("holds a self-referral's commission until approved, then pays the creator", async () => {
    const { shop, creator, orderId } = await selfReferral();
    expect(await attributionOf(orderId)).toMatchObject({
      creatorId: creator.id,
      reviewStatus: "PENDING",
      flags: ["SELF_REFERRAL"],
    });
    expect(await netFor(orderId, creator.id)).toBe(0n);

    const result = await approveReview(shop, orderId, {}, ACTOR, { ...options, now: new Date("2026-11-07T09:00:00Z") });
    expect(result).toMatchObject({ ok: true, attribution: { creatorId: creator.id, reviewStatus: "APPROVED" } });
    expect(await attributionOf(orderId)).toMatchObject({
      reviewStatus: "APPROVED",
      reviewedAt: new Date("2026-11-07T09:00:00Z"),
    });
    expect(await netFor(orderId, creator.id)).toBe(1000n);
    expect(await auditsOf(orderId)).toEqual([
      expect.objectContaining({
        action: "REVIEW_APPROVED",
        fromCreatorId: creator.id,
        toCreatorId: creator.id,
        reason: "",
        actor: ACTOR,
      }),
    ]);

    // Decided once: approving again (or rejecting now) is refused, and nothing changes.
    expect(await approveReview(shop, orderId, { reason: "again" }, ACTOR, options)).toEqual({
      ok: false,
      formError: "This order cannot be approved: it was already approved.",
    });
    expect(await rejectReview(shop, orderId, { reason: "Changed my mind" }, ACTOR, options)).toEqual({
      ok: false,
      formError: "This order cannot be rejected: it was already approved.",
    });
    expect(await auditsOf(orderId)).toHaveLength(1);
    expect(await netFor(orderId, creator.id)).toBe(1000n);
  });

  it("pays nobody once rejected, and a newer version of the order keeps the rejection", async () => {
    const { shop, creator, payload, orderId } = await selfReferral();
    expect(await rejectReview(shop, orderId, { reason: "" }, ACTOR, options)).toMatchObject({
      ok: false,
      fieldErrors: { reason: expect.any(String) },
    });

    const result = await rejectReview(shop, orderId, { reason: "Creator bought for themselves" }, ACTOR, options);
    expect(result).toMatchObject({ ok: true, attribution: { creatorId: creator.id, reviewStatus: "REJECTED" } });
    expect(await netFor(orderId, creator.id)).toBe(0n);

    await ingest(shop, { ...payload, updated_at: "2026-11-06T10:00:00Z" });
    expect(await attributionOf(orderId)).toMatchObject({ creatorId: creator.id, reviewStatus: "REJECTED" });
    expect(await netFor(orderId, creator.id)).toBe(0n);
    expect((await auditsOf(orderId)).map((audit) => audit.action)).toEqual(["REVIEW_REJECTED"]);
  });

  it("refuses to approve an order that needs no review", async () => {
    const { shop, orderId } = await setup();
    expect(await approveReview(shop, orderId, {}, ACTOR, options)).toEqual({
      ok: false,
      formError: "This order cannot be approved: it needs no review.",
    });
    expect(await attributionOf(orderId)).toMatchObject({ reviewStatus: "NOT_NEEDED", reviewedAt: null });
    expect(await auditsOf(orderId)).toEqual([]);
  });
});

describe("tenant isolation", () => {
  it("another shop can neither read nor change this shop's order", async () => {
    const { shop, maya, leo, orderId } = await setup();
    const otherShop = await createTestShop();

    expect(
      await overrideAttribution(otherShop, orderId, { creatorId: null, reason: "Not mine" }, ACTOR, options),
    ).toBeNull();
    expect(await clearOverride(otherShop, orderId, { reason: "Not mine" }, ACTOR, options)).toBeNull();
    expect(await approveReview(otherShop, orderId, {}, ACTOR, options)).toBeNull();
    expect(await rejectReview(otherShop, orderId, { reason: "Not mine" }, ACTOR, options)).toBeNull();
    expect(await getOrderDetail(otherShop.id, orderId, "UTC")).toBeNull();
    expect((await listOrders(otherShop.id, "UTC", parseOrderListQuery(new URLSearchParams()))).orders).toEqual([]);

    expect(
      await overrideAttribution(shop, "not-a-uuid", { creatorId: leo.id, reason: "Typo" }, ACTOR, options),
    ).toBeNull();
    expect(await getOrderDetail(shop.id, crypto.randomUUID(), "UTC")).toBeNull();

    expect(await attributionOf(orderId)).toMatchObject({ creatorId: maya.id, overridden: false });
    expect(await auditsOf(orderId)).toEqual([]);
  });
});

describe("staffActor", () => {
  it("names the staff member by email, then user id, then the session token's sub", () => {
    expect(staffActor({ session: { onlineAccessInfo: { associated_user: { id: 42, email: "sam@shop.com" } } } })).toBe(
      "sam@shop.com",
    );
    expect(
      staffActor({ session: { onlineAccessInfo: { associated_user: { id: 42 } } }, sessionToken: { sub: "7" } }),
    ).toBe("42");
    expect(staffActor({ session: {}, sessionToken: { sub: "7" } })).toBe("7");
    expect(staffActor({ session: {} })).toBe("staff");
  });
});

describe("the orders list and an order's page", () => {
  it("lists the shop's orders newest first, filters them, and pages through them with cursors", async () => {
    const shop = await createTestShop({ timezone: "America/New_York" });
    const maya = await createTestCreator(shop.id, { name: "Maya Fit" });
    const start = Date.parse("2026-10-01T12:00:00Z");
    const names: string[] = [];
    for (let i = 0; i < ORDERS_PAGE_SIZE + 2; i++) {
      const at = new Date(start + i * 3_600_000).toISOString();
      const payload = sampleOrder({
        codes: i % 2 === 1 ? [maya.discountCodes[0]!.code] : [],
        processedAt: at,
        updatedAt: at,
      });
      await ingest(shop, payload);
      names.push(payload.name);
    }
    const newestFirst = [...names].reverse();
    const query = (params: Record<string, string>) => parseOrderListQuery(new URLSearchParams(params));

    const first = await listOrders(shop.id, shop.timezone, query({}));
    expect(first.orders.map((order) => order.name)).toEqual(newestFirst.slice(0, ORDERS_PAGE_SIZE));
    expect(first.previousCursor).toBeNull();
    expect(first.nextCursor).not.toBeNull();
    expect(first.orders[0]).toMatchObject({
      netMerchandise: "$100.00",
      creator: { id: maya.id, name: "Maya Fit" },
      method: "DISCOUNT_CODE",
      reviewStatus: "NOT_NEEDED",
      overridden: false,
      // 2026-10-03T15:00Z in New York.
      processedAt: "Oct 3, 2026, 11:00 AM",
    });

    const second = await listOrders(shop.id, shop.timezone, query({ after: first.nextCursor! }));
    expect(second.orders.map((order) => order.name)).toEqual(newestFirst.slice(ORDERS_PAGE_SIZE));
    expect(second.nextCursor).toBeNull();
    const back = await listOrders(shop.id, shop.timezone, query({ before: second.previousCursor! }));
    expect(back.orders.map((order) => order.name)).toEqual(newestFirst.slice(0, ORDERS_PAGE_SIZE));
    expect(back.previousCursor).toBeNull();

    const credited = await listOrders(shop.id, shop.timezone, query({ creator: maya.id }));
    expect(credited.orders).toHaveLength(names.length / 2);
    const nobody = await listOrders(shop.id, shop.timezone, query({ creator: "none", method: "none" }));
    expect(nobody.orders).toHaveLength(names.length / 2);
    expect((await listOrders(shop.id, shop.timezone, query({ review: "needs-review" }))).orders).toEqual([]);
    const searched = await listOrders(shop.id, shop.timezone, query({ q: names[3]!.slice(1) }));
    expect(searched.orders.map((order) => order.name)).toContain(names[3]);
    // Nonsense in the URL lists everything rather than failing.
    expect(
      (await listOrders(shop.id, shop.timezone, query({ creator: "x", method: "y", after: "zzz" }))).orders,
    ).toHaveLength(ORDERS_PAGE_SIZE);
  });

  it("shows an order's facts, verdict with named evidence, ledger and audit trail", async () => {
    const { shop, maya, leo, orderId } = await setup();
    await overrideAttribution(shop, orderId, { creatorId: leo.id, reason: "Leo's video drove it" }, ACTOR, options);
    const detail = await getOrderDetail(shop.id, orderId, "UTC");
    expect(detail).toMatchObject({
      id: orderId,
      netMerchandise: "$100.00",
      processedAt: "Nov 5, 2026, 10:00 AM",
      facts: { discountCodes: [maya.discountCodes[0]!.code], survey: null },
      attribution: {
        creator: { id: leo.id, name: "Leo Runs" },
        method: "MANUAL_OVERRIDE",
        override: { creator: { id: leo.id, name: "Leo Runs" }, reason: "Leo's video drove it" },
      },
    });
    expect(detail!.attribution!.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ signal: "discount_code", creatorName: "Maya Fit", decisive: false }),
      ]),
    );
    // Posting order: Maya's commission first; the override's reversal and Leo's entry after it, in either order.
    const ledger = detail!.ledger.map((entry) => [entry.creatorName, entry.kind, entry.amount, entry.status]);
    expect(ledger[0]).toEqual(["Maya Fit", "COMMISSION", "$10.00", "PENDING"]);
    expect(ledger.slice(1).sort(byText)).toEqual([
      ["Leo Runs", "COMMISSION", "$10.00", "PENDING"],
      ["Maya Fit", "REVERSAL", "-$10.00", "PENDING"],
    ]);
    expect(detail!.audits).toEqual([
      expect.objectContaining({
        action: "OVERRIDE_SET",
        from: "Maya Fit",
        to: "Leo Runs",
        reason: "Leo's video drove it",
        actor: ACTOR,
      }),
    ]);
  });
});

describe("attribution rules", () => {
  it("saves valid rules and refuses an invalid window without saving anything", async () => {
    const shop = await createTestShop();
    const initial = await getAttributionRules(shop.id);
    expect(initial.rules.windowDays).toBe(30);

    const form = { ...initial.formValues, windowDays: "0" };
    expect(await saveAttributionRules(shop.id, form)).toEqual({
      ok: false,
      fieldErrors: { windowDays: expect.any(String) },
    });
    expect((await getAttributionRules(shop.id)).rules).toEqual(initial.rules);

    const saved = await saveAttributionRules(shop.id, {
      ...initial.formValues,
      windowDays: "14",
      precedence: "tracking_link,discount_code",
      customerLockEnabled: "true",
      customerLockDays: "",
      excludedCodes: "welcome10\nWELCOME 10, summer",
    });
    expect(saved.ok).toBe(true);
    const reloaded = await getAttributionRules(shop.id);
    expect(reloaded.rules).toMatchObject({
      windowDays: 14,
      precedence: ["tracking_link", "discount_code"],
      customerLock: { enabled: true, days: null },
      excludedCodes: ["WELCOME10", "SUMMER"],
    });
    expect(reloaded.formValues.precedence).toBe("tracking_link,discount_code");
  });
});
