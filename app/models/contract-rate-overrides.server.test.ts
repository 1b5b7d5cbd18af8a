// The contract form's rates for specific products or collections: read row by row with messages at each row's
// fields, saved on the revenue share (plain or hybrid), filled back into the form, and the collections they name
// queued for reading from Shopify.
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-contract-rates-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { termsForModel } from "~/domain/commissions/contract-presets";
import { parseTerms } from "~/domain/commissions/contract-terms-schema";
import { collectionSyncJobId, createCommissionsQueue, createRedis, createShopifyAdminQueue } from "~/queues.server";
import { createTestCreator, createTestShop } from "../../test/helpers/factories";
import { contractFormValues, saveContract, validateContractForm } from "./contract.server";

const connection = createRedis({ failFast: false });
const commissions = createCommissionsQueue(connection);
const admin = createShopifyAdminQueue(connection);

afterAll(async () => {
  await Promise.all([commissions.obliterate({ force: true }), admin.obliterate({ force: true })]);
  await Promise.all([commissions.close(), admin.close()]);
  connection.disconnect();
});

const NOW = new Date("2026-11-15T17:00:00Z");
const SHOP = { currencyCode: "USD", timezone: "America/New_York" };
const SALE = { type: "COLLECTION", gid: "gid://shopify/Collection/41", title: "Summer Sale" } as const;
const SERUM = { type: "PRODUCT", gid: "gid://shopify/Product/77", title: "Glow Serum" } as const;

function rows(...overrides: { type: string; gid: string; title: string; percent: string }[]): Record<string, string> {
  const form: Record<string, string> = {};
  // Rows are posted with the indexes the browser had; a removed row leaves a gap.
  overrides.forEach((override, i) => {
    for (const [field, value] of Object.entries(override)) form[`overrides.${i * 2}.${field}`] = value;
  });
  return form;
}

const errorsOf = (model: string, raw: Record<string, string>) => {
  const result = validateContractForm(SHOP, model, { model, ...raw }, NOW);
  if (result.ok) throw new Error("expected the form to be refused");
  return result.fieldErrors;
};

describe("rates for specific products or collections", () => {
  it("builds the revenue share's overrides in the order shown, with percents to two decimals", () => {
    const result = validateContractForm(
      SHOP,
      "HYBRID",
      { baseFee: "200", percent: "8", ...rows({ ...SALE, percent: "15" }, { ...SERUM, percent: "22.5" }) },
      NOW,
    );
    expect(result).toMatchObject({
      ok: true,
      terms: termsForModel("HYBRID", {
        baseMonthlyMinor: 20_000n,
        percent: "8.00",
        overrides: [
          { target: SALE, percent: "15.00" },
          { target: SERUM, percent: "22.50" },
        ],
      }),
    });
  });

  it("puts each message at its row's field, by the row's position", () => {
    expect(
      errorsOf(
        "REVENUE_SHARE",
        {
          percent: "10",
          ...rows(
            { ...SALE, percent: "20" },
            { type: "PRODUCT", gid: "", title: "", percent: "" },
            { type: "PRODUCT", gid: SALE.gid, title: "Summer Sale", percent: "101" },
            { ...SALE, title: "Sale again", percent: "5" },
            { type: "VARIANT", gid: "gid://shopify/ProductVariant/1", title: "S", percent: "5" },
          ),
        },
      ),
    ).toEqual({
      "overrides.1.target": "Search for the product this rate applies to and pick it",
      "overrides.1.percent": "Enter a percent, like 10 or 12.5",
      // A collection's gid for a product rate is no product.
      "overrides.2.target": "Search for the product this rate applies to and pick it",
      "overrides.2.percent": "A percent cannot exceed 100",
      "overrides.3.target": "This collection already has a rate above: change that one instead",
      "overrides.4.type": "Choose a product or a collection",
    });
  });

  it("takes no rows for models without a revenue share, and at most twenty", () => {
    const result = validateContractForm(SHOP, "CPA", { cpaAmount: "5", ...rows({ ...SALE, percent: "20" }) }, NOW);
    expect(result.ok && result.terms.components).toEqual([{ kind: "CPA", amountMinor: 500n, newCustomersOnly: false }]);
    const many = Array.from({ length: 21 }, (_, i) => ({ type: "PRODUCT", gid: `gid://shopify/Product/${i + 1}`, title: `P${i}`, percent: "5" }));
    expect(errorsOf("REVENUE_SHARE", { percent: "10", ...rows(...many) })).toEqual({
      overrides: "A revenue share has at most 20 rates for products or collections",
    });
  });

  it("saves the rates, fills them back into the form, and queues a read of each collection named", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    const form = { model: "REVENUE_SHARE", percent: "10", ...rows({ ...SALE, percent: "20" }, { ...SERUM, percent: "30" }) };
    const saved = await saveContract(shop.id, creator.id, "REVENUE_SHARE", form, new Date(), () => commissions, () => admin);
    if (!saved?.ok) throw new Error(JSON.stringify(saved));

    const row = await prisma.contract.findUniqueOrThrow({ where: { id: saved.contractId } });
    const terms = parseTerms(row.terms);
    expect(terms.components).toEqual([
      { kind: "REVENUE_SHARE", percent: "10.00", overrides: [{ target: SALE, percent: "20.00" }, { target: SERUM, percent: "30.00" }] },
    ]);
    expect(contractFormValues({ model: row.model, terms }, "USD")).toMatchObject({
      percent: "10",
      overrides: [
        { ...SALE, percent: "20" },
        { ...SERUM, percent: "30" },
      ],
    });

    // Only the collection is read from Shopify; a product's lines carry its gid already.
    const syncs = await prisma.collectionSync.findMany({ where: { shopId: shop.id } });
    expect(syncs).toEqual([expect.objectContaining({ collectionGid: SALE.gid, title: "Summer Sale", status: "QUEUED" })]);
    const jobs = await admin.getJobs(["waiting", "delayed", "prioritized"]);
    const job = jobs.find((j) => j.data.kind === "sync-collection" && j.data.syncId === syncs[0]!.id);
    expect(job?.data).toEqual({ kind: "sync-collection", shopId: shop.id, syncId: syncs[0]!.id });
    expect(job?.id).toMatch(new RegExp(`^${collectionSyncJobId(syncs[0]!.id, "r")}\\d+$`));

    // Saving the same collection again asks for another read of the same sync, not a second one.
    await saveContract(shop.id, creator.id, "REVENUE_SHARE", form, new Date(Date.now() + 1_000), () => commissions, () => admin);
    expect(await prisma.collectionSync.count({ where: { shopId: shop.id } })).toBe(1);
  });
});
