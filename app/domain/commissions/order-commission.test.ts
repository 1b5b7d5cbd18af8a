import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planOrderLedgerEntries, type OrderCommissionFacts, type PostedEntry } from "./order-commission";

const base: OrderCommissionFacts = {
  orderId: "o1",
  orderName: "#1001",
  currencyCode: "USD",
  netMerchandiseMinor: 10_000n,
  cancelled: false,
  creatorId: "sarah",
  contract: { revenueSharePercent: "10.00" },
};

const toPosted = (entries: ReturnType<typeof planOrderLedgerEntries>): PostedEntry[] =>
  entries.map(({ creatorId, amountMinor }) => ({ creatorId, amountMinor }));

describe("planOrderLedgerEntries", () => {
  it("posts the commission once", () => {
    const first = planOrderLedgerEntries(base, []);
    expect(first).toEqual([
      expect.objectContaining({ kind: "COMMISSION", amountMinor: 1000n, creatorId: "sarah", idempotencyKey: "order-o1-creator-sarah-0" }),
    ]);
    expect(first[0]!.reason).toBe("10.00% revenue share of $100.00 net merchandise on order #1001");
    expect(planOrderLedgerEntries(base, toPosted(first))).toEqual([]);
  });

  it("reverses and re-posts when the net changes", () => {
    const posted = toPosted(planOrderLedgerEntries(base, []));
    const plan = planOrderLedgerEntries({ ...base, netMerchandiseMinor: 6_000n }, posted);
    expect(plan.map((e) => [e.kind, e.amountMinor, e.idempotencyKey])).toEqual([
      ["REVERSAL", -1000n, "order-o1-creator-sarah-1"],
      ["COMMISSION", 600n, "order-o1-creator-sarah-2"],
    ]);
    expect(plan[0]!.reason).toBe("Reverses $10.00 on order #1001: net merchandise is now $60.00");
  });

  it("moves the commission when the order changes hands", () => {
    const posted = toPosted(planOrderLedgerEntries(base, []));
    const plan = planOrderLedgerEntries({ ...base, creatorId: "maya" }, posted);
    expect(plan.map((e) => [e.creatorId, e.kind, e.amountMinor])).toEqual([
      ["maya", "COMMISSION", 1000n],
      ["sarah", "REVERSAL", -1000n],
    ]);
  });

  it("posts nothing for a cancelled order, an unattributed order or a creator without a contract", () => {
    expect(planOrderLedgerEntries({ ...base, cancelled: true }, [])).toEqual([]);
    expect(planOrderLedgerEntries({ ...base, creatorId: null }, [])).toEqual([]);
    expect(planOrderLedgerEntries({ ...base, contract: null }, [])).toEqual([]);
  });

  it("keeps each creator's entries summing to what the latest facts say, through any sequence of changes", () => {
    const factsArb = fc.record({
      netMerchandiseMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      cancelled: fc.boolean(),
      creatorId: fc.constantFrom("sarah", "maya", null),
      percent: fc.constantFrom("0.00", "5.00", "12.50", "33.33", "100.00"),
    });
    fc.assert(
      fc.property(fc.array(factsArb, { minLength: 1, maxLength: 12 }), (versions) => {
        const ledger: ReturnType<typeof planOrderLedgerEntries> = [];
        for (const version of versions) {
          const facts = { ...base, ...version, contract: { revenueSharePercent: version.percent } };
          const plan = planOrderLedgerEntries(facts, toPosted(ledger));
          ledger.push(...plan);
          // Replaying the same facts changes nothing.
          expect(planOrderLedgerEntries(facts, toPosted(ledger))).toEqual([]);
        }
        const last = versions.at(-1)!;
        // Oracle, independent of the engine: exact share rounded half up, nothing when cancelled or unattributed.
        const bps = BigInt(Math.round(Number(last.percent) * 100));
        const expected =
          last.cancelled || last.creatorId === null ? 0n : (last.netMerchandiseMinor * bps + 5000n) / 10000n;
        for (const creatorId of ["sarah", "maya"]) {
          const total = ledger.filter((e) => e.creatorId === creatorId).reduce((sum, e) => sum + e.amountMinor, 0n);
          expect(total).toBe(creatorId === last.creatorId ? expected : 0n);
        }
        const keys = ledger.map((e) => e.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 2000 },
    );
  });
});
