import { describe, expect, it } from "vitest";
import { canRetry, describeJob, payPeriodName, webhookTopicName } from "./describe-job";

describe("describeJob", () => {
  it("names a webhook by Shopify's topic and the order it carried", () => {
    expect(describeJob({ kind: "webhook", topic: "ORDERS_CREATE", orderName: "#1001" })).toEqual({
      summary: "Process orders/create webhook for #1001",
      retryable: true,
      instead: null,
    });
    expect(describeJob({ kind: "webhook", topic: "REFUNDS_CREATE", orderName: null }).summary).toBe("Process refunds/create webhook");
    expect(describeJob({ kind: "webhook", topic: null, orderName: null }).summary).toBe("Process a webhook from Shopify");
  });

  it("tells an order read by an import from a webhook", () => {
    expect(describeJob({ kind: "synced-order", orderName: "#1002" }).summary).toBe("Process order #1002 read from Shopify");
    expect(describeJob({ kind: "synced-order", orderName: null }).summary).toBe("Process an order read from Shopify");
  });

  it("names the creator and the pay period of a settlement", () => {
    expect(describeJob({ kind: "settle-period", creatorName: "Maya", periodKey: "2026-11" }).summary).toBe(
      "Settle commissions for Maya, Nov 2026",
    );
    expect(describeJob({ kind: "settle-period", creatorName: null, periodKey: "2027-01" }).summary).toBe(
      "Settle commissions for a removed creator, Jan 2027",
    );
  });

  it("names the order of a customer journey fetch", () => {
    expect(describeJob({ kind: "fetch-journey", orderName: "#1003" }).summary).toBe("Fetch customer journey for #1003");
    expect(describeJob({ kind: "fetch-journey", orderName: null }).summary).toBe("Fetch customer journey for an order");
  });

  it("says what to do instead of retrying an order sync, which a retry cannot restart", () => {
    expect(describeJob({ kind: "order-sync", syncKind: "IMPORT" })).toEqual({
      summary: "Import past orders from Shopify",
      retryable: false,
      instead: "Start a new import from Orders › Import past orders.",
    });
    expect(describeJob({ kind: "order-sync", syncKind: "RECONCILE" })).toMatchObject({
      summary: "Check Shopify for orders the app missed",
      retryable: false,
      instead: expect.stringMatching(/starts on its own/),
    });
    expect(describeJob({ kind: "order-sync", syncKind: null })).toMatchObject({ summary: "Sync orders with Shopify", retryable: false });
  });

  it("names the collection a failed read was for, and says when it is read again", () => {
    expect(describeJob({ kind: "collection-sync", collectionTitle: "Best Sellers" })).toEqual({
      summary: "Read the products of collection “Best Sellers” from Shopify",
      retryable: false,
      instead: "It is read again every day, and whenever you save a contract that names it.",
    });
  });

  it("names the statement period of a statements run", () => {
    expect(describeJob({ kind: "send-statements", periodLabel: "November 2026" })).toEqual({
      summary: "Send creator statements for November 2026",
      retryable: true,
      instead: null,
    });
  });

  it("says a rollup refresh updates the reports, and can be run again", () => {
    expect(describeJob({ kind: "refresh-rollups" })).toEqual({
      summary: "Update reports (leaderboard, creator pages, dashboard) with the latest orders and costs",
      retryable: true,
      instead: null,
    });
  });

  it("still says something for a job it does not know", () => {
    expect(describeJob({ kind: "other", jobName: "mystery" })).toEqual({
      summary: "Background task mystery",
      retryable: true,
      instead: null,
    });
  });

  it("agrees with canRetry for every kind", () => {
    const subjects = [
      { kind: "webhook", topic: "ORDERS_PAID", orderName: null },
      { kind: "synced-order", orderName: null },
      { kind: "settle-period", creatorName: null, periodKey: "2026-01" },
      { kind: "fetch-journey", orderName: null },
      { kind: "order-sync", syncKind: "IMPORT" },
      { kind: "other", jobName: "x" },
    ] as const;
    for (const subject of subjects) expect(describeJob(subject).retryable, subject.kind).toBe(canRetry(subject.kind));
  });
});

describe("webhookTopicName", () => {
  it("writes topics the way Shopify documents them", () => {
    expect(webhookTopicName("ORDERS_CREATE")).toBe("orders/create");
    expect(webhookTopicName("CUSTOMERS_DATA_REQUEST")).toBe("customers/data_request");
    expect(webhookTopicName("DISCOUNTS_REDEEMCODE_ADDED")).toBe("discounts/redeemcode_added");
    expect(webhookTopicName("APP_UNINSTALLED")).toBe("app/uninstalled");
    expect(webhookTopicName("orders/updated")).toBe("orders/updated");
    expect(webhookTopicName("SHOP")).toBe("shop");
  });
});

describe("payPeriodName", () => {
  it("names the month and year, and leaves anything else as it is", () => {
    expect(payPeriodName("2026-11")).toBe("Nov 2026");
    expect(payPeriodName("2026-01")).toBe("Jan 2026");
    expect(payPeriodName("2026-12")).toBe("Dec 2026");
    expect(payPeriodName("2026-13")).toBe("2026-13");
    expect(payPeriodName("2026-00")).toBe("2026-00");
    expect(payPeriodName("November")).toBe("November");
  });
});
