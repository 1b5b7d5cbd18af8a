import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { paypalCustomerId, paypalPayoutRows, payoutIdFromCustomerId, type PayoutForPayPal } from "./paypal-payout-rows";

const payout = (overrides: Partial<PayoutForPayPal> = {}): PayoutForPayPal => ({
  payoutId: "3c90c3cc-0d44-4b50-8888-8dd25736052a",
  creatorName: "Ada",
  paypalEmail: "ada@example.com",
  method: "PAYPAL",
  payoutCurrency: "USD",
  payoutAmountMinor: 10_050n,
  note: null,
  paidAt: new Date("2026-11-23T12:00:00Z"),
  ...overrides,
});
const defaultNote = () => "Creator payout from Test shop";

describe("PayPal Payouts rows", () => {
  it("writes email, amount, currency, customer id, note and wallet, in PayPal's column order", () => {
    const result = paypalPayoutRows([payout(), payout({ payoutId: "00000000-0000-0000-0000-000000000001", note: "Thanks,\n  \"Ada\"!", payoutAmountMinor: 5n })], {
      defaultNote,
    });
    expect(result.errors).toEqual([]);
    expect(result.currencyCode).toBe("USD");
    expect(result.rows).toEqual([
      ["ada@example.com", "100.50", "USD", paypalCustomerId("3c90c3cc-0d44-4b50-8888-8dd25736052a"), "Creator payout from Test shop", "PAYPAL"],
      ["ada@example.com", "0.05", "USD", "CL1", 'Thanks, "Ada"!', "PAYPAL"],
    ]);
  });

  it("writes the payout currency's own decimals", () => {
    const result = paypalPayoutRows([payout({ payoutCurrency: "JPY", payoutAmountMinor: 18_672n })], { defaultNote });
    expect(result.rows[0]?.slice(1, 3)).toEqual(["18672", "JPY"]);
  });

  it("lists payouts it cannot write instead of dropping them", () => {
    const result = paypalPayoutRows(
      [
        payout({ payoutId: "00000000-0000-0000-0000-00000000000a", creatorName: "No Email", paypalEmail: null }),
        payout({ payoutId: "00000000-0000-0000-0000-00000000000b", creatorName: "Wired", method: "BANK_TRANSFER" }),
        payout({ payoutId: "00000000-0000-0000-0000-00000000000c", creatorName: "Fine" }),
      ],
      { defaultNote },
    );
    expect(result.payoutIds).toEqual(["00000000-0000-0000-0000-00000000000c"]);
    expect(result.errors).toEqual([
      { payoutId: "00000000-0000-0000-0000-00000000000a", creatorName: "No Email", message: expect.stringMatching(/no PayPal email/) },
      { payoutId: "00000000-0000-0000-0000-00000000000b", creatorName: "Wired", message: expect.stringMatching(/bank transfer/) },
    ]);
  });

  it("refuses to mix currencies in one file", () => {
    const result = paypalPayoutRows(
      [payout(), payout({ payoutId: "00000000-0000-0000-0000-000000000002", payoutCurrency: "EUR" })],
      { defaultNote },
    );
    expect(result.rows).toEqual([]);
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]?.message).toMatch(/one currency per file: download the EUR, USD payouts separately/);
  });

  it("keeps notes within PayPal's 400 characters", () => {
    const [row] = paypalPayoutRows([payout({ note: "x".repeat(1000) })], { defaultNote }).rows;
    expect(row?.[4]).toHaveLength(400);
  });

  it("customer ids fit PayPal's 30 characters without spaces and map back to the payout", () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        const customerId = paypalCustomerId(id);
        expect(customerId.length).toBeLessThanOrEqual(30);
        expect(customerId).toMatch(/^[0-9A-Z]+$/);
        expect(payoutIdFromCustomerId(customerId)).toBe(id.toLowerCase());
      }),
    );
    expect(paypalCustomerId("ffffffff-ffff-ffff-ffff-ffffffffffff")).toHaveLength(27);
  });
});

describe("PayPal Payouts notes", () => {
  it("cannot start like a spreadsheet formula", () => {
    const [row] = paypalPayoutRows([payout({ note: '=HYPERLINK("http://evil")' })], { defaultNote }).rows;
    expect(row?.[4]).toBe(`'=HYPERLINK("http://evil")`);
  });
});
