import { describe, expect, it } from "vitest";
import type { Entitlement, PlannedEntry, PostedEntry } from "./commission-facts";
import { reconcileEntries } from "./reconcile-entries";

const usd = { currencyCode: "USD" };
const share = (amountMinor: bigint, orderId = "o1"): Entitlement => ({
  sourceKey: `order:${orderId}:revenue-share`,
  kind: "COMMISSION",
  orderId,
  periodKey: null,
  amountMinor,
  reason: `10.00% revenue share on order ${orderId}`,
});
const posted = (entries: PlannedEntry[]): PostedEntry[] =>
  entries.map(({ sourceKey, amountMinor }) => ({ sourceKey, amountMinor }));

describe("reconcileEntries", () => {
  it("posts what is owed, once", () => {
    const plan = reconcileEntries([share(1_000n)], [], usd);
    expect(plan).toEqual([
      {
        sourceKey: "order:o1:revenue-share",
        kind: "COMMISSION",
        orderId: "o1",
        periodKey: null,
        amountMinor: 1_000n,
        idempotencyKey: "order:o1:revenue-share#0",
        reason: "10.00% revenue share on order o1",
      },
    ]);
    expect(reconcileEntries([share(1_000n)], posted(plan), usd)).toEqual([]);
  });

  it("reverses the posted total and posts the new amount when what is owed changes", () => {
    const ledger = posted(reconcileEntries([share(1_000n)], [], usd));
    const plan = reconcileEntries([share(600n)], ledger, { ...usd, orderNames: { o1: "#1001" } });
    expect(plan.map((e) => [e.kind, e.amountMinor, e.idempotencyKey, e.reason])).toEqual([
      ["REVERSAL", -1_000n, "order:o1:revenue-share#1", "Reverses $10.00 for revenue share on order #1001: now $6.00"],
      ["COMMISSION", 600n, "order:o1:revenue-share#2", "10.00% revenue share on order o1"],
    ]);
    expect(plan[0]).toMatchObject({ orderId: "o1", periodKey: null });
  });

  it("uses the caller's cause when it has one", () => {
    const plan = reconcileEntries([], [{ sourceKey: "order:o1:cpa", amountMinor: 500n }], {
      ...usd,
      orderNames: { o1: "#1001" },
      cause: "order cancelled",
    });
    expect(plan).toEqual([
      {
        sourceKey: "order:o1:cpa",
        kind: "REVERSAL",
        orderId: "o1",
        periodKey: null,
        amountMinor: -500n,
        idempotencyKey: "order:o1:cpa#1",
        reason: "Reverses $5.00 for CPA on order #1001: order cancelled",
      },
    ]);
  });

  it("reverses sources no longer owed, keeping their order or period from the key (ids may hold colons)", () => {
    const plan = reconcileEntries(
      [],
      [
        { sourceKey: "order:gid://shopify/Order/7:tiered", amountMinor: 300n },
        { sourceKey: "period:2026-11:bonus", amountMinor: 5_000n },
        { sourceKey: "deliverable:d1:flat-fee", amountMinor: 15_000n },
      ],
      { ...usd, deliverableTitles: { d1: "Unboxing" } },
    );
    expect(plan.map((e) => [e.sourceKey, e.orderId, e.periodKey, e.amountMinor, e.reason])).toEqual([
      ["deliverable:d1:flat-fee", null, null, -15_000n, "Reverses $150.00 for flat fee for “Unboxing”: no longer owed"],
      [
        "order:gid://shopify/Order/7:tiered",
        "gid://shopify/Order/7",
        null,
        -300n,
        "Reverses $3.00 for first-tier revenue share on order gid://shopify/Order/7: no longer owed",
      ],
      [
        "period:2026-11:bonus",
        null,
        "2026-11",
        -5_000n,
        "Reverses $50.00 for performance bonus for 2026-11: no longer owed",
      ],
    ]);
  });

  it("keeps the period of a deliverable's posted fee on its reversal, since the key names no period", () => {
    const ledger: PostedEntry[] = [
      { sourceKey: "deliverable:d1:flat-fee", amountMinor: 15_000n, orderId: null, periodKey: "2026-11" },
    ];
    expect(reconcileEntries([], ledger, usd)[0]).toMatchObject({
      kind: "REVERSAL",
      orderId: null,
      periodKey: "2026-11",
    });
  });

  it("numbers keys from the count of posted entries, even when they net to zero", () => {
    const ledger: PostedEntry[] = [
      { sourceKey: "order:o1:revenue-share", amountMinor: 1_000n },
      { sourceKey: "order:o1:revenue-share", amountMinor: -1_000n },
    ];
    expect(reconcileEntries([share(700n)], ledger, usd)).toEqual([
      expect.objectContaining({ kind: "COMMISSION", amountMinor: 700n, idempotencyKey: "order:o1:revenue-share#2" }),
    ]);
    expect(reconcileEntries([], ledger, usd)).toEqual([]);
  });

  it("treats a zero entitlement like none", () => {
    const ledger: PostedEntry[] = [{ sourceKey: "order:o1:revenue-share", amountMinor: 1_000n }];
    expect(reconcileEntries([share(0n)], ledger, usd)).toEqual([
      expect.objectContaining({ kind: "REVERSAL", amountMinor: -1_000n, idempotencyKey: "order:o1:revenue-share#1" }),
    ]);
    expect(reconcileEntries([share(0n)], [], usd)).toEqual([]);
  });

  it("orders the plan by source key, whatever the order of its inputs", () => {
    const expected = [share(1n, "b"), share(2n, "a"), share(3n, "c")];
    const ledger: PostedEntry[] = [{ sourceKey: "order:c:revenue-share", amountMinor: 9n }];
    const keys = (plan: PlannedEntry[]) => plan.map((e) => e.idempotencyKey);
    expect(keys(reconcileEntries(expected, ledger, usd))).toEqual([
      "order:a:revenue-share#0",
      "order:b:revenue-share#0",
      "order:c:revenue-share#1",
      "order:c:revenue-share#2",
    ]);
    expect(reconcileEntries([...expected].reverse(), ledger, usd)).toEqual(reconcileEntries(expected, ledger, usd));
  });

  it("proposes the same keys to two writers working from the same ledger, so the second collides", () => {
    const ledger = posted(reconcileEntries([share(1_000n)], [], usd));
    const first = reconcileEntries([share(800n)], ledger, usd);
    const second = reconcileEntries([share(900n)], ledger, usd);
    expect(first.map((e) => e.idempotencyKey)).toEqual(second.map((e) => e.idempotencyKey));
  });

  it("refuses two entitlements for one source", () => {
    expect(() => reconcileEntries([share(1n), share(2n)], [], usd)).toThrow(
      /Two entitlements for order:o1:revenue-share/,
    );
  });

  it("describes a key it did not make by the key itself", () => {
    expect(reconcileEntries([], [{ sourceKey: "manual:42", amountMinor: 100n }], usd)[0]).toMatchObject({
      kind: "REVERSAL",
      orderId: null,
      periodKey: null,
      reason: "Reverses $1.00 for manual:42: no longer owed",
    });
  });
});
