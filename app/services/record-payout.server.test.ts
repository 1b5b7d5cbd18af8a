import { randomUUID } from "node:crypto";
import type { LedgerEntryKind, Shop } from "@prisma/client";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { paypalCustomerId } from "~/domain/ledger/paypal-payout-rows";
import { creatorBalances, creatorLedger } from "~/models/ledger.server";
import { eraseShop } from "~/services/compliance.server";
import { createTestCreator, createTestShop } from "../../test/helpers/factories";
import {
  markPayoutsExported,
  parsePayoutForm,
  payoutsCsv,
  recordPayout,
  type RecordPayoutInput,
} from "./record-payout.server";

const NOW = new Date("2026-11-23T12:00:00Z");
const DAY = 86_400_000;
const daysFromNow = (days: number) => new Date(NOW.getTime() + days * DAY);

type Creator = Awaited<ReturnType<typeof createTestCreator>>;

async function postEntry(
  shop: Shop,
  creator: Creator,
  amountMinor: bigint,
  availableAt: Date,
  kind: LedgerEntryKind = "COMMISSION",
) {
  return prisma.ledgerEntry.create({
    data: {
      shopId: shop.id,
      creatorId: creator.id,
      kind,
      sourceKey: `test:${randomUUID()}`,
      periodKey: "2026-11",
      availableAt,
      amountMinor,
      currencyCode: shop.currencyCode,
      idempotencyKey: randomUUID(),
      reason: `${kind} of ${amountMinor}`,
    },
  });
}

const byPayPal = (overrides: Partial<RecordPayoutInput> = {}): RecordPayoutInput => ({
  method: "PAYPAL",
  reference: null,
  note: null,
  fxRate: null,
  paidAt: NOW,
  ...overrides,
});

async function paidEntryIds(payoutId: string): Promise<string[]> {
  const items = await prisma.payoutItem.findMany({ where: { payoutId }, select: { ledgerEntryId: true } });
  return items.map((item) => item.ledgerEntryId).sort();
}

describe("recordPayout", () => {
  it("pays exactly the approved, unpaid entries, and then finds nothing payable", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const approved = await postEntry(shop, creator, 5_000n, daysFromNow(-10));
    const approvedJustNow = await postEntry(shop, creator, 1_500n, NOW);
    const reversal = await postEntry(shop, creator, -500n, daysFromNow(-1), "REVERSAL");
    await postEntry(shop, creator, 9_000n, daysFromNow(1)); // still in its hold

    const result = await recordPayout(shop.id, creator.id, byPayPal({ reference: "batch-1" }), NOW);
    expect(result).toMatchObject({
      ok: true,
      amountMinor: 6_000n,
      currencyCode: "USD",
      payoutAmountMinor: 6_000n,
      payoutCurrency: "USD",
      fxRate: "1",
      entryCount: 3,
    });
    const payoutId = result?.ok ? result.payoutId : "";
    expect(await paidEntryIds(payoutId)).toEqual([approved.id, approvedJustNow.id, reversal.id].sort());
    const payout = await prisma.payout.findUniqueOrThrow({ where: { id: payoutId } });
    expect(payout).toMatchObject({ shopId: shop.id, creatorId: creator.id, method: "PAYPAL", reference: "batch-1", paidAt: NOW });
    expect(payout.fxRate.toFixed()).toBe("1");

    expect(await creatorBalances(shop.id, creator.id, NOW)).toEqual({
      pendingMinor: 9_000n,
      approvedMinor: 0n,
      paidMinor: 6_000n,
      totalMinor: 15_000n,
    });
    expect(await recordPayout(shop.id, creator.id, byPayPal(), NOW)).toMatchObject({ ok: false, error: "NOTHING_PAYABLE" });

    // Once the held entry's return window closes, it alone is payable.
    const later = await recordPayout(shop.id, creator.id, byPayPal(), daysFromNow(2));
    expect(later).toMatchObject({ ok: true, amountMinor: 9_000n, entryCount: 1 });
  });

  it("never pays an entry twice when two payouts are recorded at once", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    for (let i = 0; i < 20; i++) await postEntry(shop, creator, 1_000n + BigInt(i), daysFromNow(-1));

    const results = await Promise.all(
      Array.from({ length: 4 }, () => recordPayout(shop.id, creator.id, byPayPal(), NOW)),
    );
    const succeeded = results.filter((result) => result?.ok);
    expect(succeeded).toHaveLength(1);
    expect(results.filter((result) => result?.ok === false && result.error === "NOTHING_PAYABLE")).toHaveLength(3);
    expect(succeeded[0]).toMatchObject({ amountMinor: 20_190n, entryCount: 20 });
    expect(await prisma.payout.count({ where: { creatorId: creator.id } })).toBe(1);
    expect(await prisma.payoutItem.count({ where: { shopId: shop.id } })).toBe(20);
  });

  it("takes a clawback of an already paid commission off the next payout", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const commission = await postEntry(shop, creator, 10_000n, daysFromNow(-40));
    const first = await recordPayout(shop.id, creator.id, byPayPal(), daysFromNow(-30));
    expect(first).toMatchObject({ ok: true, amountMinor: 10_000n });

    // The order was partly refunded after it was paid: the reversal is an unpaid negative entry, payable at once.
    await postEntry(shop, creator, -3_000n, daysFromNow(-5), "REVERSAL");
    await postEntry(shop, creator, 8_000n, daysFromNow(-2));
    expect(await creatorBalances(shop.id, creator.id, NOW)).toMatchObject({ approvedMinor: 5_000n, paidMinor: 10_000n });

    const second = await recordPayout(shop.id, creator.id, byPayPal(), NOW);
    expect(second).toMatchObject({ ok: true, amountMinor: 5_000n, entryCount: 2 });
    const firstId = first?.ok ? first.payoutId : "";
    expect(await paidEntryIds(firstId)).toEqual([commission.id]);
  });

  it("refuses with a clear message when deductions exceed approved earnings", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    await postEntry(shop, creator, 2_000n, daysFromNow(-3));
    await postEntry(shop, creator, -2_500n, daysFromNow(-1), "REVERSAL");
    const result = await recordPayout(shop.id, creator.id, byPayPal(), NOW);
    expect(result).toMatchObject({ ok: false, error: "NOTHING_PAYABLE", approvedMinor: -500n });
    expect(result?.ok === false && result.error === "NOTHING_PAYABLE" ? result.message : "").toMatch(/Nothing payable.*\$5\.00/);
    expect(await prisma.payout.count({ where: { creatorId: creator.id } })).toBe(0);
  });

  it("converts into the creator's payout currency at the rate given, rounding half away from zero", async () => {
    const shop = await createTestShop({ currencyCode: "USD" });
    const creator = await createTestCreator(shop.id);
    await prisma.creator.update({ where: { id: creator.id }, data: { payoutCurrency: "JPY" } });
    await postEntry(shop, creator, 12_345n, daysFromNow(-1)); // $123.45

    expect(await recordPayout(shop.id, creator.id, byPayPal(), NOW)).toEqual({
      ok: false,
      error: "INVALID",
      fieldErrors: { fxRate: "Enter the exchange rate: how many JPY one USD buys" },
    });
    const result = await recordPayout(shop.id, creator.id, byPayPal({ fxRate: "151.25" }), NOW);
    // $123.45 × 151.25 = ¥18,671.8125 → ¥18,672
    expect(result).toMatchObject({ ok: true, amountMinor: 12_345n, payoutCurrency: "JPY", payoutAmountMinor: 18_672n, fxRate: "151.25" });
    const payout = await prisma.payout.findFirstOrThrow({ where: { creatorId: creator.id } });
    expect(payout.fxRate.toFixed(8)).toBe("151.25000000");

    const euros = await createTestCreator(shop.id);
    await prisma.creator.update({ where: { id: euros.id }, data: { payoutCurrency: "EUR" } });
    await postEntry(shop, euros, 25n, daysFromNow(-1)); // $0.25 × 0.9 = €0.225 → €0.23
    expect(await recordPayout(shop.id, euros.id, byPayPal({ fxRate: "0.9" }), NOW)).toMatchObject({ ok: true, payoutAmountMinor: 23n });
  });

  it("ignores a rate when the creator is paid in the shop's currency", async () => {
    const shop = await createTestShop({ currencyCode: "EUR" });
    const creator = await createTestCreator(shop.id);
    await postEntry(shop, creator, 4_200n, daysFromNow(-1));
    expect(await recordPayout(shop.id, creator.id, byPayPal({ fxRate: "1.5" }), NOW)).toMatchObject({
      ok: true,
      payoutCurrency: "EUR",
      payoutAmountMinor: 4_200n,
      fxRate: "1",
    });
  });

  it("keeps shops apart: shop B can neither see nor pay shop A's creator", async () => {
    const shopA = await createTestShop();
    const shopB = await createTestShop();
    const creator = await createTestCreator(shopA.id);
    await postEntry(shopA, creator, 7_000n, daysFromNow(-1));

    expect(await recordPayout(shopB.id, creator.id, byPayPal(), NOW)).toBeNull();
    expect(await recordPayout(shopB.id, "not-a-uuid", byPayPal(), NOW)).toBeNull();
    expect(await creatorBalances(shopB.id, creator.id, NOW)).toEqual({ pendingMinor: 0n, approvedMinor: 0n, paidMinor: 0n, totalMinor: 0n });
    expect((await creatorLedger(shopB.id, creator.id, { page: 1, status: null }, NOW)).entries).toEqual([]);
    expect(await prisma.payoutItem.count({ where: { ledgerEntry: { creatorId: creator.id } } })).toBe(0);

    const paid = await recordPayout(shopA.id, creator.id, byPayPal(), NOW);
    const payoutId = paid?.ok ? paid.payoutId : "";
    const stolen = await payoutsCsv(shopB.id, [payoutId], NOW);
    expect(stolen).toMatchObject({ csv: null, payoutIds: [], errors: [{ payoutId, message: "No such payout in this shop" }] });
    expect(await markPayoutsExported(shopB.id, [payoutId], NOW)).toBe(0);
  });

  it("shop erasure removes payouts and their items along with the ledger", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    await postEntry(shop, creator, 1_000n, daysFromNow(-1));
    expect(await recordPayout(shop.id, creator.id, byPayPal(), NOW)).toMatchObject({ ok: true });

    await prisma.$transaction((tx) => eraseShop(tx, shop, randomUUID()));
    const left = await Promise.all([
      prisma.payout.count({ where: { shopId: shop.id } }),
      prisma.payoutItem.count({ where: { shopId: shop.id } }),
      prisma.ledgerEntry.count({ where: { shopId: shop.id } }),
      prisma.creator.count({ where: { shopId: shop.id } }),
    ]);
    expect(left).toEqual([0, 0, 0, 0]);
  });

  it("an entry cannot be linked to a second payout, whatever the code does", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const entry = await postEntry(shop, creator, 1_000n, daysFromNow(-1));
    const result = await recordPayout(shop.id, creator.id, byPayPal(), NOW);
    const payoutId = result?.ok ? result.payoutId : "";
    await expect(prisma.payoutItem.create({ data: { shopId: shop.id, payoutId, ledgerEntryId: entry.id } })).rejects.toThrow();
  });
});

describe("the Record payout form", () => {
  it("reads today as now and an earlier day as its start in the shop's timezone", () => {
    const base = { method: "BANK_TRANSFER", reference: " SEPA 42 ", note: "", fxRate: "" };
    expect(parsePayoutForm({ ...base, paidOn: "2026-11-23" }, "America/New_York", NOW)).toEqual({
      ok: true,
      input: { method: "BANK_TRANSFER", reference: "SEPA 42", note: null, fxRate: null, paidAt: NOW },
    });
    const earlier = parsePayoutForm({ ...base, paidOn: "2026-11-20" }, "America/New_York", NOW);
    expect(earlier.ok && earlier.input.paidAt.toISOString()).toBe("2026-11-20T05:00:00.000Z");
  });

  it("answers per field", () => {
    expect(parsePayoutForm({ method: "CHEQUE", fxRate: "1,5", paidOn: "2026-12-01" }, "UTC", NOW)).toEqual({
      ok: false,
      fieldErrors: { method: "Choose how the creator was paid" },
    });
    expect(parsePayoutForm({ method: "PAYPAL", fxRate: "1,5", paidOn: "2026-12-01" }, "UTC", NOW)).toEqual({
      ok: false,
      fieldErrors: {
        fxRate: expect.stringMatching(/Enter a rate like/),
        paidOn: expect.stringMatching(/cannot be in the future/),
      },
    });
    expect(parsePayoutForm({ method: "PAYPAL", paidOn: "2026-02-30" }, "UTC", NOW)).toMatchObject({
      ok: false,
      fieldErrors: { paidOn: "Enter a real date" },
    });
  });
});

describe("payoutsCsv", () => {
  it("writes a PayPal Payouts file that reads back to the payouts, and lists the ones it cannot write", async () => {
    const shop = await createTestShop();
    const ada = await createTestCreator(shop.id, { name: "Ada" });
    const bob = await createTestCreator(shop.id, { name: "Bob" });
    const cy = await createTestCreator(shop.id, { name: "Cy, No Email" });
    await prisma.creator.update({ where: { id: ada.id }, data: { paypalEmail: "ada@example.com" } });
    await prisma.creator.update({ where: { id: bob.id }, data: { paypalEmail: "bob+pay@example.com" } });
    for (const creator of [ada, bob, cy]) await postEntry(shop, creator, 12_350n, daysFromNow(-1));

    const adaPayout = await recordPayout(shop.id, ada.id, byPayPal({ note: 'November, "thanks"\nfor everything' }), NOW);
    const bobPayout = await recordPayout(shop.id, bob.id, byPayPal(), NOW);
    const cyPayout = await recordPayout(shop.id, cy.id, byPayPal(), NOW);
    const ids = [adaPayout, bobPayout, cyPayout].map((result) => (result?.ok ? result.payoutId : ""));

    const file = await payoutsCsv(shop.id, ids, NOW);
    expect(file.currencyCode).toBe("USD");
    expect(file.filename).toBe("paypal-payouts-USD-2026-11-23.csv");
    expect(file.errors).toEqual([{ payoutId: ids[2], creatorName: "Cy, No Email", message: expect.stringMatching(/no PayPal email/) }]);
    expect(file.payoutIds.sort()).toEqual([ids[0], ids[1]].sort());

    const records = parse(file.csv ?? "", { record_delimiter: "\r\n" }) as string[][];
    expect(records.sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
      ["ada@example.com", "123.50", "USD", paypalCustomerId(ids[0]!), 'November, "thanks" for everything', "PAYPAL"],
      ["bob+pay@example.com", "123.50", "USD", paypalCustomerId(ids[1]!), `Creator payout from ${shop.name}, 2026-11-23`, "PAYPAL"],
    ]);
    expect(file.csv).toMatch(/\r\n$/);
    expect(file.csv?.startsWith("ada@example.com") || file.csv?.startsWith("bob+pay@example.com")).toBe(true); // no header row

    expect(await markPayoutsExported(shop.id, file.payoutIds, NOW)).toBe(2);
    const exported = await prisma.payout.findMany({ where: { shopId: shop.id, exportedAt: { not: null } } });
    expect(exported.map((payout) => payout.id).sort()).toEqual(file.payoutIds.sort());
  });

  it("writes converted amounts and refuses to mix currencies in one file", async () => {
    const shop = await createTestShop();
    const usd = await createTestCreator(shop.id);
    const eur = await createTestCreator(shop.id);
    await prisma.creator.update({ where: { id: usd.id }, data: { paypalEmail: "usd@example.com" } });
    await prisma.creator.update({ where: { id: eur.id }, data: { paypalEmail: "eur@example.com", payoutCurrency: "EUR" } });
    await postEntry(shop, usd, 10_000n, daysFromNow(-1));
    await postEntry(shop, eur, 10_000n, daysFromNow(-1));
    const usdPayout = await recordPayout(shop.id, usd.id, byPayPal(), NOW);
    const eurPayout = await recordPayout(shop.id, eur.id, byPayPal({ fxRate: "0.92345" }), NOW);
    const [usdId, eurId] = [usdPayout, eurPayout].map((result) => (result?.ok ? result.payoutId : ""));

    const euros = await payoutsCsv(shop.id, [eurId!], NOW);
    expect(parse(euros.csv ?? "")).toEqual([["eur@example.com", "92.35", "EUR", paypalCustomerId(eurId!), expect.any(String), "PAYPAL"]]);

    const mixed = await payoutsCsv(shop.id, [usdId!, eurId!], NOW);
    expect(mixed.csv).toBeNull();
    expect(mixed.errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/one currency per file/),
      expect.stringMatching(/one currency per file/),
    ]);
  });
});
