import { describe, expect, it } from "vitest";
import { ordersInOpenPeriods } from "./open-periods";

describe("orders in open pay periods", () => {
  const orders = [
    { id: "a", creatorId: "maya", processedAt: new Date("2026-10-31T23:30:00Z") },
    { id: "b", creatorId: "maya", processedAt: new Date("2026-11-01T03:30:00Z") },
    { id: "c", creatorId: "maya", processedAt: new Date("2026-11-01T05:30:00Z") },
    { id: "d", creatorId: "leo", processedAt: new Date("2026-10-15T12:00:00Z") },
  ];

  it("leaves out the orders of a creator's periods a payout touched, by the period in the shop's timezone", () => {
    // In New York (UTC-4 until Nov 1, 2 am), b is 11:30 pm on Oct 31 and belongs to October; c is November's.
    const open = ordersInOpenPeriods(orders, [{ creatorId: "maya", periodKey: "2026-10" }], "America/New_York");
    expect(open.map((order) => order.id)).toEqual(["c", "d"]);
  });

  it("keeps every order when nothing was paid, and is about the creator's periods only", () => {
    expect(ordersInOpenPeriods(orders, [], "UTC")).toEqual(orders);
    expect(ordersInOpenPeriods(orders, [{ creatorId: "leo", periodKey: "2026-11" }], "UTC").map((o) => o.id)).toEqual(["a", "b", "c", "d"]);
    expect(ordersInOpenPeriods(orders, [{ creatorId: "maya", periodKey: "2026-11" }], "UTC").map((o) => o.id)).toEqual(["a", "d"]);
  });
});
