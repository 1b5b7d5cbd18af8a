import { randomUUID } from "node:crypto";
import type { Creator, Shop } from "@prisma/client";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { refreshShopRollups } from "~/services/refresh-rollups.server";
import {
  createExperiment,
  deleteExperiment,
  experimentSummariesByCreator,
  getExperiment,
  listExperiments,
  searchExperimentCreators,
  topShippingRegions,
  type ExperimentInput,
} from "./experiment.server";

// Each test makes its own shop. Orders are written through Prisma with their shipping region, the rollups rebuilt
// by the service the worker runs, and the experiments measured from RegionDailyRollup.

const AFTER = "2026-10-15";

async function createShop(): Promise<Shop> {
  return prisma.shop.create({ data: { domain: `${randomUUID()}.myshopify.com`, name: "Test shop", currencyCode: "USD", timezone: "UTC" } });
}

async function createCreator(shop: Shop, name: string): Promise<Creator> {
  return prisma.creator.create({ data: { shopId: shop.id, name, handle: `${name.toLowerCase().replace(/\W+/g, "-")}-${randomUUID().slice(0, 6)}` } });
}

/** `count` orders shipped to `region` on `day` (noon UTC), each `netMinor`. */
async function placeOrders(shop: Shop, day: string, region: string | null, count: number, netMinor = 4_000n) {
  await prisma.order.createMany({
    data: Array.from({ length: count }, () => ({
      shopId: shop.id,
      shopifyOrderGid: `gid://shopify/Order/${randomUUID()}`,
      name: "#1",
      currencyCode: "USD",
      presentmentCurrency: "USD",
      discountCodes: [],
      subtotalMinor: netMinor,
      totalTaxMinor: 0n,
      shippingMinor: 0n,
      netMerchandiseMinor: netMinor,
      processedAt: new Date(`${day}T12:00:00Z`),
      shopifyUpdatedAt: new Date(`${day}T12:00:00Z`),
      shippingRegion: region,
    })),
  });
}

function geoInput(creators: Creator[], overrides: Partial<ExperimentInput> = {}): ExperimentInput {
  return {
    name: "West coast test",
    design: "GEO_SPLIT",
    creatorIds: creators.map((creator) => creator.id),
    exposedRegions: "us-ca, US-WA",
    controlRegions: "US-NY US-TX",
    startsOn: "2026-09-11",
    endsOn: "2026-09-20",
    baselineStartsOn: "2026-09-01",
    baselineEndsOn: "2026-09-10",
    ...overrides,
  };
}

afterAll(() => prisma.$disconnect());

describe("creating an experiment", () => {
  it("stores a valid geo split with its regions normalised", async () => {
    const shop = await createShop();
    const maya = await createCreator(shop, "Maya");
    const created = await createExperiment(shop, geoInput([maya]));
    expect(created.ok).toBe(true);
    const stored = await prisma.experiment.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(stored).toMatchObject({ design: "GEO_SPLIT", creatorIds: [maya.id], exposedRegions: ["US-CA", "US-WA"], controlRegions: ["US-NY", "US-TX"] });
  });

  it("answers a message per field for what is wrong", async () => {
    const shop = await createShop();
    const maya = await createCreator(shop, "Maya");
    const check = async (overrides: Partial<ExperimentInput>) => {
      const result = await createExperiment(shop, geoInput([maya], overrides));
      return result.ok ? {} : result.fieldErrors;
    };
    expect(await check({ name: " " })).toEqual({ name: expect.stringContaining("Name the experiment") });
    expect(await check({ creatorIds: [] })).toEqual({ creatorIds: expect.stringContaining("Choose the creator") });
    expect(await check({ exposedRegions: "California, US-TX" })).toEqual({ exposedRegions: expect.stringContaining("“CALIFORNIA” is not a region code") });
    expect(await check({ controlRegions: "" })).toEqual({ controlRegions: expect.stringContaining("Enter the control regions") });
    expect(await check({ controlRegions: "US" })).toEqual({ controlRegions: "US-CA and US are in both groups: a region is either exposed or control" });
    expect(await check({ startsOn: "2026-02-30" })).toEqual({ startsOn: expect.stringContaining("as a date") });
    expect(await check({ endsOn: "2026-09-01" })).toEqual({ endsOn: "The test ends before it starts" });
    expect(await check({ endsOn: "2027-09-20" })).toEqual({ endsOn: "Keep the test to 366 days or fewer" });
    expect(await check({ baselineEndsOn: "2026-09-12" })).toEqual({ baselineStartsOn: expect.stringContaining("must end before the test starts") });
    // The regions and the windows are checked together, so both problems show at once.
    expect(Object.keys(await check({ exposedRegions: "nowhere", baselineEndsOn: "2026-09-12" })).sort()).toEqual(["baselineStartsOn", "exposedRegions"]);
    expect(await prisma.experiment.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses another shop's creator, and ignores regions for a period holdout", async () => {
    const shop = await createShop();
    const stranger = await createCreator(await createShop(), "Stranger");
    expect(await createExperiment(shop, geoInput([stranger]))).toEqual({ ok: false, fieldErrors: { creatorIds: "Choose creators from the list" } });
    const maya = await createCreator(shop, "Maya");
    const holdout = await createExperiment(shop, geoInput([maya], { design: "PERIOD_HOLDOUT", exposedRegions: "", controlRegions: "" }));
    expect(holdout.ok).toBe(true);
    expect(await prisma.experiment.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ exposedRegions: [], controlRegions: [] });
  });
});

describe("measuring experiments from the region rollups", () => {
  it("measures a geo split from the orders' shipping regions, and summarises it per creator", async () => {
    const shop = await createShop();
    const [maya, leo, other] = [await createCreator(shop, "Maya"), await createCreator(shop, "Leo"), await createCreator(shop, "Other")];
    // Baseline: 20 orders a day in each group. Test: control steady, exposed up 50%.
    for (const day of ["2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04", "2026-09-05"]) {
      await placeOrders(shop, day, "US-CA", 20);
      await placeOrders(shop, day, "US-NY", 20);
      await placeOrders(shop, day, null, 9); // ships nowhere: in no group
    }
    for (const day of ["2026-09-11", "2026-09-12", "2026-09-13", "2026-09-14", "2026-09-15"]) {
      await placeOrders(shop, day, "US-CA", 30, 5_000n);
      await placeOrders(shop, day, "US-NY", 20);
      await placeOrders(shop, day, "DE", 4); // neither group
    }
    await refreshShopRollups(prisma, shop.id);

    const older = await createExperiment(shop, geoInput([maya], { name: "Older", startsOn: "2026-08-21", endsOn: "2026-08-30", baselineStartsOn: "2026-08-11", baselineEndsOn: "2026-08-20" }));
    const created = await createExperiment(shop, geoInput([maya, leo], { exposedRegions: "US-CA", controlRegions: "US-NY" }));
    if (!created.ok || !older.ok) throw new Error("not created");

    const measured = await getExperiment(shop, created.experimentId, AFTER);
    expect(measured!.experiment.creators.map((creator) => creator.name).sort()).toEqual(["Leo", "Maya"]);
    const { result } = measured!;
    expect(result.exposed.test).toEqual({ orders: 150, netRevenueMinor: 750_000n, days: 10 });
    expect(result.control!.baseline).toEqual({ orders: 100, netRevenueMinor: 400_000n, days: 10 });
    expect(result.expectedOrders).toBe(100);
    expect(result.incrementalOrders).toBe(50);
    expect(result.orderLift!.basisPoints).toBe(5000);
    expect(result.incrementalRevenueMinor).toBe(350_000n);
    expect(result.verdict).toBe("incremental");
    // Before the test is over there is no verdict.
    expect((await getExperiment(shop, created.experimentId, "2026-09-14"))!.result.verdict).toBe("running");

    const summaries = await experimentSummariesByCreator(shop, undefined, AFTER);
    expect([...summaries.keys()].sort()).toEqual([maya.id, leo.id].sort());
    expect(summaries.get(maya.id)).toMatchObject({ experimentId: created.experimentId, verdict: "incremental", orderLift: { basisPoints: 5000 } });
    expect((await experimentSummariesByCreator(shop, [leo.id, other.id], AFTER)).size).toBe(1);

    expect((await listExperiments(shop, AFTER)).map((entry) => entry.experiment.name)).toEqual(["West coast test", "Older"]);
    expect(await topShippingRegions({ ...shop, timezone: "UTC" }, 100_000)).toEqual([
      { region: "US-CA", orders: 250 },
      { region: "US-NY", orders: 200 },
      { region: "DE", orders: 20 },
    ]);
  });

  it("keeps shops apart: another shop cannot read or delete an experiment", async () => {
    const shop = await createShop();
    const otherShop = await createShop();
    const created = await createExperiment(shop, geoInput([await createCreator(shop, "Maya")]));
    if (!created.ok) throw new Error("not created");
    expect(await getExperiment(otherShop, created.experimentId)).toBeNull();
    expect(await deleteExperiment(otherShop.id, created.experimentId)).toBe(false);
    expect(await getExperiment(shop, "not-a-uuid")).toBeNull();
    expect(await deleteExperiment(shop.id, created.experimentId)).toBe(true);
    expect(await getExperiment(shop, created.experimentId)).toBeNull();
  });
});

describe("searchExperimentCreators", () => {
  it("finds creators by name or handle, in this shop only, a page at a time", async () => {
    const shop = await createShop();
    await createCreator(await createShop(), "Maya Elsewhere");
    for (let i = 0; i < 25; i++) await createCreator(shop, `Creator ${String(i).padStart(2, "0")}`);
    await createCreator(shop, "Maya Fit");
    expect((await searchExperimentCreators(shop.id, "maya")).map((creator) => creator.name)).toEqual(["Maya Fit"]);
    expect((await searchExperimentCreators(shop.id, "CREATOR-1")).length).toBe(10);
    expect((await searchExperimentCreators(shop.id, "")).length).toBe(20);
  });
});
