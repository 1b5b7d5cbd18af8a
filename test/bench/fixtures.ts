// Shops and creators for the benchmarks, made in bulk: one creator through the app's own model (so the contract
// terms are what the app writes), the rest cloned from it in SQL. Creator n has handle "bench-n", code "BENCHn",
// a 10% revenue share from 2020 on, and the email creator-n@bench.test.
import { randomBytes } from "node:crypto";
import type { Shop } from "@prisma/client";
import { prisma } from "~/db.server";
import { createCreator } from "~/models/creator.server";
import { installShop } from "~/models/shop.server";

export const benchCode = (n: number) => `BENCH${n}`;

export async function createBenchShop(label: string, timezone = "America/New_York"): Promise<Shop> {
  const domain = `bench-${label}-${randomBytes(3).toString("hex")}.myshopify.com`;
  return installShop({ domain, name: `Bench ${label}`, currencyCode: "USD", timezone });
}

/** `count` creators numbered 1…count; answers their ids in that order. */
export async function createBenchCreators(shopId: string, count: number): Promise<string[]> {
  const first = await createCreator(
    shopId,
    { name: "Bench creator 000001", email: "creator-1@bench.test", handle: "bench-1", referrerDomains: "", customerGid: "", discountCode: benchCode(1), revenueSharePercent: "10" },
    new Date("2020-01-01T00:00:00Z"),
  );
  if (!first.ok) throw new Error(`bench creator not created: ${JSON.stringify(first.fieldErrors)}`);
  if (count > 1) {
    await prisma.$executeRaw`
      INSERT INTO "Creator" ("id", "shopId", "name", "email", "handle", "updatedAt")
      SELECT gen_random_uuid(), ${shopId}::uuid, 'Bench creator ' || lpad(n::text, 6, '0'), 'creator-' || n || '@bench.test', 'bench-' || n, now()
      FROM generate_series(2, ${count}::int) AS n`;
    await prisma.$executeRaw`
      INSERT INTO "DiscountCode" ("id", "shopId", "creatorId", "code", "normalizedCode")
      SELECT gen_random_uuid(), c."shopId", c."id", 'BENCH' || substr(c."handle", 7), 'BENCH' || substr(c."handle", 7)
      FROM "Creator" c WHERE c."shopId" = ${shopId}::uuid AND c."id" <> ${first.creatorId}::uuid`;
    await prisma.$executeRaw`
      INSERT INTO "Contract" ("id", "shopId", "creatorId", "model", "terms", "effectiveFrom")
      SELECT gen_random_uuid(), c."shopId", c."id", t."model", t."terms", t."effectiveFrom"
      FROM "Creator" c CROSS JOIN (SELECT * FROM "Contract" WHERE "creatorId" = ${first.creatorId}::uuid) t
      WHERE c."shopId" = ${shopId}::uuid AND c."id" <> ${first.creatorId}::uuid`;
  }
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id"::text FROM "Creator" WHERE "shopId" = ${shopId}::uuid ORDER BY substr("handle", 7)::int`;
  return rows.map((row) => row.id);
}
