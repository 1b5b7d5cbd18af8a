import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createTestShop } from "../../test/helpers/factories";
import { createCreator, getCreator, listCreators, updateCreator } from "./creator.server";

const BASE = {
  name: "Maya Fit",
  email: "",
  handle: "maya-fit",
  referrerDomains: "",
  customerGid: "",
  discountCode: "MAYA10",
  revenueSharePercent: "10",
};

describe("creator segments (platform, funnel stage, niche)", () => {
  it("saves the segment tags given when adding, the niche trimmed, and lists them", async () => {
    const shop = await createTestShop();
    const result = await createCreator(shop.id, { ...BASE, platform: "TIKTOK", funnelStage: "AWARENESS", niche: "  trail running  " });
    expect(result).toEqual({ ok: true, creatorId: expect.any(String) });
    if (!result.ok) return;
    expect(await getCreator(shop.id, result.creatorId)).toMatchObject({ platform: "TIKTOK", funnelStage: "AWARENESS", niche: "trail running" });
    expect((await listCreators(shop.id)).map(({ platform, funnelStage, niche }) => ({ platform, funnelStage, niche }))).toEqual([
      { platform: "TIKTOK", funnelStage: "AWARENESS", niche: "trail running" },
    ]);
  });

  it("leaves every tag unset when the form sends blanks or a seed leaves them out", async () => {
    const shop = await createTestShop();
    const blank = await createCreator(shop.id, { ...BASE, platform: "", funnelStage: "", niche: "   " });
    const absent = await createCreator(shop.id, { ...BASE, handle: "other", discountCode: "OTHER10" });
    for (const result of [blank, absent]) {
      if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
      const row = await prisma.creator.findUniqueOrThrow({ where: { id: result.creatorId } });
      expect({ platform: row.platform, funnelStage: row.funnelStage, niche: row.niche }).toEqual({ platform: null, funnelStage: null, niche: null });
    }
  });

  it("names the field of a platform or stage that is not one of the choices, and of a niche over 60 characters", async () => {
    const shop = await createTestShop();
    const result = await createCreator(shop.id, { ...BASE, platform: "MYSPACE", funnelStage: "RETENTION", niche: "x".repeat(61) });
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        platform: "Choose where the creator publishes from the list",
        funnelStage: "Choose a funnel stage from the list",
        niche: "Keep the niche to 60 characters or fewer, like running or vegan baking",
      },
    });
    expect(await prisma.creator.count({ where: { shopId: shop.id } })).toBe(0);
    // Exactly 60 is fine.
    expect((await createCreator(shop.id, { ...BASE, niche: "y".repeat(60) })).ok).toBe(true);
  });

  it("changes and clears the tags when editing, and leaves another shop's creator alone", async () => {
    const shop = await createTestShop();
    const created = await createCreator(shop.id, { ...BASE, platform: "YOUTUBE", funnelStage: "CONSIDERATION", niche: "cycling" });
    if (!created.ok) throw new Error("not created");
    const { revenueSharePercent: _, ...edit } = BASE;

    expect(await updateCreator(shop.id, created.creatorId, { ...edit, platform: "PODCAST", funnelStage: "CONVERSION", niche: "gravel" })).toEqual({
      ok: true,
      creatorId: created.creatorId,
    });
    expect(await getCreator(shop.id, created.creatorId)).toMatchObject({ platform: "PODCAST", funnelStage: "CONVERSION", niche: "gravel" });

    await updateCreator(shop.id, created.creatorId, { ...edit, platform: "", funnelStage: "", niche: "" });
    expect(await getCreator(shop.id, created.creatorId)).toMatchObject({ platform: null, funnelStage: null, niche: null });

    const otherShop = await createTestShop();
    expect(await updateCreator(otherShop.id, created.creatorId, { ...edit, platform: "BLOG" })).toBeNull();
    expect((await getCreator(shop.id, created.creatorId))?.platform).toBeNull();
  });
});
