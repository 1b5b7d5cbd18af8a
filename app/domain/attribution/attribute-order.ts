import { normalizeDiscountCode } from "./normalize-discount-code";

export type AttributionMethod = "DISCOUNT_CODE" | "NONE";

export interface CreatorCode {
  creatorId: string;
  code: string;
}

export interface Evidence {
  signal: "discount_code";
  value: string;
  matched: boolean;
  creatorId: string | null;
  decisive: boolean;
  note: string;
}

export interface Verdict {
  creatorId: string | null;
  method: AttributionMethod;
  rule: string;
  evidence: Evidence[];
}

export interface AttributionInput {
  discountCodes: readonly string[];
}

/**
 * One verdict per order. Codes are checked in the order the shopper applied them, and the first creator code
 * decides; every other code is kept as evidence.
 */
export function attributeOrder(order: AttributionInput, creatorCodes: readonly CreatorCode[]): Verdict {
  const creatorByCode = new Map(creatorCodes.map((c) => [normalizeDiscountCode(c.code), c.creatorId]));
  let winner: string | null = null;

  const evidence = order.discountCodes.map((value): Evidence => {
    const creatorId = creatorByCode.get(normalizeDiscountCode(value)) ?? null;
    const decisive = creatorId !== null && winner === null;
    if (decisive) winner = creatorId;
    return {
      signal: "discount_code",
      value,
      matched: creatorId !== null,
      creatorId,
      decisive,
      note: creatorId === null ? "Not a creator's code" : decisive ? "First creator code on the order" : "A creator code applied after the deciding one",
    };
  });

  if (winner === null) {
    return {
      creatorId: null,
      method: "NONE",
      rule: evidence.length === 0 ? "No discount code on the order" : "No discount code on the order belongs to a creator",
      evidence,
    };
  }
  return { creatorId: winner, method: "DISCOUNT_CODE", rule: "Creator discount code", evidence };
}
