import { Prisma, type DiscountCode, type Shop } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/db.server";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { InvalidPayloadError } from "~/domain/orders/parse-order-payload";
import {
  CODE_DISCOUNT_BY_CODE_QUERY,
  DISCOUNT_CODE_BASIC_CREATE_MUTATION,
} from "~/shopify/admin-operations";
import type { AdminGraphql } from "./admin-api.server";
import { fieldErrorsOf } from "~/utils/field-errors";

export { DISCOUNT_TOPICS } from "./receive-webhook.server";

interface CodeDiscountNode {
  id: string;
  codeDiscount: { title?: string; status?: string; codes?: { nodes: { code: string }[] } } | null;
}

export type DiscountCodeResult =
  | { ok: true; discountCode: DiscountCode }
  | { ok: false; fieldErrors: Partial<Record<"code" | "percentOff" | "title", string>> };

const codeSchema = z
  .string()
  .trim()
  .min(1, "Enter a discount code")
  .max(255, "Shopify discount codes are at most 255 characters")
  .regex(/^\S+$/, "Discount codes cannot contain spaces");

export const newShopifyCodeSchema = z.object({
  code: codeSchema,
  title: z.string().trim().max(255, "Keep the title under 255 characters").optional(),
  percentOff: z.coerce
    .number({ error: "Enter the discount as a percentage" })
    .int("Enter a whole percentage")
    .min(1, "The discount must be at least 1%")
    .max(100, "The discount cannot exceed 100%"),
});

/** Makes a percentage-off code in Shopify for the creator (discountCodeBasicCreate) and links it to them. */
export async function createCodeInShopify(
  admin: AdminGraphql,
  shop: Shop,
  creatorId: string,
  raw: Record<string, unknown>,
  now = new Date(),
): Promise<DiscountCodeResult> {
  const parsed = newShopifyCodeSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { code, percentOff } = parsed.data;
  const creator = await prisma.creator.findFirst({ where: { id: creatorId, shopId: shop.id } });
  if (!creator) throw new Response("Creator not found", { status: 404 });
  const taken = await codeOwner(shop.id, code);
  if (taken) return { ok: false, fieldErrors: { code: `${taken} already uses this code` } };

  const data = await admin<{
    discountCodeBasicCreate: {
      codeDiscountNode: CodeDiscountNode | null;
      userErrors: { field: string[] | null; message: string; code: string | null }[];
    };
  }>(DISCOUNT_CODE_BASIC_CREATE_MUTATION, {
    basicCodeDiscount: {
      title: parsed.data.title || `${creator.name} – ${percentOff}% off`,
      code,
      startsAt: now.toISOString(),
      context: { all: "ALL" },
      customerGets: { value: { percentage: percentOff / 100 }, items: { all: true } },
      appliesOncePerCustomer: false,
    },
  });
  const { codeDiscountNode, userErrors } = data.discountCodeBasicCreate;
  if (userErrors.length || !codeDiscountNode) {
    const message = userErrors.map((error) => error.message).join(" ") || "Shopify did not create the discount";
    const field = userErrors[0]?.field?.at(-1);
    return { ok: false, fieldErrors: field === "percentage" ? { percentOff: message } : { code: message } };
  }
  const discountCode = await linkCode(shop.id, creatorId, code, codeDiscountNode.id, "CREATED_IN_APP");
  return discountCode ? { ok: true, discountCode } : { ok: false, fieldErrors: { code: "Another creator took this code meanwhile" } };
}

/** Links a code that already exists in Shopify to the creator; it must exist there (checked through the Admin API). */
export async function linkExistingCode(
  admin: AdminGraphql,
  shop: Shop,
  creatorId: string,
  raw: Record<string, unknown>,
): Promise<DiscountCodeResult> {
  const parsed = codeSchema.safeParse(raw.code);
  if (!parsed.success) return { ok: false, fieldErrors: { code: parsed.error.issues[0]!.message } };
  const creator = await prisma.creator.findFirst({ where: { id: creatorId, shopId: shop.id }, select: { id: true } });
  if (!creator) throw new Response("Creator not found", { status: 404 });
  const taken = await codeOwner(shop.id, parsed.data);
  if (taken) return { ok: false, fieldErrors: { code: `${taken} already uses this code` } };

  const data = await admin<{ codeDiscountNodeByCode: CodeDiscountNode | null }>(CODE_DISCOUNT_BY_CODE_QUERY, {
    code: parsed.data,
  });
  const node = data.codeDiscountNodeByCode;
  if (!node) return { ok: false, fieldErrors: { code: `Shopify has no discount with the code ${parsed.data}` } };
  // Shopify matches codes case-insensitively; keep its spelling.
  const spelled = node.codeDiscount?.codes?.nodes.find((c) => normalizeDiscountCode(c.code) === normalizeDiscountCode(parsed.data));
  const discountCode = await linkCode(shop.id, creatorId, spelled?.code ?? parsed.data, node.id, "LINKED");
  return discountCode ? { ok: true, discountCode } : { ok: false, fieldErrors: { code: "Another creator took this code meanwhile" } };
}

async function codeOwner(shopId: string, code: string): Promise<string | null> {
  const owner = await prisma.discountCode.findUnique({
    where: { shopId_normalizedCode: { shopId, normalizedCode: normalizeDiscountCode(code) } },
    select: { creator: { select: { name: true } } },
  });
  return owner?.creator.name ?? null;
}

async function linkCode(
  shopId: string,
  creatorId: string,
  code: string,
  shopifyDiscountGid: string,
  origin: "CREATED_IN_APP" | "LINKED",
): Promise<DiscountCode | null> {
  try {
    return await prisma.discountCode.create({
      data: { shopId, creatorId, code, normalizedCode: normalizeDiscountCode(code), shopifyDiscountGid, origin },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
    throw error;
  }
}

const redeemCodePayload = z.object({
  admin_graphql_api_id: z.string(),
  redeem_code: z.object({ code: z.string().min(1) }),
});
const discountPayload = z.object({ admin_graphql_api_id: z.string() });

/**
 * Keeps creator codes in step with Shopify: a code removed from its discount (renamed or deleted) is retired — past
 * orders that used it keep their creator — and a code added to a creator's discount becomes that creator's too.
 */
export async function applyDiscountWebhook(tx: Prisma.TransactionClient, shop: Shop, topic: string, payload: unknown) {
  if (topic === "DISCOUNTS_UPDATE") {
    // Title, status and dates do not change who a code credits; code changes arrive as redeemcode events.
    parse(discountPayload, payload);
    return;
  }
  if (topic === "DISCOUNTS_DELETE") {
    const { admin_graphql_api_id: gid } = parse(discountPayload, payload);
    await tx.discountCode.updateMany({
      where: { shopId: shop.id, shopifyDiscountGid: { in: equivalentDiscountGids(gid) }, retiredAt: null },
      data: { retiredAt: new Date() },
    });
    return;
  }
  const { admin_graphql_api_id: gid, redeem_code } = parse(redeemCodePayload, payload);
  const normalizedCode = normalizeDiscountCode(redeem_code.code);
  if (topic === "DISCOUNTS_REDEEMCODE_REMOVED") {
    await tx.discountCode.updateMany({
      where: { shopId: shop.id, normalizedCode, retiredAt: null },
      data: { retiredAt: new Date() },
    });
    return;
  }
  const sibling = await tx.discountCode.findFirst({
    where: { shopId: shop.id, shopifyDiscountGid: { in: equivalentDiscountGids(gid) } },
    orderBy: { createdAt: "asc" },
  });
  if (!sibling) return;
  const existing = await tx.discountCode.findUnique({ where: { shopId_normalizedCode: { shopId: shop.id, normalizedCode } } });
  if (existing) {
    if (existing.creatorId === sibling.creatorId && existing.retiredAt) {
      await tx.discountCode.update({ where: { id: existing.id }, data: { retiredAt: null, code: redeem_code.code } });
    }
    return;
  }
  await tx.discountCode.create({
    data: {
      shopId: shop.id,
      creatorId: sibling.creatorId,
      code: redeem_code.code,
      normalizedCode,
      shopifyDiscountGid: sibling.shopifyDiscountGid,
      origin: sibling.origin,
    },
  });
}

/** Webhooks name a code discount DiscountCodeNode/<id>; older payloads use PriceRule/<id> for the same number. */
function equivalentDiscountGids(gid: string): string[] {
  const id = gid.split("/").at(-1);
  return [gid, `gid://shopify/DiscountCodeNode/${id}`];
}

function parse<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new InvalidPayloadError(`Discount payload rejected: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
