import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createTestShop } from "../../test/helpers/factories";
import { updateShopSettings } from "./shop.server";

describe("shop settings", () => {
  it("saves hold days for this shop only", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    expect(await updateShopSettings(shop.id, { holdDays: "14" })).toMatchObject({ ok: true, shop: { holdDays: 14 } });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: other.id } })).holdDays).toBe(30);
  });

  it.each([
    ["-1", "Hold days cannot be negative"],
    ["400", "Hold commissions for at most 365 days"],
    ["2.5", "Enter a whole number of days"],
    ["abc", "Enter a number of days"],
  ])("refuses %s with a message", async (holdDays, message) => {
    const shop = await createTestShop();
    expect(await updateShopSettings(shop.id, { holdDays })).toEqual({ ok: false, fieldErrors: { holdDays: message } });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).holdDays).toBe(30);
  });
});
