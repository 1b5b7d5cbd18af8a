import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-contract-${process.pid}-${Date.now()}`;
});

import type { Shop } from "@prisma/client";
import { prisma } from "~/db.server";
import { termsForModel } from "~/domain/commissions/contract-presets";
import { parseTerms } from "~/domain/commissions/contract-terms-schema";
import { createCommissionsQueue, createRedis, settleJobId } from "~/queues.server";
import { postOrderCommissions, settleCreatorPeriod } from "~/services/post-commissions.server";
import { createTestCreator, createTestShop } from "../../test/helpers/factories";
import { contractFormValues, contractHistory, currentContract, saveContract, validateContractForm } from "./contract.server";

const connection = createRedis({ failFast: false });
const queue = createCommissionsQueue(connection);
const testQueue = () => queue;

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
});

const NOW = new Date("2026-11-15T17:00:00Z");

async function savedTerms(contractId: string) {
  const row = await prisma.contract.findUniqueOrThrow({ where: { id: contractId } });
  return { model: row.model, effectiveFrom: row.effectiveFrom, terms: parseTerms(row.terms) };
}

async function save(shop: Shop, creatorId: string, model: string, form: Record<string, string>, now = NOW) {
  return saveContract(shop.id, creatorId, model, { model, ...form }, now, testQueue);
}

let orderNumber = 5000;
/** An order attributed to the creator, as ingestion would store it, with its commissions posted. */
async function placeOrder(shop: Shop, creatorId: string, processedAt: Date, netMinor: bigint) {
  orderNumber += 1;
  const order = await prisma.order.create({
    data: {
      shopId: shop.id,
      shopifyOrderGid: `gid://shopify/Order/${shop.id}-${orderNumber}`,
      name: `#${orderNumber}`,
      currencyCode: shop.currencyCode,
      presentmentCurrency: shop.currencyCode,
      discountCodes: [],
      subtotalMinor: netMinor,
      totalTaxMinor: 0n,
      shippingMinor: 0n,
      netMerchandiseMinor: netMinor,
      processedAt,
      shopifyUpdatedAt: processedAt,
    },
  });
  await prisma.attribution.create({ data: { shopId: shop.id, orderId: order.id, creatorId, method: "DISCOUNT_CODE", evidence: {} } });
  await prisma.$transaction((tx) => postOrderCommissions(tx, shop, order, creatorId, "test"));
  return order;
}

describe("saveContract", () => {
  it("saves each model's terms, with amounts in the shop currency converted exactly", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const cases: [string, Record<string, string>, ReturnType<typeof termsForModel>][] = [
      [
        "FLAT_FEE",
        // A cap means nothing without performance pay: the field is ignored for this model.
        { "fee.POST": "150", "fee.VIDEO": "400.50", "fee.STORY": " ", "fee.REEL": "", drawAmount: "1000", capAmount: "5" },
        termsForModel("FLAT_FEE", { feesMinor: { POST: 15_000n, VIDEO: 40_050n }, drawPerPeriodMinor: 100_000n }),
      ],
      ["RETAINER", { monthlyAmount: "2500" }, termsForModel("RETAINER", { monthlyMinor: 250_000n })],
      [
        "CPA",
        { cpaAmount: "12.50", newCustomersOnly: "on", capAmount: "300", includeShipping: "on" },
        termsForModel("CPA", { amountMinor: 1_250n, newCustomersOnly: true, capPerPeriodMinor: 30_000n }),
      ],
      [
        "REVENUE_SHARE",
        { percent: "12.5", includeShipping: "on" },
        termsForModel("REVENUE_SHARE", { percent: "12.50", revenueBasis: { includeShipping: true, includeTaxes: false } }),
      ],
      [
        "TIERED",
        {
          tierMetric: "REVENUE",
          tierMode: "RETROACTIVE",
          "tiers.0.from": "",
          "tiers.0.percent": "5",
          "tiers.1.from": "1000",
          "tiers.1.percent": "7.5",
          "tiers.2.from": "5000.50",
          "tiers.2.percent": "10",
        },
        termsForModel("TIERED", {
          metric: "REVENUE",
          mode: "RETROACTIVE",
          tiers: [
            { from: 0n, percent: "5.00" },
            { from: 100_000n, percent: "7.50" },
            { from: 500_050n, percent: "10.00" },
          ],
        }),
      ],
      [
        "TIERED",
        { tierMetric: "CONVERSIONS", tierMode: "MARGINAL", "tiers.0.percent": "5", "tiers.1.from": "10", "tiers.1.percent": "8" },
        termsForModel("TIERED", {
          metric: "CONVERSIONS",
          mode: "MARGINAL",
          tiers: [
            { from: 0n, percent: "5.00" },
            { from: 10n, percent: "8.00" },
          ],
        }),
      ],
      [
        "HYBRID",
        { baseFee: "300", percent: "8", includeTaxes: "on", capAmount: "" },
        termsForModel("HYBRID", { baseMonthlyMinor: 30_000n, percent: "8.00", revenueBasis: { includeShipping: false, includeTaxes: true } }),
      ],
      [
        "RETAINER_BONUS",
        { monthlyAmount: "1000", bonusMetric: "CONVERSIONS", bonusThreshold: "25", bonusAmount: "250", drawAmount: "1200" },
        termsForModel("RETAINER_BONUS", {
          monthlyMinor: 100_000n,
          bonus: { metric: "CONVERSIONS", threshold: 25n, amountMinor: 25_000n },
          drawPerPeriodMinor: 120_000n,
        }),
      ],
      [
        "RETAINER_BONUS",
        { monthlyAmount: "1000", bonusMetric: "REVENUE", bonusThreshold: "20000", bonusAmount: "250" },
        termsForModel("RETAINER_BONUS", {
          monthlyMinor: 100_000n,
          bonus: { metric: "REVENUE", threshold: 2_000_000n, amountMinor: 25_000n },
        }),
      ],
    ];
    for (const [model, form, expected] of cases) {
      const result = await save(shop, creator.id, model, form);
      expect(result, model).toMatchObject({ ok: true });
      if (!result?.ok) continue;
      expect(await savedTerms(result.contractId), model).toEqual({ model, effectiveFrom: NOW, terms: expected });
    }
  });

  it("converts amounts by the currency's own decimals", async () => {
    const shop = await createTestShop({ currencyCode: "JPY" });
    const creator = await createTestCreator(shop.id);
    const result = await save(shop, creator.id, "CPA", { cpaAmount: "1500" });
    expect(result).toMatchObject({ ok: true });
    if (result?.ok) expect((await savedTerms(result.contractId)).terms.components).toEqual([
      { kind: "CPA", amountMinor: 1_500n, newCustomersOnly: false },
    ]);
    expect(await save(shop, creator.id, "CPA", { cpaAmount: "12.5" })).toEqual({
      ok: false,
      fieldErrors: { cpaAmount: "JPY amounts have no decimals" },
      formError: null,
    });
  });

  it("answers per-field messages, keyed by the form's field names, and saves nothing", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const before = await prisma.contract.count({ where: { creatorId: creator.id } });
    const errorsOf = async (model: string, form: Record<string, string>) => {
      const result = await save(shop, creator.id, model, form);
      if (result === null || result.ok) throw new Error(`expected errors for ${model} ${JSON.stringify(form)}`);
      return result.fieldErrors;
    };

    expect(await errorsOf("BOGUS", {})).toEqual({ model: "Choose a compensation model" });
    expect(await errorsOf("REVENUE_SHARE", { percent: "" })).toEqual({ percent: "Enter a percent, like 10 or 12.5" });
    expect(await errorsOf("REVENUE_SHARE", { percent: "101" })).toEqual({ percent: "A percent cannot exceed 100" });
    expect(await errorsOf("REVENUE_SHARE", { percent: "12.345" })).toEqual({
      percent: "Enter a percent like 10 or 12.5, with at most two decimals",
    });
    expect(await errorsOf("FLAT_FEE", { "fee.POST": "", "fee.VIDEO": "" })).toEqual({
      fees: "Enter a fee for at least one kind of deliverable",
    });
    expect(await errorsOf("FLAT_FEE", { "fee.POST": "abc", "fee.VIDEO": "12.345", "fee.REEL": "0" })).toEqual({
      "fee.POST": "Enter an amount like 500 or 12.50, digits and a decimal point only",
      "fee.VIDEO": "Enter at most 2 decimals for USD",
      "fee.REEL": "Enter an amount above 0",
    });
    expect(await errorsOf("RETAINER", { monthlyAmount: "1,000" })).toEqual({
      monthlyAmount: "Enter an amount like 500 or 12.50, digits and a decimal point only",
    });
    expect(await errorsOf("HYBRID", { baseFee: "", percent: "10", capAmount: "-5", drawAmount: "x" })).toEqual({
      baseFee: "Enter an amount in USD, like 500 or 12.50",
      capAmount: "Enter an amount like 500 or 12.50, digits and a decimal point only",
      drawAmount: "Enter an amount like 500 or 12.50, digits and a decimal point only",
    });
    expect(
      await errorsOf("TIERED", {
        tierMetric: "REVENUE",
        tierMode: "SIDEWAYS",
        "tiers.0.percent": "5",
        "tiers.1.from": "500",
        "tiers.1.percent": "",
        "tiers.2.from": "400",
        "tiers.2.percent": "9",
      }),
    ).toEqual({
      tierMode: "Choose how tier rates apply",
      "tiers.1.percent": "Enter a percent, like 10 or 12.5",
      "tiers.2.from": "Start this tier above the previous one",
    });
    expect(await errorsOf("TIERED", { tierMetric: "CONVERSIONS", tierMode: "MARGINAL" })).toEqual({ tiers: "Add at least one tier" });
    expect(
      await errorsOf("TIERED", { tierMetric: "CONVERSIONS", tierMode: "MARGINAL", "tiers.0.percent": "5", "tiers.1.from": "2.5", "tiers.1.percent": "6" }),
    ).toEqual({ "tiers.1.from": "Enter the number of conversions from which this rate applies, like 10" });
    expect(
      await errorsOf("RETAINER_BONUS", { monthlyAmount: "100", bonusMetric: "CONVERSIONS", bonusThreshold: "2.5", bonusAmount: "" }),
    ).toEqual({
      bonusThreshold: "Enter the number of conversions that earns the bonus, like 20",
      bonusAmount: "Enter an amount in USD, like 500 or 12.50",
    });
    expect(await errorsOf("CPA", { cpaAmount: "5", effectiveDate: "2026-11-14" })).toEqual({
      effectiveDate: "Choose today or a later date: orders already placed keep the terms they earned under",
    });
    expect(await errorsOf("CPA", { cpaAmount: "5", effectiveDate: "2026-02-30" })).toEqual({
      effectiveDate: "Enter a date like 2026-12-01, or leave it blank to start now",
    });

    expect(await prisma.contract.count({ where: { creatorId: creator.id } })).toBe(before);
  });

  it("answers null for another shop's creator or a made-up id", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const theirs = await createTestCreator(other.id);
    expect(await save(shop, theirs.id, "RETAINER", { monthlyAmount: "100" })).toBeNull();
    expect(await save(shop, "not-a-uuid", "RETAINER", { monthlyAmount: "100" })).toBeNull();
    expect(await prisma.contract.count({ where: { creatorId: theirs.id } })).toBe(1);
  });

  it("does not change what earlier orders earn", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id, { revenueSharePercent: "10" });
    const before = await placeOrder(shop, creator.id, new Date("2026-11-10T12:00:00Z"), 10_000n);

    const saved = await save(shop, creator.id, "REVENUE_SHARE", { percent: "20" });
    expect(saved).toMatchObject({ ok: true });
    const after = await placeOrder(shop, creator.id, new Date("2026-11-20T12:00:00Z"), 10_000n);

    // The earlier order is looked at again (an update arrives, the period settles): it keeps its 10%.
    await prisma.$transaction((tx) => postOrderCommissions(tx, shop, before, creator.id, "the order changed"));
    if (saved?.ok) await prisma.$transaction((tx) => settleCreatorPeriod(tx, saved.period));
    const entries = await prisma.ledgerEntry.findMany({ where: { creatorId: creator.id }, orderBy: { createdAt: "asc" } });
    expect(entries.map((entry) => [entry.orderId, entry.kind, entry.amountMinor])).toEqual([
      [before.id, "COMMISSION", 1_000n],
      [after.id, "COMMISSION", 2_000n],
    ]);
  });

  it("marks the creator's current pay period changed, in the shop's timezone, and enqueues its settlement", async () => {
    const shop = await createTestShop({ timezone: "America/New_York" });
    const creator = await createTestCreator(shop.id);
    // 03:00 UTC on December 1st is still November 30th in New York.
    const now = new Date("2026-12-01T03:00:00Z");
    const first = await save(shop, creator.id, "RETAINER", { monthlyAmount: "500" }, now);
    const second = await save(shop, creator.id, "RETAINER", { monthlyAmount: "600" }, now);
    if (!first?.ok || !second?.ok) throw new Error("expected both saves to succeed");

    expect(first.period).toEqual({ shopId: shop.id, creatorId: creator.id, periodKey: "2026-11", changeVersion: 1 });
    expect(second.period.changeVersion).toBe(2);
    const period = await prisma.creatorPeriod.findUniqueOrThrow({
      where: { creatorId_periodKey: { creatorId: creator.id, periodKey: "2026-11" } },
    });
    expect(period).toMatchObject({ changeVersion: 2, settledVersion: 0 });
    // The second change joined the first one's waiting job: it settles the period's latest version.
    expect((await queue.getJob(settleJobId(first.period)))?.data).toEqual(first.period);
    expect(await queue.getJob(settleJobId(second.period))).toBeUndefined();

    // The creator was on revenue share until the retainer started on November 30th (New York): the month pays one
    // day of the retainer saved last, $600 × 1/30; the one it replaced the same day covers no day.
    await prisma.$transaction((tx) => settleCreatorPeriod(tx, second.period));
    const retainers = await prisma.ledgerEntry.findMany({ where: { creatorId: creator.id, kind: "RETAINER" } });
    expect(retainers.map((entry) => [entry.periodKey, entry.amountMinor])).toEqual([["2026-11", 2_000n]]);
  });

  it("still saves when the settlement cannot be enqueued (the period sweeper settles it)", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const unreachable = () => {
      throw new Error("Redis is down");
    };
    const result = await saveContract(shop.id, creator.id, "RETAINER", { monthlyAmount: "100" }, NOW, unreachable);
    expect(result).toMatchObject({ ok: true, period: { periodKey: "2026-11", changeVersion: 1 } });
    expect(await prisma.creatorPeriod.count({ where: { creatorId: creator.id, settledVersion: 0 } })).toBe(1);
  });

  it("schedules a version from a later day in the shop's timezone, replacing one scheduled for the same day", async () => {
    const shop = await createTestShop({ timezone: "Asia/Tokyo" });
    const creator = await createTestCreator(shop.id, { revenueSharePercent: "10" });
    const first = await save(shop, creator.id, "REVENUE_SHARE", { percent: "15", effectiveDate: "2026-12-01" });
    const second = await save(shop, creator.id, "REVENUE_SHARE", { percent: "18", effectiveDate: "2026-12-01" });
    if (!first?.ok || !second?.ok) throw new Error("expected both saves to succeed");
    // Midnight in Tokyo is 15:00 UTC the day before.
    expect(second.effectiveFrom).toEqual(new Date("2026-11-30T15:00:00Z"));

    const history = await contractHistory(shop.id, creator.id, NOW);
    expect(history.map((version) => [version.status, version.lines[0]])).toEqual([
      ["scheduled", "18.00% revenue share of net merchandise"],
      ["current", "10.00% revenue share of net merchandise"],
    ]);
    expect((await currentContract(shop.id, creator.id, NOW))?.lines).toEqual(["10.00% revenue share of net merchandise"]);
    expect((await currentContract(shop.id, creator.id, new Date("2026-12-02T00:00:00Z")))?.lines).toEqual([
      "18.00% revenue share of net merchandise",
    ]);
    // Saved today in Tokyo's calendar (Nov 16 there): effective now, and listed first.
    const today = await save(shop, creator.id, "CPA", { cpaAmount: "5", effectiveDate: "2026-11-16" });
    expect(today).toMatchObject({ ok: true, effectiveFrom: NOW });
  });
});

describe("contractFormValues", () => {
  it("fills the form back in with what was saved, so saving it again changes nothing", async () => {
    const shop = await createTestShop({ currencyCode: "EUR" });
    const creator = await createTestCreator(shop.id);
    const form = {
      tierMetric: "REVENUE",
      tierMode: "MARGINAL",
      "tiers.0.percent": "5",
      "tiers.1.from": "1000.5",
      "tiers.1.percent": "12.5",
      includeShipping: "on",
      capAmount: "750",
    };
    const result = await save(shop, creator.id, "TIERED", form);
    if (!result?.ok) throw new Error("expected the save to succeed");
    const current = await currentContract(shop.id, creator.id, NOW);
    const values = contractFormValues(current, "EUR");
    expect(values).toMatchObject({
      model: "TIERED",
      tierMetric: "REVENUE",
      tierMode: "MARGINAL",
      tiers: [
        { from: "0.00", percent: "5" },
        { from: "1000.50", percent: "12.5" },
      ],
      includeShipping: true,
      includeTaxes: false,
      capAmount: "750.00",
      drawAmount: "",
    });
    const again = validateContractForm(shop, "TIERED", {
      tierMetric: values.tierMetric,
      tierMode: values.tierMode,
      "tiers.0.from": values.tiers[0]!.from,
      "tiers.0.percent": values.tiers[0]!.percent,
      "tiers.1.from": values.tiers[1]!.from,
      "tiers.1.percent": values.tiers[1]!.percent,
      includeShipping: "on",
      capAmount: values.capAmount,
    }, NOW);
    expect(again).toMatchObject({ ok: true, terms: current!.terms });
  });
});
