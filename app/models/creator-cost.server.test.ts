// Costs against real Postgres; a seeding cost asks the store simulator's Admin API (Shopify's schema and shapes)
// for the variant's cost per item through the app's own catalog service.
import "@shopify/shopify-api/adapters/node";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { findVariant } from "~/services/catalog-search.server";
import { createTestCreator, createTestShop } from "../../test/helpers/factories";
import { routeAdminApiToSimulator } from "../../test/support/admin-api";
import { variantGid, type SimProduct } from "../../test/simulator/catalog";
import { startSimulatorServer, type RunningSimulator } from "../../test/simulator/server";
import { addCreatorCost, deleteCreatorCost, listCreatorCosts, unitCostOf } from "./creator-cost.server";

const SHOP = "creator-cost-test.myshopify.com";
const TOKEN = "shpat_creator_cost_test_token";
// 10:00 in New York on November 15th: "today" in the shop is 2026-11-15.
const NOW = new Date("2026-11-15T15:00:00Z");

let sim: RunningSimulator;
let restoreFetch: () => void;
let withCost: SimProduct;
let withoutCost: SimProduct;

beforeAll(async () => {
  sim = await startSimulatorServer({
    appUrl: "http://127.0.0.1:9",
    secret: "creator-cost-secret",
    shop: { domain: SHOP, name: "Creator Cost Store", currency: "USD", timezone: "America/New_York" },
    port: 0,
    seed: 5,
    accessTokens: [TOKEN],
    retry: { retries: 0, initialDelayMs: 20, factor: 2 },
  });
  restoreFetch = routeAdminApiToSimulator(sim);
  withCost = sim.simulator.catalog.addProduct({ title: "Trail Bottle", priceMinor: 3_000, unitCostMinor: 1_250 });
  withoutCost = sim.simulator.catalog.addProduct({ title: "Trail Cap", priceMinor: 2_000, unitCostMinor: null });
});

afterAll(async () => {
  restoreFetch?.();
  await sim?.close();
});

/** The Admin API as the app calls it, against the simulator. */
async function admin<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(`https://${SHOP}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
const shopifyVariant = (gid: string) => findVariant(admin, gid);

async function shopAndCreator() {
  const shop = await createTestShop({ timezone: "America/New_York" });
  const creator = await createTestCreator(shop.id);
  return { shop, creator };
}

const fee = { kind: "FLAT_FEE", description: "Launch video fee", incurredOn: "2026-11-10", amount: "250.00" };
const seeding = (product: SimProduct, extra: Record<string, string> = {}) => ({
  kind: "PRODUCT_SEEDING",
  description: "Autumn samples",
  incurredOn: "2026-11-12",
  variantGid: variantGid(product.variants[0]!),
  quantity: "3",
  unitCost: "",
  ...extra,
});

describe("addCreatorCost", () => {
  it("records a flat fee in minor units of the shop currency on the day given", async () => {
    const { shop, creator } = await shopAndCreator();
    const result = await addCreatorCost(shop.id, creator.id, fee, shopifyVariant, NOW);
    expect(result).toEqual({ ok: true, costId: expect.any(String) });
    expect(await listCreatorCosts(shop.id, creator.id)).toEqual([
      expect.objectContaining({
        kind: "FLAT_FEE",
        description: "Launch video fee",
        incurredOn: "2026-11-10",
        amountMinor: 25_000n,
        productTitle: null,
        quantity: null,
        unitCostSource: null,
      }),
    ]);
  });

  it("prices seeded products at Shopify's cost per item when the merchant leaves it blank: quantity × unit cost", async () => {
    const { shop, creator } = await shopAndCreator();
    expect(await addCreatorCost(shop.id, creator.id, seeding(withCost), shopifyVariant, NOW)).toMatchObject({ ok: true });
    const [cost] = await listCreatorCosts(shop.id, creator.id);
    expect(cost).toMatchObject({
      kind: "PRODUCT_SEEDING",
      productTitle: "Trail Bottle - Default Title",
      variantGid: variantGid(withCost.variants[0]!),
      quantity: 3,
      unitCostMinor: 1_250n,
      unitCostSource: "SHOPIFY",
      amountMinor: 3_750n,
    });
    const row = await prisma.creatorCost.findFirstOrThrow({ where: { creatorId: creator.id } });
    expect(row.productGid).toBe(`gid://shopify/Product/${withCost.id}`);
  });

  it("keeps the merchant's own cost per item, and says it is Shopify's when they typed Shopify's back", async () => {
    const { shop, creator } = await shopAndCreator();
    await addCreatorCost(shop.id, creator.id, seeding(withCost, { unitCost: "10.00", incurredOn: "2026-11-01" }), shopifyVariant, NOW);
    await addCreatorCost(shop.id, creator.id, seeding(withCost, { unitCost: "12.50", quantity: "2" }), shopifyVariant, NOW);
    const costs = await listCreatorCosts(shop.id, creator.id);
    expect(costs.map(({ unitCostMinor, unitCostSource, amountMinor }) => ({ unitCostMinor, unitCostSource, amountMinor }))).toEqual([
      { unitCostMinor: 1_250n, unitCostSource: "SHOPIFY", amountMinor: 2_500n },
      { unitCostMinor: 1_000n, unitCostSource: "MERCHANT", amountMinor: 3_000n },
    ]);
  });

  it("asks the merchant for the cost per item when Shopify has none, then records theirs", async () => {
    const { shop, creator } = await shopAndCreator();
    expect(await addCreatorCost(shop.id, creator.id, seeding(withoutCost), shopifyVariant, NOW)).toEqual({
      ok: false,
      fieldErrors: { unitCost: "Shopify has no cost per item for this variant: enter what one cost you" },
    });
    expect(await addCreatorCost(shop.id, creator.id, seeding(withoutCost, { unitCost: "7.5" }), shopifyVariant, NOW)).toMatchObject({ ok: true });
    expect(await listCreatorCosts(shop.id, creator.id)).toEqual([
      expect.objectContaining({ unitCostMinor: 750n, unitCostSource: "MERCHANT", amountMinor: 2_250n }),
    ]);
  });

  it("does not use a Shopify cost in another currency than the shop's", async () => {
    // The shop's currency changed after costs were entered (Shopify keeps the variant's cost as it was).
    const shop = await createTestShop({ currencyCode: "EUR", timezone: "America/New_York" });
    const creator = await createTestCreator(shop.id);
    expect(await addCreatorCost(shop.id, creator.id, seeding(withCost), shopifyVariant, NOW)).toEqual({
      ok: false,
      fieldErrors: { unitCost: "Shopify holds this variant's cost in USD, not the shop's EUR: enter what one cost you in EUR" },
    });
    expect(unitCostOf({ unitCost: { amount: "12.5", currencyCode: "USD" } }, 1_100n, "EUR")).toEqual({ ok: true, minor: 1_100n, source: "MERCHANT" });
  });

  it("names every field that is wrong at once, and records nothing", async () => {
    const { shop, creator } = await shopAndCreator();
    expect(
      await addCreatorCost(shop.id, creator.id, { kind: "FLAT_FEE", description: " ", incurredOn: "2026-11-16", amount: "12.345" }, shopifyVariant, NOW),
    ).toEqual({
      ok: false,
      fieldErrors: {
        description: "Say what the cost was for, like “Launch video fee” or “Spring samples”",
        incurredOn: "Choose today (2026-11-15) or an earlier day: record costs once they are incurred",
        amount: "USD amounts have at most 2 decimals",
      },
    });
    expect(
      await addCreatorCost(
        shop.id,
        creator.id,
        { kind: "PRODUCT_SEEDING", description: "Samples", incurredOn: "2026-02-30", variantGid: "", quantity: "10001", unitCost: "-1" },
        shopifyVariant,
        NOW,
      ),
    ).toEqual({
      ok: false,
      fieldErrors: {
        incurredOn: "Enter a date like 2026-11-05",
        variantGid: "Pick the product variant you sent from the list",
        quantity: "Enter a quantity from 1 to 10,000",
        unitCost: "Enter an amount like 250.00 (digits and one decimal point only)",
      },
    });
    expect(await addCreatorCost(shop.id, creator.id, { ...fee, kind: "TRAVEL" }, shopifyVariant, NOW)).toMatchObject({
      ok: false,
      fieldErrors: { kind: "Choose a flat fee or product seeding" },
    });
    expect(await addCreatorCost(shop.id, creator.id, { ...fee, amount: "0" }, shopifyVariant, NOW)).toEqual({
      ok: false,
      fieldErrors: { amount: "Enter an amount above 0" },
    });
    expect(await addCreatorCost(shop.id, creator.id, seeding(withCost, { variantGid: "gid://shopify/ProductVariant/1" }), shopifyVariant, NOW)).toEqual({
      ok: false,
      fieldErrors: { variantGid: "Shopify no longer has this variant (it may have been deleted): pick another" },
    });
    expect(await prisma.creatorCost.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("takes today in the shop's timezone, not UTC's", async () => {
    const { shop, creator } = await shopAndCreator();
    // 02:00 UTC on the 16th is still the 15th in New York.
    const lateEvening = new Date("2026-11-16T02:00:00Z");
    expect(await addCreatorCost(shop.id, creator.id, { ...fee, incurredOn: "2026-11-16" }, shopifyVariant, lateEvening)).toMatchObject({ ok: false });
    expect(await addCreatorCost(shop.id, creator.id, { ...fee, incurredOn: "2026-11-15" }, shopifyVariant, lateEvening)).toMatchObject({ ok: true });
  });

  it("is null for another shop's creator", async () => {
    const { creator } = await shopAndCreator();
    const otherShop = await createTestShop();
    expect(await addCreatorCost(otherShop.id, creator.id, fee, shopifyVariant, NOW)).toBeNull();
    expect(await addCreatorCost(otherShop.id, "not-a-uuid", fee, shopifyVariant, NOW)).toBeNull();
  });

  it("records exactly quantity × the typed unit cost for any amount and quantity (no float on the way)", async () => {
    const { shop, creator } = await shopAndCreator();
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: 99_999_999_999n }), fc.integer({ min: 1, max: 10_000 }), async (unitMinor, quantity) => {
        const unitCost = `${unitMinor / 100n}.${(unitMinor % 100n).toString().padStart(2, "0")}`;
        const result = await addCreatorCost(shop.id, creator.id, seeding(withoutCost, { unitCost, quantity: String(quantity) }), shopifyVariant, NOW);
        if (!result?.ok) throw new Error(JSON.stringify(result));
        const row = await prisma.creatorCost.findUniqueOrThrow({ where: { id: result.costId } });
        expect(row.unitCostMinor).toBe(unitMinor);
        expect(row.amountMinor).toBe(unitMinor * BigInt(quantity));
      }),
      { numRuns: 25 },
    );
  });
});

describe("deleteCreatorCost", () => {
  it("removes the shop's own cost, and nothing of another shop's (false, so the page answers 404)", async () => {
    const { shop, creator } = await shopAndCreator();
    const added = await addCreatorCost(shop.id, creator.id, fee, shopifyVariant, NOW);
    if (!added?.ok) throw new Error("not added");
    const other = await shopAndCreator();

    expect(await deleteCreatorCost(other.shop.id, creator.id, added.costId)).toBe(false);
    expect(await deleteCreatorCost(other.shop.id, other.creator.id, added.costId)).toBe(false);
    expect(await deleteCreatorCost(shop.id, creator.id, "not-a-uuid")).toBe(false);
    expect(await listCreatorCosts(shop.id, creator.id)).toHaveLength(1);

    expect(await deleteCreatorCost(shop.id, creator.id, added.costId)).toBe(true);
    expect(await listCreatorCosts(shop.id, creator.id)).toEqual([]);
    expect(await deleteCreatorCost(shop.id, creator.id, added.costId)).toBe(false);
  });
});
