import { randomUUID } from "node:crypto";
import type { LedgerEntryKind, Shop } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { ledgerBalances } from "~/domain/ledger/entry-status";
import { recordPayout } from "~/services/record-payout.server";
import { createTestCreator, createTestShop } from "../../test/helpers/factories";
import {
  LEDGER_PAGE_SIZE,
  creatorBalances,
  creatorLedger,
  getCreatorPayoutProfile,
  listPayouts,
  orderAdminUrl,
  parseLedgerQuery,
  postAdjustment,
  unexportedPayPalPayouts,
  updatePayoutSettings,
} from "./ledger.server";

const NOW = new Date("2026-11-23T12:00:00Z");
const DAY = 86_400_000;
const daysFromNow = (days: number) => new Date(NOW.getTime() + days * DAY);

type Creator = Awaited<ReturnType<typeof createTestCreator>>;

async function postEntry(
  shop: Shop,
  creator: Creator,
  amountMinor: bigint,
  availableAt: Date,
  options: { kind?: LedgerEntryKind; orderId?: string; createdAt?: Date } = {},
) {
  return prisma.ledgerEntry.create({
    data: {
      shopId: shop.id,
      creatorId: creator.id,
      orderId: options.orderId ?? null,
      kind: options.kind ?? "COMMISSION",
      sourceKey: `test:${randomUUID()}`,
      periodKey: "2026-11",
      availableAt,
      amountMinor,
      currencyCode: shop.currencyCode,
      idempotencyKey: randomUUID(),
      reason: `Entry of ${amountMinor}`,
      ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    },
  });
}

async function createOrder(shop: Shop, name: string) {
  return prisma.order.create({
    data: {
      shopId: shop.id,
      shopifyOrderGid: `gid://shopify/Order/${Math.floor(Math.random() * 1e12)}`,
      name,
      currencyCode: shop.currencyCode,
      presentmentCurrency: shop.currencyCode,
      discountCodes: [],
      subtotalMinor: 10_000n,
      totalTaxMinor: 0n,
      shippingMinor: 0n,
      netMerchandiseMinor: 10_000n,
      processedAt: daysFromNow(-31),
      shopifyUpdatedAt: daysFromNow(-31),
    },
  });
}

const payPal = { method: "PAYPAL" as const, reference: "PP-1", note: null, fxRate: null };

describe("balances and statuses over time", () => {
  it("moves entries from pending to approved as holds end, and to paid once a payout settles them", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    await postEntry(shop, creator, 3_000n, daysFromNow(-2));
    await postEntry(shop, creator, 4_000n, daysFromNow(5));
    await postEntry(shop, creator, -1_000n, daysFromNow(10), { kind: "REVERSAL" });

    expect(await creatorBalances(shop.id, creator.id, NOW)).toEqual({
      pendingMinor: 3_000n,
      approvedMinor: 3_000n,
      paidMinor: 0n,
      totalMinor: 6_000n,
    });
    expect(await creatorBalances(shop.id, creator.id, daysFromNow(5))).toEqual({
      pendingMinor: -1_000n,
      approvedMinor: 7_000n,
      paidMinor: 0n,
      totalMinor: 6_000n,
    });

    expect(await recordPayout(shop.id, creator.id, { ...payPal, paidAt: NOW }, daysFromNow(5))).toMatchObject({ ok: true, amountMinor: 7_000n });
    expect(await creatorBalances(shop.id, creator.id, daysFromNow(5))).toEqual({
      pendingMinor: -1_000n,
      approvedMinor: 0n,
      paidMinor: 7_000n,
      totalMinor: 6_000n,
    });
    expect(await creatorBalances(shop.id, creator.id, daysFromNow(30))).toEqual({
      pendingMinor: 0n,
      approvedMinor: -1_000n,
      paidMinor: 7_000n,
      totalMinor: 6_000n,
    });
  });

  it("the database's sums agree with the domain's rule over the same entries, at any moment", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const amounts = [1_234n, -99n, 50_000n, 7n, -3_000n, 812n, 45n, -45n];
    for (const [index, amount] of amounts.entries()) await postEntry(shop, creator, amount, daysFromNow(index * 3 - 10));
    await recordPayout(shop.id, creator.id, { ...payPal, paidAt: NOW }, daysFromNow(-4));

    const rows = await prisma.ledgerEntry.findMany({ where: { creatorId: creator.id }, include: { payoutItem: true } });
    const facts = rows.map((row) => ({ amountMinor: row.amountMinor, availableAt: row.availableAt, paid: row.payoutItem !== null }));
    for (const days of [-20, -10, -4, -1, 0, 1, 5, 8, 30]) {
      expect(await creatorBalances(shop.id, creator.id, daysFromNow(days))).toEqual(ledgerBalances(facts, daysFromNow(days)));
    }
  });
});

describe("creatorLedger", () => {
  it("lists entries newest first with status, order, and the payout that paid them", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const order = await createOrder(shop, "#1042");
    const paid = await postEntry(shop, creator, 2_000n, daysFromNow(-30), { orderId: order.id, createdAt: daysFromNow(-31) });
    const payout = await recordPayout(shop.id, creator.id, { ...payPal, paidAt: daysFromNow(-20) }, daysFromNow(-20));
    const approved = await postEntry(shop, creator, -500n, daysFromNow(-1), { kind: "REVERSAL", orderId: order.id, createdAt: daysFromNow(-1) });
    const pending = await postEntry(shop, creator, 900n, daysFromNow(29), { createdAt: daysFromNow(-0.5) });

    const ledger = await creatorLedger(shop.id, creator.id, { page: 1, status: null }, NOW);
    expect(ledger).toMatchObject({ page: 1, hasPrevious: false, hasNext: false });
    expect(ledger.entries.map((entry) => [entry.id, entry.status])).toEqual([
      [pending.id, "PENDING"],
      [approved.id, "APPROVED"],
      [paid.id, "PAID"],
    ]);
    const [, reversal, commission] = ledger.entries;
    expect(reversal).toMatchObject({ kind: "REVERSAL", amountMinor: -500n, payout: null, order: { name: "#1042" } });
    expect(commission?.order?.adminUrl).toBe(orderAdminUrl(order.shopifyOrderGid));
    expect(commission?.payout).toMatchObject({ id: payout?.ok ? payout.payoutId : "", reference: "PP-1", method: "PAYPAL" });

    for (const [status, id] of [["PENDING", pending.id], ["APPROVED", approved.id], ["PAID", paid.id]] as const) {
      const filtered = await creatorLedger(shop.id, creator.id, { page: 1, status }, NOW);
      expect(filtered.entries.map((entry) => entry.id)).toEqual([id]);
    }
  });

  it("pages through long ledgers", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    await prisma.ledgerEntry.createMany({
      data: Array.from({ length: LEDGER_PAGE_SIZE + 3 }, (_, index) => ({
        shopId: shop.id,
        creatorId: creator.id,
        kind: "COMMISSION" as const,
        sourceKey: `test:${index}`,
        availableAt: NOW,
        amountMinor: BigInt(index + 1),
        currencyCode: "USD",
        idempotencyKey: `page-${index}`,
        reason: `Entry ${index}`,
        createdAt: new Date(NOW.getTime() - index * 1000),
      })),
    });
    const first = await creatorLedger(shop.id, creator.id, { page: 1, status: null }, NOW);
    const second = await creatorLedger(shop.id, creator.id, { page: 2, status: null }, NOW);
    expect(first).toMatchObject({ hasPrevious: false, hasNext: true });
    expect(first.entries).toHaveLength(LEDGER_PAGE_SIZE);
    expect(first.entries[0]?.reason).toBe("Entry 0");
    expect(second).toMatchObject({ hasPrevious: true, hasNext: false });
    expect(second.entries.map((entry) => entry.reason)).toEqual(["Entry 50", "Entry 51", "Entry 52"]);
  });

  it("reads the page and status from the URL leniently", () => {
    expect(parseLedgerQuery(new URLSearchParams("page=3&status=paid"))).toEqual({ page: 3, status: "PAID" });
    expect(parseLedgerQuery(new URLSearchParams("page=-1&status=bogus"))).toEqual({ page: 1, status: null });
    expect(parseLedgerQuery(new URLSearchParams(""))).toEqual({ page: 1, status: null });
  });
});

describe("postAdjustment", () => {
  it("posts a signed ADJUSTMENT payable at once, with no pay period for the period job to reverse", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const bonus = await postAdjustment(shop.id, creator.id, { amount: "25.50", reason: "  Extra story  ", formToken: randomUUID() }, NOW);
    const deduction = await postAdjustment(shop.id, creator.id, { amount: "-5", reason: "Sample not returned", formToken: randomUUID() }, NOW);
    expect(bonus).toMatchObject({ ok: true, amountMinor: 2_550n, duplicate: false });
    expect(deduction).toMatchObject({ ok: true, amountMinor: -500n });

    const entry = await prisma.ledgerEntry.findUniqueOrThrow({ where: { id: bonus?.ok ? bonus.entryId : "" } });
    expect(entry).toMatchObject({
      kind: "ADJUSTMENT",
      reason: "Extra story",
      availableAt: NOW,
      periodKey: null,
      orderId: null,
      currencyCode: "USD",
    });
    expect(entry.sourceKey).toMatch(/^adjustment:[0-9a-f-]{36}$/);
    expect(await creatorBalances(shop.id, creator.id, NOW)).toMatchObject({ approvedMinor: 2_050n, totalMinor: 2_050n });
  });

  it("posts once per form token, even when the form is submitted twice at the same moment", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const formToken = randomUUID();
    const submit = () => postAdjustment(shop.id, creator.id, { amount: "10.00", reason: "Double click", formToken }, NOW);
    const results = await Promise.all([submit(), submit(), submit()]);
    expect(new Set(results.map((result) => (result?.ok ? result.entryId : null))).size).toBe(1);
    expect(results.filter((result) => result?.ok && result.duplicate)).toHaveLength(2);
    expect(await submit()).toMatchObject({ ok: true, duplicate: true });
    expect(await prisma.ledgerEntry.count({ where: { creatorId: creator.id, kind: "ADJUSTMENT" } })).toBe(1);

    await postAdjustment(shop.id, creator.id, { amount: "10.00", reason: "Another one", formToken: randomUUID() }, NOW);
    expect(await prisma.ledgerEntry.count({ where: { creatorId: creator.id, kind: "ADJUSTMENT" } })).toBe(2);
  });

  it("answers per field, in the shop's currency", async () => {
    const shop = await createTestShop({ currencyCode: "JPY" });
    const creator = await createTestCreator(shop.id);
    const attempt = (fields: Record<string, string>) =>
      postAdjustment(shop.id, creator.id, { amount: "100", reason: "Why", formToken: randomUUID(), ...fields }, NOW);
    expect(await attempt({ amount: "100.5" })).toEqual({ ok: false, fieldErrors: { amount: "JPY amounts have no decimals" } });
    expect(await attempt({ amount: "0" })).toEqual({ ok: false, fieldErrors: { amount: "Enter an amount other than 0" } });
    expect(await attempt({ amount: "1,000" })).toMatchObject({ ok: false, fieldErrors: { amount: expect.stringMatching(/Enter an amount like/) } });
    expect(await attempt({ amount: "", reason: " " })).toEqual({
      ok: false,
      fieldErrors: { amount: "Enter an amount", reason: expect.stringMatching(/Say why/) },
    });
    expect(await attempt({ reason: "x".repeat(501) })).toMatchObject({ ok: false, fieldErrors: { reason: expect.stringMatching(/500/) } });
    expect(await attempt({ formToken: "reused" })).toMatchObject({ ok: false, fieldErrors: { formToken: expect.stringMatching(/expired/) } });
    expect(await attempt({ amount: "+1500" })).toMatchObject({ ok: true, amountMinor: 1_500n });
  });

  it("does not reach another shop's creator", async () => {
    const shopA = await createTestShop();
    const shopB = await createTestShop();
    const creator = await createTestCreator(shopA.id);
    expect(await postAdjustment(shopB.id, creator.id, { amount: "10", reason: "Nope", formToken: randomUUID() }, NOW)).toBeNull();
    expect(await prisma.ledgerEntry.count({ where: { creatorId: creator.id } })).toBe(0);
  });
});

describe("payout settings", () => {
  it("stores the payout currency and PayPal email, the shop's own currency as null", async () => {
    const shop = await createTestShop({ currencyCode: "USD" });
    const creator = await createTestCreator(shop.id);
    expect(await updatePayoutSettings(shop.id, creator.id, { payoutCurrency: "eur", paypalEmail: " Ada@Example.com " })).toEqual({ ok: true });
    expect(await getCreatorPayoutProfile(shop.id, creator.id)).toMatchObject({
      payoutCurrency: "EUR",
      paypalEmail: "ada@example.com",
      shopCurrency: "USD",
      effectivePayoutCurrency: "EUR",
    });
    await updatePayoutSettings(shop.id, creator.id, { payoutCurrency: "USD", paypalEmail: "" });
    expect(await getCreatorPayoutProfile(shop.id, creator.id)).toMatchObject({ payoutCurrency: null, paypalEmail: null, effectivePayoutCurrency: "USD" });
  });

  it("answers per field and keeps to the shop", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const creator = await createTestCreator(shop.id);
    expect(await updatePayoutSettings(shop.id, creator.id, { payoutCurrency: "XYZ1", paypalEmail: "not-an-email" })).toEqual({
      ok: false,
      fieldErrors: { payoutCurrency: "Choose a currency from the list", paypalEmail: expect.stringMatching(/PayPal account/) },
    });
    expect(await updatePayoutSettings(other.id, creator.id, { payoutCurrency: "EUR", paypalEmail: "" })).toBeNull();
    expect(await getCreatorPayoutProfile(other.id, creator.id)).toBeNull();
  });
});

describe("payouts across creators", () => {
  it("lists the shop's payouts, newest first, and groups PayPal ones not yet exported by currency", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const ada = await createTestCreator(shop.id, { name: "Ada" });
    const bob = await createTestCreator(shop.id, { name: "Bob" });
    const stranger = await createTestCreator(other.id);
    await prisma.creator.update({ where: { id: bob.id }, data: { payoutCurrency: "EUR", paypalEmail: "bob@example.com" } });
    for (const creator of [ada, bob]) await postEntry(shop, creator, 10_000n, daysFromNow(-1));
    await postEntry(other, stranger, 10_000n, daysFromNow(-1));
    await recordPayout(shop.id, ada.id, { ...payPal, paidAt: daysFromNow(-1) }, NOW);
    await recordPayout(shop.id, bob.id, { ...payPal, fxRate: "0.9", paidAt: NOW }, NOW);
    await recordPayout(other.id, stranger.id, { ...payPal, paidAt: NOW }, NOW);

    const { payouts } = await listPayouts(shop.id, { page: 1 });
    expect(payouts.map((payout) => [payout.creatorName, payout.payoutCurrency, payout.payoutAmountMinor, payout.creatorHasPaypalEmail])).toEqual([
      ["Bob", "EUR", 9_000n, true],
      ["Ada", "USD", 10_000n, false],
    ]);
    expect(payouts[0]).toMatchObject({ fxRate: "0.9", entryCount: 1, exportedAt: null });
    expect(await unexportedPayPalPayouts(shop.id)).toEqual([
      { currencyCode: "EUR", payoutIds: [payouts[0]!.id], totalMinor: 9_000n, creatorsWithoutPaypalEmail: [] },
      { currencyCode: "USD", payoutIds: [payouts[1]!.id], totalMinor: 10_000n, creatorsWithoutPaypalEmail: [{ id: ada.id, name: "Ada" }] },
    ]);
  });
});
