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
}

export const DEMO_CREATORS: CreatorSeed[] = [
  {
    name: "Sarah Chen",
    email: "sarah@example.com",
    handle: "sarah-chen",
    referrerDomains: ["instagram.com/sarahchen", "sarahchen.blog"],
    discountCode: "SARAH10",
    revenueSharePercent: "10",
  },
  {
    name: "Marcus Johnson",
    email: "marcus@example.com",
    handle: "marcus",
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
    referrerDomains: ["tiktok.com/@livvybrown"],
    discountCode: "LIVVY12",
    revenueSharePercent: "12",
  },
  {
    name: "Noah Kim",
    email: "noah@example.com",
    handle: "noah-kim",
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
    const { contract, referrerDomains, ...fields } = creator;
    const form = { ...fields, referrerDomains: referrerDomains.join("\n") };
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
