// Sample data for the demo and the end-to-end tests, written through the app's own models.
// Importing this module opens the app's database client: set DATABASE_URL (and the Shopify env) first.
import { createCreator, listCreators } from "~/models/creator.server";
import { installShop } from "~/models/shop.server";
import { prisma } from "~/db.server";
import { SEEDED_ACCESS_TOKEN } from "./admin-api";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { termsForModel } from "~/domain/commissions/contract-presets";
import type { CompensationModel, ContractTerms } from "~/domain/commissions/contract-terms";
import { serializeTerms } from "~/domain/commissions/contract-terms-schema";
import { collectionsNamedBy } from "~/domain/commissions/rate-overrides";
import Decimal from "decimal.js";
import type { CreatorPlatform, FunnelStage } from "~/domain/metrics/segment-labels";
import { createExperiment } from "~/models/experiment.server";

export const DEFAULT_SCOPES = "read_orders,read_discounts,write_discounts,read_customers,read_products";

export const DEMO_SHOP = {
  domain: "demo-creator-store.myshopify.com",
  name: "Demo Creator Store",
  currencyCode: "USD",
  timezone: "America/New_York",
};

export interface CreatorSeed {
  name: string;
  email: string;
  /** The `ref` of their links, and what UTM values and cart attributes name. */
  handle: string;
  /** Where they post: a referrer from here credits them, and their code used elsewhere is flagged. */
  referrerDomains: string[];
  discountCode: string;
  revenueSharePercent: string;
  /** A contract other than the plain revenue share, in force for the whole demo history. */
  contract?: { model: CompensationModel; terms: ContractTerms };
  /** The segments the leaderboard filters by and the dashboard breaks down by. */
  segments: { platform: CreatorPlatform; funnelStage: FunnelStage; niche: string };
}

export const DEMO_CREATORS: CreatorSeed[] = [
  {
    name: "Sarah Chen",
    email: "sarah@example.com",
    handle: "sarah-chen",
    segments: { platform: "INSTAGRAM", funnelStage: "CONVERSION", niche: "skincare" },
    referrerDomains: ["instagram.com/sarahchen", "sarahchen.blog"],
    discountCode: "SARAH10",
    revenueSharePercent: "10",
  },
  {
    name: "Marcus Johnson",
    email: "marcus@example.com",
    handle: "marcus",
    segments: { platform: "YOUTUBE", funnelStage: "CONSIDERATION", niche: "fitness" },
    referrerDomains: ["youtube.com/@marcusjohnson"],
    discountCode: "MARCUS15",
    revenueSharePercent: "12.5",
    contract: {
      model: "TIERED",
      terms: termsForModel("TIERED", {
        metric: "REVENUE",
        mode: "MARGINAL",
        tiers: [
          { from: 0n, percent: "10.00" },
          { from: 100_000n, percent: "15.00" },
        ],
      }),
    },
  },
  {
    name: "Priya Patel",
    email: "priya@example.com",
    handle: "priya",
    segments: { platform: "TIKTOK", funnelStage: "AWARENESS", niche: "beauty" },
    referrerDomains: ["tiktok.com/@priyapatel"],
    discountCode: "PRIYA20",
    revenueSharePercent: "15",
    contract: {
      model: "HYBRID",
      terms: termsForModel("HYBRID", {
        baseMonthlyMinor: 20_000n,
        percent: "8.00",
      }),
    },
  },
  {
    name: "Diego Alvarez",
    email: "diego@example.com",
    handle: "diego",
    segments: { platform: "INSTAGRAM", funnelStage: "CONVERSION", niche: "fitness" },
    referrerDomains: ["instagram.com/diegoalvarez"],
    discountCode: "DIEGO10",
    revenueSharePercent: "8",
    contract: {
      model: "CPA",
      terms: termsForModel("CPA", {
        amountMinor: 1_200n,
        newCustomersOnly: true,
      }),
    },
  },
  {
    name: "Emma Wilson",
    email: "emma@example.com",
    handle: "emma-wilson",
    segments: { platform: "BLOG", funnelStage: "CONSIDERATION", niche: "wellness" },
    referrerDomains: ["emmawilson.co"],
    discountCode: "EMMA25",
    revenueSharePercent: "20",
    contract: {
      model: "RETAINER_BONUS",
      terms: termsForModel("RETAINER_BONUS", {
        monthlyMinor: 50_000n,
        bonus: { metric: "CONVERSIONS", threshold: 10n, amountMinor: 25_000n },
      }),
    },
  },
  {
    name: "Kenji Tanaka",
    email: "kenji@example.com",
    handle: "kenji",
    segments: { platform: "YOUTUBE", funnelStage: "AWARENESS", niche: "lifestyle" },
    referrerDomains: ["youtube.com/@kenjitanaka"],
    discountCode: "KENJI15",
    revenueSharePercent: "10",
    contract: {
      model: "REVENUE_SHARE",
      terms: termsForModel("REVENUE_SHARE", {
        percent: "15.00",
        capPerPeriodMinor: 15_000n,
      }),
    },
  },
  {
    name: "Olivia Brown",
    email: "olivia@example.com",
    handle: "livvy",
    segments: { platform: "TIKTOK", funnelStage: "CONVERSION", niche: "fashion" },
    referrerDomains: ["tiktok.com/@livvybrown"],
    discountCode: "LIVVY12",
    revenueSharePercent: "12",
  },
  {
    name: "Noah Kim",
    email: "noah@example.com",
    handle: "noah-kim",
    segments: { platform: "NEWSLETTER", funnelStage: "CONSIDERATION", niche: "lifestyle" },
    referrerDomains: ["noahkim.substack.com"],
    discountCode: "NOAH5",
    revenueSharePercent: "5",
  },
];

export interface ShopSeed {
  domain: string;
  name: string;
  currencyCode: string;
  timezone: string;
}

/**
 * The shop as if the merchant had installed the app: its Shop row and an offline session whose scopes match the
 * app's, so that authenticate.admin never needs a token exchange with Shopify.
 */
export async function seedShop(shop: ShopSeed = DEMO_SHOP, scopes = process.env.SCOPES || DEFAULT_SCOPES) {
  const row = await installShop(shop);
  const id = `offline_${shop.domain}`;
  const session = {
    shop: shop.domain,
    state: "",
    isOnline: false,
    scope: scopes,
    expires: null,
    accessToken: SEEDED_ACCESS_TOKEN,
  };
  await prisma.session.upsert({
    where: { id },
    create: { id, ...session },
    update: session,
  });
  return row;
}

const CONTRACTS_SINCE = new Date("2025-01-01T00:00:00Z");

/** Creates the creators whose codes are not taken yet; re-running changes nothing. */
export async function seedCreators(shopId: string, creators: readonly CreatorSeed[] = DEMO_CREATORS) {
  const existing = await listCreators(shopId);
  const taken = new Set(existing.flatMap((creator) => creator.discountCodes.map(normalizeDiscountCode)));
  const created: string[] = [];
  const skipped: string[] = [];
  for (const creator of creators) {
    if (taken.has(normalizeDiscountCode(creator.discountCode))) {
      skipped.push(creator.name);
      continue;
    }
    const { contract, referrerDomains, segments, ...fields } = creator;
    const form = { ...fields, ...segments, referrerDomains: referrerDomains.join("\n") };
    // Demo history goes back months: the creators' contracts are older than their orders.
    const result = await createCreator(shopId, form, CONTRACTS_SINCE);
    if (!result.ok) throw new Error(`Could not create ${creator.name}: ${JSON.stringify(result.fieldErrors)}`);
    if (contract) {
      await prisma.contract.create({
        data: {
          shopId,
          creatorId: result.creatorId,
          model: contract.model,
          terms: serializeTerms(contract.terms),
          effectiveFrom: new Date(CONTRACTS_SINCE.getTime() + 1_000),
        },
      });
    }
    await prisma.trackingLink.create({
      data: {
        shopId,
        creatorId: result.creatorId,
        slug: demoLinkSlug(creator.handle),
        label: "Link in bio",
        utmSource: DEMO_PLATFORMS[creator.handle] ?? "instagram",
        utmCampaign: creator.handle,
      },
    });
    created.push(creator.name);
  }
  return { created, skipped };
}

/**
 * What the merchant spent on the demo creators besides their contracts: a sponsorship fee or two and products sent
 * for review, in the last weeks. Added once: a shop that has costs already keeps them.
 */
export async function seedCreatorCosts(shopId: string, today: string): Promise<number> {
  if (await prisma.creatorCost.count({ where: { shopId } })) return 0;
  const creators = await prisma.creator.findMany({ where: { shopId }, select: { id: true, handle: true } });
  const idOf = new Map(creators.map((creator) => [creator.handle, creator.id]));
  const daysAgo = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000);
  const costs = [
    { handle: "priya", kind: "FLAT_FEE", description: "TikTok launch video sponsorship", amountMinor: 30_000n, days: 20 },
    { handle: "kenji", kind: "FLAT_FEE", description: "YouTube integration (60 s read)", amountMinor: 45_000n, days: 25 },
    { handle: "emma-wilson", kind: "PRODUCT_SEEDING", description: "Review kit", amountMinor: 7_200n, days: 27, quantity: 3, unitCostMinor: 2_400n },
    { handle: "sarah-chen", kind: "PRODUCT_SEEDING", description: "New-season samples", amountMinor: 5_600n, days: 18, quantity: 4, unitCostMinor: 1_400n },
  ] as const;
  const rows = costs.filter((cost) => idOf.has(cost.handle));
  await prisma.creatorCost.createMany({
    data: rows.map((cost) => ({
      shopId,
      creatorId: idOf.get(cost.handle)!,
      kind: cost.kind,
      description: cost.description,
      incurredOn: daysAgo(cost.days),
      amountMinor: cost.amountMinor,
      ...("quantity" in cost ? { quantity: cost.quantity, unitCostMinor: cost.unitCostMinor, unitCostSource: "MERCHANT" as const } : {}),
    })),
  });
  return rows.length;
}

/**
 * The demo's two incrementality tests, over the replayed month: a geo split in which the creator's content ran in
 * the exposed states for the last two weeks, and a period holdout in which another creator's content paused. The
 * orders that make the difference are placed by the caller; this writes the experiments as the merchant's form would.
 */
export const DEMO_EXPERIMENTS = {
  geoSplit: { handle: "priya", exposed: ["US-CA", "US-WA", "US-OR"], control: ["US-TX", "US-FL", "US-GA"] },
  holdout: { handle: "kenji" },
} as const;

export async function seedExperiments(shop: { id: string; timezone: string }, today: string): Promise<string[]> {
  const day = (ago: number) => new Date(Date.parse(`${today}T00:00:00Z`) - ago * 86_400_000).toISOString().slice(0, 10);
  const creator = (handle: string) => prisma.creator.findUnique({ where: { shopId_handle: { shopId: shop.id, handle } } });
  const [priya, kenji] = [await creator(DEMO_EXPERIMENTS.geoSplit.handle), await creator(DEMO_EXPERIMENTS.holdout.handle)];
  const created: string[] = [];
  for (const input of [
    priya && {
      name: `${priya.name} — TikTok geo split`,
      design: "GEO_SPLIT",
      creatorIds: [priya.id],
      exposedRegions: DEMO_EXPERIMENTS.geoSplit.exposed.join(", "),
      controlRegions: DEMO_EXPERIMENTS.geoSplit.control.join(", "),
      startsOn: day(14),
      endsOn: day(1),
      baselineStartsOn: day(28),
      baselineEndsOn: day(15),
      notes: "Videos ran on the West Coast only; the South saw none.",
    },
    kenji && {
      name: `${kenji.name} — YouTube pause`,
      design: "PERIOD_HOLDOUT",
      creatorIds: [kenji.id],
      startsOn: day(28),
      endsOn: day(15),
      baselineStartsOn: day(14),
      baselineEndsOn: day(1),
      notes: "Integrations ran for two weeks, then paused for two.",
    },
  ]) {
    if (!input || (await prisma.experiment.count({ where: { shopId: shop.id, name: input.name } }))) continue;
    const result = await createExperiment(shop, input);
    if (!result.ok) throw new Error(`Could not create the experiment ${input.name}: ${JSON.stringify(result.fieldErrors)}`);
    created.push(input.name);
  }
  return created;
}

/** The demo creator whose revenue share pays one of the shop's collections a rate of its own. */
export const DEMO_COLLECTION_RATE = { handle: "sarah-chen", collectionTitle: "Best Sellers", percent: "20.00" } as const;

/**
 * Gives the demo creator a rate on one of the simulated shop's collections. The simulator makes its catalog afresh
 * each run (new gids), so the version is written for this run: in force over the whole demo history, replacing the
 * one an earlier run wrote. The collection is queued for reading from Shopify, as saving the contract in the admin
 * would queue it; the worker reads it and posts the creator's orders again.
 */
export async function seedCollectionRate(shopId: string, collection: { gid: string; title: string }) {
  const seeded = DEMO_CREATORS.find((creator) => creator.handle === DEMO_COLLECTION_RATE.handle)!;
  const creator = await prisma.creator.findUnique({ where: { shopId_handle: { shopId, handle: seeded.handle } } });
  if (!creator) return null;
  const terms = termsForModel("REVENUE_SHARE", {
    percent: new Decimal(seeded.revenueSharePercent).toFixed(2),
    overrides: [{ target: { type: "COLLECTION", ...collection }, percent: DEMO_COLLECTION_RATE.percent }],
  });
  const effectiveFrom = new Date(CONTRACTS_SINCE.getTime() + 2_000);
  const { requestCollectionSyncs } = await import("~/services/collection-sync.server");
  const syncs = await prisma.$transaction(async (tx) => {
    await tx.contract.deleteMany({ where: { shopId, creatorId: creator.id, effectiveFrom } });
    await tx.contract.create({
      data: { shopId, creatorId: creator.id, model: "REVENUE_SHARE", terms: serializeTerms(terms), effectiveFrom },
    });
    return requestCollectionSyncs(tx, shopId, collectionsNamedBy(terms));
  });
  const { enqueueCollectionSyncSteps } = await import("~/jobs/shopify-admin-worker.server");
  const { createRedis, createShopifyAdminQueue } = await import("~/queues.server");
  const connection = createRedis({ failFast: true });
  const queue = createShopifyAdminQueue(connection);
  try {
    await enqueueCollectionSyncSteps(queue, syncs);
  } finally {
    await queue.close();
    connection.disconnect();
  }
  return { creator: creator.name, collection: collection.title, percent: DEMO_COLLECTION_RATE.percent };
}

const DEMO_PLATFORMS: Record<string, string> = {
  marcus: "youtube",
  kenji: "youtube",
  priya: "tiktok",
  livvy: "tiktok",
  "noah-kim": "newsletter",
  "emma-wilson": "blog",
};

/** Demo links have fixed slugs (8 letters and digits, like every link's) so the simulator's shoppers can use them. */
export function demoLinkSlug(handle: string): string {
  return `D${handle.replace(/[^a-z0-9]/gi, "")}0000000`.slice(0, 8);
}

export async function disconnect(): Promise<void> {
  await prisma.$disconnect();
}

export { prisma };
