import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { parseTerms } from "~/domain/commissions/contract-terms-schema";
import { listCreators } from "~/models/creator.server";
import { createTestCreator, createTestShop } from "../../test/helpers/factories";
import { importCreators, previewCreatorImport, PREVIEW_CREATORS } from "./import-creators.server";

const HEADER = "Name,Email,Handle,Discount code,Revenue share (%),Sites and profiles,Platform,Funnel stage,Niche\n";
const file = (rows: string) => new TextEncoder().encode(HEADER + rows);
const bulk = (count: number, prefix = "C") =>
  Array.from({ length: count }, (_, index) => `${prefix} ${index},,${prefix.toLowerCase()}-${index},${prefix}CODE${index},10,,,,\n`).join("");

async function shopRows(shopId: string) {
  const [creators, codes, contracts] = await Promise.all([
    prisma.creator.count({ where: { shopId } }),
    prisma.discountCode.count({ where: { shopId } }),
    prisma.contract.count({ where: { shopId } }),
  ]);
  return { creators, codes, contracts };
}

describe("importCreators", () => {
  it("creates each creator with their discount code and a revenue share contract, as the add form does", async () => {
    const shop = await createTestShop();
    const now = new Date("2026-03-01T12:00:00Z");
    const result = await importCreators(
      prisma,
      shop.id,
      file("Maya Fit,Maya@Example.com,maya-fit,maya 10,12.5,instagram.com/maya mayafit.com,TikTok,Awareness,running\nNoor Haddad,,,NOOR15,15%,,,,\n"),
      now,
    );
    expect(result).toEqual({ ok: true, imported: 2 });
    const creators = await listCreators(shop.id);
    expect(creators.map(({ name, email, handle, discountCodes, revenueSharePercent, referrerDomains, platform, funnelStage, niche }) => ({ name, email, handle, discountCodes, revenueSharePercent, referrerDomains, platform, funnelStage, niche }))).toEqual([
      {
        name: "Maya Fit",
        email: "maya@example.com",
        handle: "maya-fit",
        discountCodes: ["maya 10"],
        revenueSharePercent: "12.50",
        referrerDomains: ["instagram.com/maya", "mayafit.com"],
        platform: "TIKTOK",
        funnelStage: "AWARENESS",
        niche: "running",
      },
      { name: "Noor Haddad", email: null, handle: "noor-haddad", discountCodes: ["NOOR15"], revenueSharePercent: "15.00", referrerDomains: [], platform: null, funnelStage: null, niche: null },
    ]);
    const code = await prisma.discountCode.findFirstOrThrow({ where: { shopId: shop.id, code: "maya 10" } });
    expect(code).toMatchObject({ normalizedCode: "MAYA10", origin: "LINKED" });
    const contract = await prisma.contract.findFirstOrThrow({ where: { creatorId: code.creatorId } });
    expect(contract).toMatchObject({ model: "REVENUE_SHARE", effectiveFrom: now });
    expect(parseTerms(contract.terms).components).toEqual([{ kind: "REVENUE_SHARE", percent: "12.50", overrides: [] }]);
  });

  it("refuses a file with any wrong row, writing nothing, and previews what stopped it", async () => {
    const shop = await createTestShop();
    const result = await importCreators(prisma, shop.id, file("Maya,,maya,MAYA10,10,,,,\nNoor,,noor,NOOR10,110,,,,\n"));
    expect(result).toMatchObject({
      ok: false,
      reason: "1 row has problems. Nothing was imported: fix it in the file and upload it again",
      preview: {
        toCreateCount: 1,
        errorCount: 1,
        errors: [{ row: 3, column: "Revenue share (%)", reason: "Revenue share cannot exceed 100%" }],
        importable: false,
      },
    });
    expect(await shopRows(shop.id)).toEqual({ creators: 0, codes: 0, contracts: 0 });
  });

  it("reports codes and handles the shop's creators have, and never looks at another shop's", async () => {
    const [shop, other] = await Promise.all([createTestShop(), createTestShop()]);
    await createTestCreator(shop.id, { name: "Maya Original", handle: "maya", discountCode: "Maya10" });
    await createTestCreator(other.id, { name: "Noor Elsewhere", handle: "noor", discountCode: "NOOR10" });
    const csv = file("Maya,,maya-new,MAYA 10,10,,,,\nMaya Two,,maya,MAYA2,10,,,,\nNoor,,noor,NOOR10,10,,,,\n");
    const checked = await previewCreatorImport(prisma, shop.id, csv);
    expect(checked).toMatchObject({
      ok: true,
      preview: {
        toCreateCount: 1,
        toCreate: [{ row: 4, name: "Noor", handle: "noor", discountCode: "NOOR10" }],
        duplicateCount: 2,
        duplicates: [
          { row: 2, column: "Discount code", reason: "Maya10 already belongs to Maya Original" },
          { row: 3, column: "Handle", reason: "maya is already the handle of Maya Original: choose another" },
        ],
        rowsWithProblems: 2,
        importable: false,
      },
    });
    expect(await importCreators(prisma, shop.id, csv)).toMatchObject({ ok: false, preview: { duplicateCount: 2 } });
    expect(await shopRows(shop.id)).toEqual({ creators: 1, codes: 1, contracts: 1 });
  });

  it("writes nothing when a code is taken between the check and the insert, even after earlier chunks went in", async () => {
    const shop = await createTestShop();
    // The conflict is in the third chunk of a thousand: the first two are inserted before PostgreSQL refuses it.
    const csv = file(bulk(2_500));
    let raced = false;
    const racing = new Proxy(prisma, {
      get(target, property, receiver) {
        if (property !== "$transaction") return Reflect.get(target, property, receiver);
        return async (...args: unknown[]) => {
          if (!raced) {
            raced = true;
            await createTestCreator(shop.id, { name: "Quick Merchant", handle: "quick", discountCode: "CCODE2400" });
          }
          return (target.$transaction as (...a: unknown[]) => Promise<unknown>)(...args);
        };
      },
    });
    const result = await importCreators(racing, shop.id, csv);
    expect(result).toMatchObject({
      ok: false,
      preview: { duplicates: [{ row: 2_402, column: "Discount code", reason: "CCODE2400 already belongs to Quick Merchant" }] },
    });
    expect(await shopRows(shop.id)).toEqual({ creators: 1, codes: 1, contracts: 1 });
  });

  it("imports 10,000 creators in a handful of statements, and previews only the first rows with full counts", async () => {
    const shop = await createTestShop();
    const counting = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL! }), log: [{ emit: "event", level: "query" }] });
    clients.push(counting);
    let statements = 0;
    counting.$on("query", () => (statements += 1));
    const csv = file(bulk(10_000));

    const checked = await previewCreatorImport(counting, shop.id, csv);
    expect(checked).toMatchObject({ ok: true, preview: { toCreateCount: 10_000, rowsWithProblems: 0, importable: true } });
    if (checked.ok) expect(checked.preview.toCreate).toHaveLength(PREVIEW_CREATORS);

    statements = 0;
    expect(await importCreators(counting, shop.id, csv)).toEqual({ ok: true, imported: 10_000 });
    // Two look-ups, then 3 tables × 10 chunks inside BEGIN/COMMIT: not a statement per creator.
    expect(statements).toBeGreaterThanOrEqual(32);
    expect(statements).toBeLessThan(40);
    expect(await shopRows(shop.id)).toEqual({ creators: 10_000, codes: 10_000, contracts: 10_000 });
  }, 120_000);
});

const clients: PrismaClient[] = [];
afterAll(() => Promise.all(clients.map((client) => client.$disconnect())));
