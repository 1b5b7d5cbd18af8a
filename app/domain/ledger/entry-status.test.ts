import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENTRY_STATUSES, entryStatus, ledgerBalances, type LedgerFacts } from "./entry-status";
import { selectPayable } from "./select-payable";

const NOW = new Date("2026-11-23T12:00:00Z");
const at = (iso: string) => new Date(iso);
const entry = (amountMinor: bigint, availableAt: string, paid = false): LedgerFacts => ({
  amountMinor,
  availableAt: at(availableAt),
  paid,
});

describe("entry status", () => {
  it("is pending during the hold, approved from the moment it ends, paid once a payout settles it", () => {
    const held = entry(1000n, "2026-11-23T12:00:01Z");
    expect(entryStatus(held, NOW)).toBe("PENDING");
    expect(entryStatus(held, at("2026-11-23T12:00:01Z"))).toBe("APPROVED");
    expect(entryStatus({ ...held, paid: true }, NOW)).toBe("PAID");
    expect(entryStatus({ ...held, paid: true }, at("2030-01-01T00:00:00Z"))).toBe("PAID");
  });

  it("sums balances per status, negative entries included", () => {
    const balances = ledgerBalances(
      [
        entry(5000n, "2026-12-01T00:00:00Z"), // pending
        entry(2500n, "2026-11-01T00:00:00Z"), // approved
        entry(-700n, "2026-11-20T00:00:00Z"), // a reversal, approved at once
        entry(4000n, "2026-10-01T00:00:00Z", true), // paid
      ],
      NOW,
    );
    expect(balances).toEqual({ pendingMinor: 5000n, approvedMinor: 1800n, paidMinor: 4000n, totalMinor: 10800n });
  });
});

describe("payable selection", () => {
  it("pays approved unpaid entries, clawbacks of paid commissions included", () => {
    const paidCommission = entry(4000n, "2026-10-01T00:00:00Z", true);
    const clawback = entry(-4000n, "2026-11-10T00:00:00Z");
    const newCommission = entry(6000n, "2026-11-15T00:00:00Z");
    const stillHeld = entry(9000n, "2026-12-15T00:00:00Z");
    const selection = selectPayable([paidCommission, clawback, newCommission, stillHeld], NOW);
    expect(selection).toEqual({ ok: true, entries: [clawback, newCommission], amountMinor: 2000n });
  });

  it("refuses when the approved total is zero or negative", () => {
    expect(selectPayable([], NOW)).toMatchObject({ ok: false, reason: "NOTHING_PAYABLE", amountMinor: 0n });
    expect(selectPayable([entry(-100n, "2026-11-01T00:00:00Z"), entry(100n, "2026-11-01T00:00:00Z")], NOW)).toMatchObject({
      ok: false,
      amountMinor: 0n,
    });
    expect(selectPayable([entry(-300n, "2026-11-01T00:00:00Z"), entry(100n, "2026-11-01T00:00:00Z")], NOW)).toMatchObject({
      ok: false,
      amountMinor: -200n,
    });
  });
});

// ---------- Properties ----------

const DAY = 86_400_000;
const arbitraryEntry = fc.record({
  amountMinor: fc.bigInt({ min: -1_000_000_000n, max: 1_000_000_000n }),
  availableAt: fc.integer({ min: -60, max: 60 }).map((days) => new Date(NOW.getTime() + days * DAY)),
  paid: fc.boolean(),
});
const arbitraryLedger = fc.array(arbitraryEntry, { maxLength: 60 });
const sum = (entries: readonly LedgerFacts[]) => entries.reduce((total, e) => total + e.amountMinor, 0n);

describe("ledger properties", () => {
  it("balances partition the ledger: each status sums its own entries, and they add up to the total", () => {
    fc.assert(
      fc.property(arbitraryLedger, (entries) => {
        const balances = ledgerBalances(entries, NOW);
        // Oracle written from the rule's words, not through entryStatus.
        const paid = entries.filter((e) => e.paid);
        const approved = entries.filter((e) => !e.paid && e.availableAt <= NOW);
        const pending = entries.filter((e) => !e.paid && e.availableAt > NOW);
        expect(balances.paidMinor).toBe(sum(paid));
        expect(balances.approvedMinor).toBe(sum(approved));
        expect(balances.pendingMinor).toBe(sum(pending));
        expect(balances.totalMinor).toBe(sum(entries));
      }),
      { numRuns: 500 },
    );
  });

  it("an unpaid entry only ever moves forward in time: pending, then approved", () => {
    fc.assert(
      fc.property(arbitraryEntry, fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 }), (e, a, b) => {
        const rank = (when: number) => ENTRY_STATUSES.indexOf(entryStatus(e, new Date(NOW.getTime() + (when - 60) * DAY)));
        expect(rank(Math.min(a, b))).toBeLessThanOrEqual(rank(Math.max(a, b)));
      }),
    );
  });

  it("a payout settles exactly the approved balance, never an entry twice, and leaves the total unchanged", () => {
    fc.assert(
      fc.property(arbitraryLedger, fc.integer({ min: 0, max: 30 }), (entries, laterDays) => {
        const before = ledgerBalances(entries, NOW);
        const selection = selectPayable(entries, NOW);
        expect(selection.amountMinor).toBe(before.approvedMinor);
        expect(selection.ok).toBe(before.approvedMinor > 0n);
        expect(selection.entries.every((e) => !e.paid && e.availableAt <= NOW)).toBe(true);
        if (!selection.ok) return;

        const chosen = new Set(selection.entries);
        const afterPayout = entries.map((e) => (chosen.has(e) ? { ...e, paid: true } : e));
        const after = ledgerBalances(afterPayout, NOW);
        expect(after).toEqual({
          pendingMinor: before.pendingMinor,
          approvedMinor: 0n,
          paidMinor: before.paidMinor + selection.amountMinor,
          totalMinor: before.totalMinor,
        });
        // Paying again at once finds nothing; later, only entries whose hold has ended since.
        expect(selectPayable(afterPayout, NOW)).toMatchObject({ ok: false, entries: [] });
        const later = new Date(NOW.getTime() + laterDays * DAY);
        const next = selectPayable(afterPayout, later);
        expect(next.entries.every((e) => !chosen.has(e) && e.availableAt > NOW && e.availableAt <= later)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
