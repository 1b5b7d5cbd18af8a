import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.QUEUE_PREFIX = `test-deliverable-${process.pid}-${Date.now()}`;
});

import { prisma } from "~/db.server";
import { termsForModel } from "~/domain/commissions/contract-presets";
import { serializeTerms } from "~/domain/commissions/contract-terms-schema";
import { createCommissionsQueue, createRedis, settleJobId } from "~/queues.server";
import { settleCreatorPeriod } from "~/services/post-commissions.server";
import { createTestCreator, createTestShop } from "../../test/helpers/factories";
import { addDeliverable, listDeliverables } from "./deliverable.server";

const connection = createRedis({ failFast: false });
const queue = createCommissionsQueue(connection);
const testQueue = () => queue;

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
});

// 10:00 in New York on November 15th.
const NOW = new Date("2026-11-15T15:00:00Z");

describe("addDeliverable", () => {
  it("records the deliverable, marks its pay period changed and enqueues the settlement that pays its flat fee", async () => {
    const shop = await createTestShop({ timezone: "America/New_York" });
    const creator = await createTestCreator(shop.id);
    await prisma.contract.create({
      data: {
        shopId: shop.id,
        creatorId: creator.id,
        model: "FLAT_FEE",
        terms: serializeTerms(termsForModel("FLAT_FEE", { feesMinor: { VIDEO: 40_000n } })),
        effectiveFrom: new Date("2026-01-01T00:00:00Z"),
      },
    });

    const result = await addDeliverable(
      shop.id,
      creator.id,
      { kind: "VIDEO", title: "  Unboxing  ", url: "https://example.com/watch?v=1", deliveredOn: "2026-10-31" },
      NOW,
      testQueue,
    );
    if (!result?.ok) throw new Error(`expected the deliverable to be added: ${JSON.stringify(result)}`);
    const stored = await prisma.deliverable.findUniqueOrThrow({ where: { id: result.deliverableId } });
    // Noon in New York on the day delivered.
    expect(stored).toMatchObject({ kind: "VIDEO", title: "Unboxing", url: "https://example.com/watch?v=1" });
    expect(stored.deliveredAt).toEqual(new Date("2026-10-31T16:00:00Z"));
    expect(result.period).toEqual({ shopId: shop.id, creatorId: creator.id, periodKey: "2026-10", changeVersion: 1 });
    expect((await queue.getJob(settleJobId(result.period)))?.data).toEqual(result.period);

    await prisma.$transaction((tx) => settleCreatorPeriod(tx, result.period));
    const fees = await prisma.ledgerEntry.findMany({ where: { creatorId: creator.id, kind: "FLAT_FEE" } });
    expect(fees.map((entry) => [entry.periodKey, entry.amountMinor, entry.sourceKey])).toEqual([
      ["2026-10", 40_000n, `deliverable:${stored.id}:flat-fee`],
    ]);
  });

  it("records a deliverable delivered today no later than now", async () => {
    const shop = await createTestShop({ timezone: "America/New_York" });
    const creator = await createTestCreator(shop.id);
    const result = await addDeliverable(shop.id, creator.id, { kind: "STORY", title: "Morning story", deliveredOn: "2026-11-15" }, NOW, testQueue);
    if (!result?.ok) throw new Error("expected the deliverable to be added");
    const stored = await prisma.deliverable.findUniqueOrThrow({ where: { id: result.deliverableId } });
    expect(stored.deliveredAt).toEqual(NOW); // noon has not come yet in New York
    expect(stored.url).toBeNull();
    expect(result.period.periodKey).toBe("2026-11");
  });

  it("answers per-field messages and records nothing", async () => {
    const shop = await createTestShop({ timezone: "America/New_York" });
    const creator = await createTestCreator(shop.id);
    const errorsOf = async (raw: Record<string, string>) => {
      const result = await addDeliverable(shop.id, creator.id, raw, NOW, testQueue);
      if (result === null || result.ok) throw new Error(`expected errors for ${JSON.stringify(raw)}`);
      return result.fieldErrors;
    };
    expect(await errorsOf({ kind: "TWEET", title: "", url: "ftp://example.com/x", deliveredOn: "" })).toEqual({
      kind: "Choose what the creator delivered",
      title: "Enter a title, like “Unboxing video”",
      url: "Enter a link starting with https://, or leave it blank",
      deliveredOn: "Enter the day it was delivered",
    });
    expect(await errorsOf({ kind: "POST", title: "Launch", url: "not a link", deliveredOn: "2026-11-16" })).toEqual({
      url: "Enter a link starting with https://, or leave it blank",
      deliveredOn: "Choose today or an earlier day: a deliverable cannot be delivered in the future",
    });
    expect(await errorsOf({ kind: "POST", title: "x".repeat(201), deliveredOn: "2026-13-01" })).toEqual({
      title: "Keep the title under 200 characters",
      deliveredOn: "Enter a date like 2026-11-05",
    });
    expect(await prisma.deliverable.count({ where: { creatorId: creator.id } })).toBe(0);
    expect(await prisma.creatorPeriod.count({ where: { creatorId: creator.id } })).toBe(0);
  });

  it("answers null for another shop's creator", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const theirs = await createTestCreator(other.id);
    expect(await addDeliverable(shop.id, theirs.id, { kind: "POST", title: "x", deliveredOn: "2026-11-01" }, NOW, testQueue)).toBeNull();
    expect(await addDeliverable(shop.id, "nope", { kind: "POST", title: "x", deliveredOn: "2026-11-01" }, NOW, testQueue)).toBeNull();
    expect(await prisma.deliverable.count({ where: { creatorId: theirs.id } })).toBe(0);
  });
});

describe("listDeliverables", () => {
  it("lists the shop's creator's deliverables, most recently delivered first", async () => {
    const shop = await createTestShop();
    const creator = await createTestCreator(shop.id);
    for (const [title, deliveredOn] of [
      ["First", "2026-10-02"],
      ["Latest", "2026-11-03"],
      ["Middle", "2026-10-20"],
    ]) {
      await addDeliverable(shop.id, creator.id, { kind: "POST", title: title!, deliveredOn: deliveredOn! }, NOW, testQueue);
    }
    expect((await listDeliverables(shop.id, creator.id)).map((d) => d.title)).toEqual(["Latest", "Middle", "First"]);
    const other = await createTestShop();
    expect(await listDeliverables(other.id, creator.id)).toEqual([]);
  });
});
