// Orders generated for creators carry every attribution signal the app reads, each in the shape Shopify sends.
import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { parseOrderPayload } from "~/domain/orders/parse-order-payload";
import { StoreSimulator } from "./store";
import { ATTRIBUTION_SIGNALS, type CreatorSignals } from "./traffic";

const require = createRequire(import.meta.url);
const { schemaForWebhook } = require("shopify-webhook-schemas") as { schemaForWebhook: (version: string, topic: string) => object };
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateOrder = ajv.compile(schemaForWebhook("2026-07", "orders/create"));

const SHOP = "traffic-test.myshopify.com";
const CREATORS: CreatorSignals[] = [
  { handle: "sarah", code: "SARAH10", linkSlug: "spring-drop", referrer: "https://www.youtube.com/@sarahstyles", clickIds: ["clk_a1", "clk_a2"] },
  { handle: "mike", code: "MIKE25", linkSlug: "gym-kit" },
  { handle: "nina" },
];

function store(seed: number) {
  return new StoreSimulator({
    appUrl: "http://127.0.0.1:9",
    secret: "traffic-secret",
    shop: { domain: SHOP },
    seed,
    // Nothing is delivered: these tests read the generated orders.
    subscribedTopics: [],
  });
}

describe("creator traffic", () => {
  const simulator = store(21);
  const { orders } = simulator.placeOrders({ creators: CREATORS, count: 300, placedAt: new Date("2026-06-10T15:00:00Z") });
  const payloads = orders.map((order) => simulator.generator.orderPayload(order) as Record<string, any>);
  const bySignal = (signal: string) => orders.filter((order) => order.attribution?.signal === signal);
  simulator.close();

  it("uses every signal, for every creator that can produce it, beside organic orders", () => {
    expect(new Set(orders.map((o) => o.attribution?.signal ?? "organic"))).toEqual(new Set([...ATTRIBUTION_SIGNALS, "organic"]));
    const organic = orders.filter((o) => !o.attribution).length;
    expect(organic).toBeGreaterThan(50);
    expect(organic).toBeLessThan(140);
    // nina has no code and no page of her own: she is credited only through links, refs and journeys.
    const ninas = new Set(orders.filter((o) => o.attribution?.handle === "nina").map((o) => o.attribution!.signal));
    expect([...ninas].sort()).toEqual(["journey-only", "note-attribute", "ref-param", "utm-link"]);
  });

  it("validates against Shopify's orders/create schema and the app's payload parser", () => {
    for (const payload of payloads) {
      expect(validateOrder(payload) ? [] : validateOrder.errors!.slice(0, 3)).toEqual([]);
      expect(() => parseOrderPayload(payload)).not.toThrow();
    }
  });

  it("shapes each signal the way shoppers produce it", () => {
    const payloadOf = (id: number) => payloads[orders.findIndex((o) => o.id === id)]!;
    for (const order of bySignal("code")) {
      const codes = (payloadOf(order.id).discount_codes as { code: string }[]).map((d) => normalizeDiscountCode(d.code));
      expect(codes).toEqual([order.attribution!.handle === "sarah" ? "SARAH10" : "MIKE25"]);
    }
    for (const order of bySignal("utm-link")) {
      const url = new URL(order.landingSite!, `https://${SHOP}`);
      const creator = CREATORS.find((c) => c.handle === order.attribution!.handle)!;
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        utm_source: "instagram",
        utm_medium: "influencer",
        utm_campaign: creator.handle,
        ref: creator.handle,
        ...(creator.linkSlug ? { utm_content: creator.linkSlug } : {}),
      });
      if (creator.clickIds) expect(url.searchParams.get("cl_click")).toMatch(/^clk_a[12]$/);
      else expect(url.searchParams.has("cl_click")).toBe(false);
    }
    for (const order of bySignal("ref-param")) expect(new URL(order.landingSite!, `https://${SHOP}`).searchParams.get("ref")).toBe(order.attribution!.handle);
    for (const order of bySignal("note-attribute")) {
      expect(payloadOf(order.id).note_attributes).toEqual([{ name: "ref", value: order.attribution!.handle }]);
    }
    for (const order of bySignal("referrer")) expect(payloadOf(order.id).referring_site).toBe("https://www.youtube.com/@sarahstyles");
    for (const order of bySignal("journey-only")) {
      expect(payloadOf(order.id)).toMatchObject({ landing_site: null, referring_site: null });
      // A store-wide code may come along; the creator's own code never does.
      const codes = (payloadOf(order.id).discount_codes as { code: string }[]).map((d) => normalizeDiscountCode(d.code));
      expect(codes.filter((code) => ["SARAH10", "MIKE25"].includes(code))).toEqual([]);
      expect(order.firstVisit!.landingSite).toContain(`utm_campaign=${order.attribution!.handle}`);
      expect(order.firstVisit!.occurredAt.getTime()).toBeLessThan(order.createdAt.getTime() - 86_400_000 + 1);
    }
    for (const order of bySignal("coupon-site")) {
      expect(payloadOf(order.id).referring_site).toBe("https://www.retailmenot.com/view/traffic-test");
      expect(payloadOf(order.id).discount_codes).toHaveLength(1);
    }
    for (const order of orders.filter((o) => !o.attribution)) {
      expect([null, "https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/"]).toContain(order.referringSite);
      expect(order.landingSite).not.toMatch(/utm_|ref=/);
    }
  });

  it("registers the codes orders redeem as the shop's discounts", () => {
    const sarah = simulator.discounts.byCode("sarah10")!;
    expect(sarah.usageCount).toBe(orders.filter((o) => o.discount && normalizeDiscountCode(o.discount.code) === "SARAH10").length);
    expect(sarah.createdAt.getTime()).toBeLessThan(orders[0]!.createdAt.getTime());
  });

  it("is deterministic for a seed, and keeps to the signals asked for", () => {
    const place = () => {
      const s = store(5);
      const { orders: placed } = s.placeOrders({ creators: CREATORS, count: 20, placedAt: new Date("2026-06-01T00:00:00Z"), clickId: () => "clk_fixed" });
      s.close();
      return placed.map((o) => [o.attribution, o.landingSite, o.referringSite, o.noteAttributes]);
    };
    expect(place()).toEqual(place());

    const only = store(6);
    const { orders: referrals } = only.placeOrders({ creators: CREATORS, signals: ["referrer", "coupon-site"], creatorShare: 1, count: 20 });
    only.close();
    expect(new Set(referrals.map((o) => o.attribution!.handle))).toEqual(new Set(["sarah", "mike"]));
    const codeless = store(7);
    expect(() => codeless.placeOrders({ creators: [{ handle: "nina" }], signals: ["code"], creatorShare: 1 })).toThrow(/No creator can carry any of the signals code/);
    codeless.close();
  });
});
