// The shop's code discounts: those it had before the app (seeded), those the app creates through the Admin API,
// and what the merchant does to them in the Shopify admin (rename a code, delete a discount), each with the
// webhooks Shopify sends for it.
import { percentFromCode, type SimDiscount } from "./orders";
import { formatInTimeZone } from "./time";

export interface CodeDiscount {
  /** Numeric part of gid://shopify/DiscountCodeNode/<id>. */
  id: number;
  /** Numeric part of gid://shopify/DiscountRedeemCode/<id>; a renamed code gets a new one. */
  redeemCodeId: number;
  title: string;
  /** As the merchant spelled it; Shopify matches codes case-insensitively. */
  code: string;
  terms: Pick<SimDiscount, "type" | "value">;
  startsAt: Date;
  endsAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  appliesOncePerCustomer: boolean;
  usageLimit: number | null;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  /** Orders placed with the code. */
  usageCount: number;
}

export interface NewCodeDiscount {
  code: string;
  title?: string;
  /** Percent off (default: read from the code, e.g. SARAH15 → 15%), or a fixed amount in minor units. */
  terms?: Pick<SimDiscount, "type" | "value">;
  startsAt?: Date;
  endsAt?: Date | null;
  createdAt?: Date;
  appliesOncePerCustomer?: boolean;
  usageLimit?: number | null;
  combinesWith?: Partial<CodeDiscount["combinesWith"]>;
}

/** A webhook the change causes, for the store to deliver. */
export interface DiscountEvent {
  topic: "discounts/create" | "discounts/update" | "discounts/delete" | "discounts/redeemcode_added" | "discounts/redeemcode_removed";
  payload: Record<string, unknown>;
  subject: string;
  occurredAt: Date;
}

export class DiscountCodeTakenError extends Error {
  constructor(readonly code: string) {
    super(`Code ${code} is already used by another discount`);
  }
}

export class DiscountStore {
  private readonly discounts = new Map<number, CodeDiscount>();
  private nextId = 1_197_000_000_000;

  constructor(private readonly shopTimezone: string) {}

  list(): CodeDiscount[] {
    return [...this.discounts.values()];
  }

  byId(idOrGid: string | number): CodeDiscount | undefined {
    const id = Number(String(idOrGid).replace(/^gid:\/\/shopify\/DiscountCodeNode\//, ""));
    return Number.isSafeInteger(id) ? this.discounts.get(id) : undefined;
  }

  /** Shopify looks codes up case-insensitively (and ignores surrounding spaces at checkout). */
  byCode(code: string): CodeDiscount | undefined {
    const wanted = code.trim().toLowerCase();
    return this.list().find((discount) => discount.code.toLowerCase() === wanted);
  }

  /** Adds a discount; throws DiscountCodeTakenError when another discount has the code. */
  create(input: NewCodeDiscount): CodeDiscount {
    const code = input.code.trim();
    if (this.byCode(code)) throw new DiscountCodeTakenError(code);
    const createdAt = input.createdAt ?? new Date();
    const discount: CodeDiscount = {
      id: this.newId(),
      redeemCodeId: this.newId(),
      title: input.title?.trim() || code,
      code,
      terms: input.terms ?? { type: "percentage", value: percentFromCode(code) },
      startsAt: input.startsAt ?? createdAt,
      endsAt: input.endsAt ?? null,
      createdAt,
      updatedAt: createdAt,
      appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
      usageLimit: input.usageLimit ?? null,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false, ...input.combinesWith },
      usageCount: 0,
    };
    this.discounts.set(discount.id, discount);
    return discount;
  }

  /** The discount an order's code redeems, created first when the shop does not have it yet. */
  ensure(code: string, createdAt: Date): CodeDiscount {
    return this.byCode(code) ?? this.create({ code, createdAt });
  }

  /** The merchant changes the discount's code in the admin: the old redeem code goes, a new one comes. */
  rename(discount: CodeDiscount, newCode: string, at = new Date()): DiscountEvent[] {
    const code = newCode.trim();
    const holder = this.byCode(code);
    if (holder && holder !== discount) throw new DiscountCodeTakenError(code);
    const removed = { id: discount.redeemCodeId, code: discount.code };
    discount.code = code;
    discount.redeemCodeId = this.newId();
    if (discount.title === removed.code) discount.title = code;
    discount.updatedAt = at;
    return [
      this.redeemCodeEvent("discounts/redeemcode_removed", discount, removed, at),
      this.redeemCodeEvent("discounts/redeemcode_added", discount, { id: discount.redeemCodeId, code }, at),
      this.event("discounts/update", discount, at, this.summaryPayload(discount)),
    ];
  }

  delete(discount: CodeDiscount, at = new Date()): DiscountEvent[] {
    this.discounts.delete(discount.id);
    return [this.event("discounts/delete", discount, at, { admin_graphql_api_id: discountGid(discount), deleted_at: this.timestamp(at) })];
  }

  /** discounts/create, for a discount the app (or merchant) has just made. */
  createdEvents(discount: CodeDiscount): DiscountEvent[] {
    return [this.event("discounts/create", discount, discount.createdAt, this.summaryPayload(discount))];
  }

  status(discount: CodeDiscount, now = new Date()): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
    if (discount.startsAt > now) return "SCHEDULED";
    if (discount.endsAt && discount.endsAt <= now) return "EXPIRED";
    if (discount.usageLimit !== null && discount.usageCount >= discount.usageLimit) return "EXPIRED";
    return "ACTIVE";
  }

  private summaryPayload(discount: CodeDiscount): Record<string, unknown> {
    return {
      admin_graphql_api_id: discountGid(discount),
      title: discount.title,
      status: this.status(discount),
      created_at: this.timestamp(discount.createdAt),
      updated_at: this.timestamp(discount.updatedAt),
    };
  }

  private redeemCodeEvent(
    topic: "discounts/redeemcode_added" | "discounts/redeemcode_removed",
    discount: CodeDiscount,
    redeemCode: { id: number; code: string },
    at: Date,
  ): DiscountEvent {
    // Shopify's redeem code payloads carry UTC timestamps with milliseconds, unlike the shop-zoned discount ones.
    return this.event(topic, discount, at, {
      admin_graphql_api_id: discountGid(discount),
      redeem_code: { id: `gid://shopify/DiscountRedeemCode/${redeemCode.id}`, code: redeemCode.code },
      updated_at: at.toISOString(),
    });
  }

  private event(topic: DiscountEvent["topic"], discount: CodeDiscount, at: Date, payload: Record<string, unknown>): DiscountEvent {
    return { topic, payload, subject: discount.code, occurredAt: at };
  }

  private timestamp(date: Date): string {
    return formatInTimeZone(date, this.shopTimezone);
  }

  private newId(): number {
    return ++this.nextId;
  }
}

export function discountGid(discount: CodeDiscount): string {
  return `gid://shopify/DiscountCodeNode/${discount.id}`;
}
