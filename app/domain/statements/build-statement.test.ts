import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ledgerBalances } from "../ledger/entry-status";
import { convertToPayoutCurrency } from "../ledger/payout-fx";
import {
  buildStatement,
  entryStatementInstant,
  STATEMENT_ENTRY_KINDS,
  StatementDoesNotReconcileError,
  type CarriedLedger,
  type Statement,
  type StatementEntryFacts,
  type StatementInput,
  type StatementPayoutFacts,
} from "./build-statement";
import { previousStatementPeriod, statementPeriodByKey, statementPeriodOf, STATEMENT_CADENCES, type StatementCadence } from "./statement-periods";

const at = (iso: string) => new Date(iso);
const UTC = "UTC";
const NOVEMBER = statementPeriodByKey("2026-11", UTC)!;
const LONG_AGO = at("2000-01-01T00:00:00Z");

let ids = 0;
function entry(overrides: Partial<StatementEntryFacts> & Pick<StatementEntryFacts, "amountMinor" | "createdAt">): StatementEntryFacts {
  ids += 1;
  return {
    id: `e${ids}`,
    kind: "COMMISSION",
    reason: `Entry ${ids}`,
    availableAt: overrides.createdAt,
    order: null,
    periodKey: null,
    settledAt: null,
    clawback: false,
    ...overrides,
  };
}

function payout(overrides: Partial<StatementPayoutFacts> & Pick<StatementPayoutFacts, "amountMinor" | "createdAt">): StatementPayoutFacts {
  return {
    id: `p${overrides.createdAt.getTime()}`,
    paidAt: overrides.createdAt,
    method: "PAYPAL",
    reference: null,
    payoutCurrency: "USD",
    payoutAmountMinor: overrides.amountMinor,
    fxRate: "1",
    ...overrides,
  };
}

const base = (overrides: Partial<StatementInput> = {}): StatementInput => ({
  period: NOVEMBER,
  timezone: UTC,
  shopCurrency: "USD",
  payoutCurrency: "USD",
  fxRate: "1",
  historyCutoffAt: LONG_AGO,
  entries: [],
  payouts: [],
  ...overrides,
});

describe("a creator's statement", () => {
  it("opens with what was owed before the period, lists its movements by kind and closes with what is owed after", () => {
    const paidInOctober = entry({ amountMinor: 5_000n, createdAt: at("2026-10-03T10:00:00Z"), settledAt: at("2026-11-05T09:00:00Z") });
    const unpaidFromOctober = entry({ amountMinor: 700n, createdAt: at("2026-10-20T10:00:00Z") });
    const statement = buildStatement(
      base({
        entries: [
          paidInOctober,
          unpaidFromOctober,
          entry({
            amountMinor: 1_250n,
            createdAt: at("2026-11-03T10:05:00Z"),
            availableAt: at("2026-12-03T10:05:00Z"),
            order: { name: "#1001", processedAt: at("2026-11-03T10:00:00Z") },
            reason: "10.00% revenue share of $125.00 net merchandise on order #1001",
          }),
          entry({
            kind: "REVERSAL",
            amountMinor: -5_000n,
            createdAt: at("2026-11-10T08:00:00Z"),
            order: { name: "#0990", processedAt: at("2026-10-03T09:00:00Z") },
            clawback: true,
            reason: "Reverses $50.00 for order #0990: refunded",
          }),
          entry({ kind: "RETAINER", amountMinor: 30_000n, createdAt: at("2026-11-01T00:10:00Z"), periodKey: "2026-11", reason: "November retainer" }),
          entry({ kind: "ADJUSTMENT", amountMinor: -300n, createdAt: at("2026-11-20T12:00:00Z"), reason: "Sample not returned" }),
          entry({ amountMinor: 999n, createdAt: at("2026-12-02T00:00:00Z"), order: { name: "#1100", processedAt: at("2026-12-01T23:00:00Z") } }),
        ],
        payouts: [payout({ amountMinor: 5_000n, createdAt: at("2026-11-05T09:00:00Z"), reference: "PP-1" })],
      }),
    );

    expect(statement.opening).toEqual({ shopMinor: 5_700n, minor: 5_700n });
    expect(statement.groups.map((group) => [group.title, group.subtotal.shopMinor])).toEqual([
      ["Commissions", 1_250n],
      ["Period pay", 30_000n],
      ["Reversals and clawbacks", -5_000n],
      ["Adjustments", -300n],
      ["Payouts", -5_000n],
    ]);
    const [commission] = statement.groups[0]!.lines;
    expect(commission).toMatchObject({ label: "Commission", date: "2026-11-03", orderName: "#1001", status: "PENDING" });
    expect(statement.groups[2]!.lines[0]).toMatchObject({ label: "Clawback", orderName: "#0990", date: "2026-11-10" });
    expect(statement.groups[4]!.lines[0]).toMatchObject({ label: "Payout", description: "PayPal · PP-1", status: null });
    expect(statement.closing.shopMinor).toBe(5_700n + 1_250n + 30_000n - 5_000n - 300n - 5_000n);
    // Pending: the November commission; approved: the rest that is unpaid (October's 7.00, the retainer, the
    // clawback and the deduction).
    expect(statement.pending.shopMinor).toBe(1_250n);
    expect(statement.approved.shopMinor).toBe(700n + 30_000n - 5_000n - 300n);
    expect(statement.roundingMinor).toBe(0n);
    expect(statement.hasActivity).toBe(true);
  });

  it("counts a late entry in its order's period when it was posted before the statements were due, else when posted", () => {
    const order = { name: "#2000", processedAt: at("2026-11-30T23:50:00Z") };
    const inGrace = entry({ amountMinor: 100n, createdAt: at("2026-12-01T05:59:59Z"), order });
    // A reversal counts when it was posted, like the refund it records.
    expect(entryStatementInstant({ ...inGrace, kind: "REVERSAL" }, "MONTHLY", UTC, at("2027-01-01T00:00:00Z"))).toEqual(inGrace.createdAt);
    const tooLate = entry({ amountMinor: 200n, createdAt: at("2026-12-01T06:00:00Z"), order });
    expect(entryStatementInstant(inGrace, "MONTHLY", UTC, LONG_AGO)).toEqual(order.processedAt);
    expect(entryStatementInstant(tooLate, "MONTHLY", UTC, LONG_AGO)).toEqual(tooLate.createdAt);
    // Before the shop's statements began, history counts where it belongs however late it was posted.
    expect(entryStatementInstant(tooLate, "MONTHLY", UTC, at("2027-01-01T00:00:00Z"))).toEqual(order.processedAt);
    // Pay for a period posted in advance counts when it was posted.
    const retainer = entry({ amountMinor: 300n, createdAt: at("2026-11-01T00:00:00Z"), periodKey: "2026-11" });
    expect(entryStatementInstant(retainer, "WEEKLY", UTC, LONG_AGO)).toEqual(retainer.createdAt);

    const november = buildStatement(base({ entries: [inGrace, tooLate] }));
    const december = buildStatement(base({ period: statementPeriodByKey("2026-12", UTC)!, entries: [inGrace, tooLate] }));
    expect(november.closing.shopMinor).toBe(100n);
    expect(december.opening.shopMinor).toBe(100n);
    expect(december.groups[0]!.lines.map((line) => line.amount.shopMinor)).toEqual([200n]);
  });

  it("shows amounts in the creator's currency at the locked rate, each rounded once, with the rounding shown", () => {
    // Three lines of 0.01 at 0.5: each shows 0.01 (0.005 rounds away from zero); the balance, 0.03 × 0.5 = 0.015,
    // shows 0.02: the rounding line says -0.01.
    const entries = [1, 2, 3].map((day) => entry({ amountMinor: 1n, createdAt: at(`2026-11-0${day}T12:00:00Z`) }));
    const statement = buildStatement(base({ payoutCurrency: "EUR", fxRate: "0.5", entries }));
    expect(statement.groups[0]!.lines.map((line) => line.amount)).toEqual([1n, 1n, 1n].map((minor) => ({ shopMinor: 1n, minor })));
    expect(statement.groups[0]!.subtotal).toEqual({ shopMinor: 3n, minor: 3n });
    expect(statement.approved).toEqual({ shopMinor: 3n, minor: 2n });
    expect(statement.closing).toEqual({ shopMinor: 3n, minor: 2n });
    expect(statement.roundingMinor).toBe(-1n);

    const yen = buildStatement(base({ payoutCurrency: "JPY", fxRate: "151.25", entries: [entry({ amountMinor: 12_345n, createdAt: at("2026-11-02T00:00:00Z") })] }));
    expect(yen.closing).toEqual({ shopMinor: 12_345n, minor: 18_672n });
  });

  it("shows what the creator received for a payout at the payout's own rate", () => {
    const settled = entry({ amountMinor: 10_000n, createdAt: at("2026-10-01T00:00:00Z"), settledAt: at("2026-11-10T00:00:00Z") });
    const statement = buildStatement(
      base({
        payoutCurrency: "EUR",
        fxRate: "0.95",
        entries: [settled],
        payouts: [
          payout({ amountMinor: 10_000n, createdAt: at("2026-11-10T00:00:00Z"), paidAt: at("2026-11-09T00:00:00Z"), payoutCurrency: "EUR", payoutAmountMinor: 9_200n, fxRate: "0.92" }),
        ],
      }),
    );
    expect(statement.groups[0]!.lines[0]).toMatchObject({
      date: "2026-11-09",
      amount: { shopMinor: -10_000n, minor: -9_500n },
      received: { amountMinor: 9_200n, currency: "EUR", fxRate: "0.92" },
    });
    expect(statement.opening.minor).toBe(9_500n);
    expect(statement.closing).toEqual({ shopMinor: 0n, minor: 0n });
  });

  it("has nothing to report without movements or balance", () => {
    const statement = buildStatement(base());
    expect(statement).toMatchObject({ hasActivity: false, groups: [], closing: { shopMinor: 0n, minor: 0n } });
  });

  it("refuses to add up data that does not: a payout settling more than its entries", () => {
    const unpaid = entry({ amountMinor: 1_000n, createdAt: at("2026-11-02T00:00:00Z") });
    expect(() => buildStatement(base({ entries: [unpaid], payouts: [payout({ amountMinor: 400n, createdAt: at("2026-11-03T00:00:00Z") })] }))).toThrow(
      StatementDoesNotReconcileError,
    );
  });
});

// ---------- Properties ----------

const DAY = 86_400_000;
const START = at("2026-01-01T00:00:00Z").getTime();
const TIMEZONES = ["UTC", "America/New_York", "Asia/Tokyo", "Pacific/Chatham"] as const;

interface Ledger {
  timezone: string;
  cadence: StatementCadence;
  historyCutoffAt: Date;
  entries: StatementEntryFacts[];
  payouts: StatementPayoutFacts[];
}

/**
 * A creator's ledger as the app writes it: entries posted over 150 days (some for orders placed a little earlier,
 * some for a month's pay), and payouts that each settle every entry approved and unpaid when they are recorded,
 * when that sums to more than zero (recordPayout's rule).
 */
const arbitraryLedger: fc.Arbitrary<Ledger> = fc
  .record({
    timezone: fc.constantFrom(...TIMEZONES),
    cadence: fc.constantFrom(...STATEMENT_CADENCES),
    historyCutoffDay: fc.integer({ min: -10, max: 150 }),
    entries: fc.array(
      fc.record({
        minute: fc.integer({ min: 0, max: 150 * 24 * 60 }),
        kind: fc.constantFrom(...STATEMENT_ENTRY_KINDS),
        amountMinor: fc.bigInt({ min: -50_000n, max: 200_000n }),
        orderLagMinutes: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 }), { nil: null }),
        holdDays: fc.integer({ min: 0, max: 40 }),
      }),
      { maxLength: 40 },
    ),
    payoutMinutes: fc.array(fc.integer({ min: 0, max: 150 * 24 * 60 }), { maxLength: 6 }),
  })
  .map(({ timezone, cadence, historyCutoffDay, entries: drafts, payoutMinutes }) => {
    const entries: StatementEntryFacts[] = drafts.map((draft, index) => {
      const createdAt = new Date(START + draft.minute * 60_000);
      const isOrder = draft.orderLagMinutes !== null && draft.kind !== "ADJUSTMENT";
      return {
        id: `e${index}`,
        kind: draft.kind,
        amountMinor: draft.amountMinor,
        reason: `entry ${index}`,
        createdAt,
        availableAt: new Date(createdAt.getTime() + draft.holdDays * DAY),
        order: isOrder ? { name: `#${1000 + index}`, processedAt: new Date(createdAt.getTime() - draft.orderLagMinutes! * 60_000) } : null,
        periodKey: !isOrder && draft.kind !== "ADJUSTMENT" ? statementPeriodOf(createdAt, "MONTHLY", timezone).key : null,
        settledAt: null,
        clawback: false,
      };
    });
    const payouts: StatementPayoutFacts[] = [];
    for (const minute of [...payoutMinutes].sort((a, b) => a - b)) {
      const now = new Date(START + minute * 60_000);
      const payable = entries.filter((e) => e.settledAt === null && e.createdAt <= now && e.availableAt <= now);
      const amountMinor = payable.reduce((sum, e) => sum + e.amountMinor, 0n);
      if (payable.length === 0 || amountMinor <= 0n) continue;
      for (const e of payable) e.settledAt = now;
      payouts.push({ id: `p${minute}`, amountMinor, createdAt: now, paidAt: now, method: "PAYPAL", reference: null, payoutCurrency: "USD", payoutAmountMinor: amountMinor, fxRate: "1" });
    }
    return { timezone, cadence, historyCutoffAt: new Date(START + historyCutoffDay * DAY), entries, payouts };
  });

/** The periods the ledger spans, oldest first, with one before and one after. */
function periodsOf(ledger: Ledger) {
  let current = statementPeriodOf(new Date(START + 155 * DAY), ledger.cadence, ledger.timezone);
  const periods = [current];
  while (current.start.getTime() > START - 20 * DAY) {
    current = previousStatementPeriod(current, ledger.timezone);
    periods.unshift(current);
  }
  return periods;
}

const statementOf = (ledger: Ledger, period: ReturnType<typeof periodsOf>[number], extra: Partial<StatementInput> = {}) =>
  buildStatement({
    period,
    timezone: ledger.timezone,
    shopCurrency: "USD",
    payoutCurrency: "USD",
    fxRate: "1",
    historyCutoffAt: ledger.historyCutoffAt,
    entries: ledger.entries,
    payouts: ledger.payouts,
    ...extra,
  });

const movements = (statement: Statement) => statement.groups.reduce((sum, group) => sum + group.subtotal.shopMinor, 0n);
const lineCount = (statement: Statement) => statement.groups.reduce((count, group) => count + group.lines.length, 0);

describe("statement properties", () => {
  it("closing = opening + every line, each period opens where the last one closed, and no entry is lost or counted twice", () => {
    fc.assert(
      fc.property(arbitraryLedger, (ledger) => {
        const periods = periodsOf(ledger);
        const statements = periods.map((period) => statementOf(ledger, period));
        expect(statements[0]!.opening.shopMinor).toBe(0n);
        for (const [index, statement] of statements.entries()) {
          expect(statement.closing.shopMinor).toBe(statement.opening.shopMinor + movements(statement));
          expect(statement.pending.shopMinor + statement.approved.shopMinor).toBe(statement.closing.shopMinor);
          if (index > 0) expect(statement.opening.shopMinor).toBe(statements[index - 1]!.closing.shopMinor);
        }
        const entryLines = statements.reduce((count, s) => count + lineCount(s), 0) - ledger.payouts.length;
        expect(entryLines).toBe(ledger.entries.length);
        const total = ledger.entries.reduce((sum, e) => sum + e.amountMinor, 0n) - ledger.payouts.reduce((sum, p) => sum + p.amountMinor, 0n);
        expect(statements.at(-1)!.closing.shopMinor).toBe(total);
      }),
      { numRuns: 150 },
    );
  });

  it("reconciles with the ledger to the cent: pending and approved at the period's end are the ledger's own balances then", () => {
    fc.assert(
      fc.property(arbitraryLedger, (ledger) => {
        for (const period of periodsOf(ledger)) {
          const statement = statementOf(ledger, period);
          // The ledger as it stood: what counts up to this period, paid if a payout recorded by its end settled it.
          const counted = ledger.entries
            .filter((e) => entryStatementInstant(e, ledger.cadence, ledger.timezone, ledger.historyCutoffAt) < period.end)
            .map((e) => ({ amountMinor: e.amountMinor, availableAt: e.availableAt, paid: e.settledAt !== null && e.settledAt < period.end }));
          const balances = ledgerBalances(counted, period.end);
          expect(statement.pending.shopMinor).toBe(balances.pendingMinor);
          expect(statement.approved.shopMinor).toBe(balances.approvedMinor);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("is the same whether the database sums the ledger before the period or the domain reads every entry", () => {
    fc.assert(
      fc.property(arbitraryLedger, (ledger) => {
        for (const period of periodsOf(ledger)) {
          const before = ledger.entries.filter((e) => e.createdAt < period.start);
          const unpaidAtEnd = before.filter((e) => !(e.settledAt !== null && e.settledAt < period.end));
          const sum = (items: { amountMinor: bigint }[]) => items.reduce((total, item) => total + item.amountMinor, 0n);
          const carried: CarriedLedger = {
            entriesMinor: sum(before),
            payoutsMinor: sum(ledger.payouts.filter((p) => p.createdAt < period.start)),
            unpaidPendingAtEndMinor: sum(unpaidAtEnd.filter((e) => e.availableAt > period.end)),
            unpaidApprovedAtEndMinor: sum(unpaidAtEnd.filter((e) => e.availableAt <= period.end)),
          };
          const split = statementOf(ledger, period, {
            carried,
            entries: ledger.entries.filter((e) => e.createdAt >= period.start),
            payouts: ledger.payouts.filter((p) => p.createdAt >= period.start),
          });
          expect(split).toEqual(statementOf(ledger, period));
        }
      }),
      { numRuns: 100 },
    );
  });

  it("adds up as printed in the creator's currency: opening + lines + rounding = closing = pending + approved", () => {
    const currency = fc.constantFrom("EUR", "JPY", "KWD", "GBP");
    const rate = fc.bigInt({ min: 1n, max: 50_000_000_000n }).map((units) => `${units / 100_000_000n}.${(units % 100_000_000n).toString().padStart(8, "0")}`);
    fc.assert(
      fc.property(arbitraryLedger, currency, rate, (ledger, payoutCurrency, fxRate) => {
        for (const period of periodsOf(ledger)) {
          const statement = statementOf(ledger, period, { payoutCurrency, fxRate });
          const shown = statement.groups.reduce((sum, group) => {
            expect(group.subtotal.minor).toBe(group.lines.reduce((total, line) => total + line.amount.minor, 0n));
            return sum + group.subtotal.minor;
          }, 0n);
          expect(statement.opening.minor + shown + statement.roundingMinor).toBe(statement.closing.minor);
          expect(statement.pending.minor + statement.approved.minor).toBe(statement.closing.minor);
          // Each shown amount is the exact amount converted once.
          const once = (shopMinor: bigint) => convertToPayoutCurrency(shopMinor, "USD", payoutCurrency, fxRate);
          expect(statement.opening.minor).toBe(once(statement.opening.shopMinor));
          expect(statement.pending.minor).toBe(once(statement.pending.shopMinor));
          expect(statement.approved.minor).toBe(once(statement.approved.shopMinor));
          for (const group of statement.groups) for (const line of group.lines) expect(line.amount.minor).toBe(once(line.amount.shopMinor));
          // Each of the n lines, the opening and the two balances is off by at most half a minor unit.
          const bound = BigInt(lineCount(statement) + 3);
          expect(2n * (statement.roundingMinor < 0n ? -statement.roundingMinor : statement.roundingMinor) <= bound).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("in the shop's own currency shows the ledger's exact amounts, with no rounding", () => {
    fc.assert(
      fc.property(arbitraryLedger, (ledger) => {
        for (const period of periodsOf(ledger)) {
          const statement = statementOf(ledger, period);
          expect(statement.roundingMinor).toBe(0n);
          for (const amount of [statement.opening, statement.closing, statement.pending, statement.approved]) expect(amount.minor).toBe(amount.shopMinor);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("does not depend on the order entries and payouts are listed in", () => {
    fc.assert(
      fc.property(arbitraryLedger, fc.integer(), (ledger, seed) => {
        const shuffle = <T>(items: T[]) =>
          items
            .map((item, index) => ({ item, key: (Math.imul(index + 1, 2654435761) ^ seed) >>> 0 }))
            .sort((a, b) => a.key - b.key)
            .map(({ item }) => item);
        for (const period of periodsOf(ledger).slice(-4)) {
          const shuffled = { ...ledger, entries: shuffle(ledger.entries), payouts: shuffle(ledger.payouts) };
          expect(statementOf(shuffled, period)).toEqual(statementOf(ledger, period));
        }
      }),
      { numRuns: 50 },
    );
  });
});
