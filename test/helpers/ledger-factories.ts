// Ledger history at chosen instants, for tests of what reads the ledger over time (statements). Entries are
// inserted the way the app posts them (append-only, one idempotency key each), with the posting time set.
import { randomUUID } from "node:crypto";
import type { LedgerEntryKind, PayoutMethod } from "@prisma/client";
import { prisma } from "~/db.server";
import { convertToPayoutCurrency } from "~/domain/ledger/payout-fx";

export async function createTestOrder(
  shopId: string,
  input: { name: string; processedAt: Date; netMinor?: bigint; customerGid?: string; customerEmailHash?: string; landingSite?: string },
) {
  const id = randomUUID();
  return prisma.order.create({
    data: {
      shopId,
      shopifyOrderGid: `gid://shopify/Order/${id.replace(/\D/g, "").slice(0, 12) || "1"}${Date.now()}`,
      name: input.name,
      currencyCode: "USD",
      presentmentCurrency: "USD",
      discountCodes: [],
      subtotalMinor: input.netMinor ?? 10_000n,
      totalTaxMinor: 0n,
      shippingMinor: 0n,
      netMerchandiseMinor: input.netMinor ?? 10_000n,
      processedAt: input.processedAt,
      shopifyUpdatedAt: input.processedAt,
      customerGid: input.customerGid ?? null,
      customerEmailHash: input.customerEmailHash ?? null,
      landingSite: input.landingSite ?? null,
    },
  });
}

export async function postTestEntry(
  shopId: string,
  creatorId: string,
  input: {
    kind?: LedgerEntryKind;
    amountMinor: bigint;
    createdAt: Date;
    availableAt?: Date;
    orderId?: string;
    periodKey?: string;
    sourceKey?: string;
    reason?: string;
    currencyCode?: string;
  },
) {
  const sourceKey = input.sourceKey ?? `test:${randomUUID()}`;
  return prisma.ledgerEntry.create({
    data: {
      shopId,
      creatorId,
      orderId: input.orderId ?? null,
      kind: input.kind ?? "COMMISSION",
      sourceKey,
      periodKey: input.periodKey ?? null,
      availableAt: input.availableAt ?? input.createdAt,
      amountMinor: input.amountMinor,
      currencyCode: input.currencyCode ?? "USD",
      idempotencyKey: `${sourceKey}#${randomUUID()}`,
      reason: input.reason ?? `Test entry of ${input.amountMinor}`,
      createdAt: input.createdAt,
    },
  });
}

/** A payout recorded at `createdAt` settling `entries` (their sum), like recordPayout does. */
export async function payTestEntries(
  shopId: string,
  creatorId: string,
  entries: readonly { id: string; amountMinor: bigint }[],
  input: { createdAt: Date; paidAt?: Date; method?: PayoutMethod; reference?: string; payoutCurrency?: string; fxRate?: string },
) {
  const amountMinor = entries.reduce((sum, entry) => sum + entry.amountMinor, 0n);
  const payoutCurrency = input.payoutCurrency ?? "USD";
  const fxRate = input.fxRate ?? "1";
  const payout = await prisma.payout.create({
    data: {
      shopId,
      creatorId,
      amountMinor,
      currencyCode: "USD",
      payoutCurrency,
      fxRate,
      payoutAmountMinor: convertToPayoutCurrency(amountMinor, "USD", payoutCurrency, fxRate),
      method: input.method ?? "PAYPAL",
      reference: input.reference ?? null,
      paidAt: input.paidAt ?? input.createdAt,
      createdAt: input.createdAt,
    },
  });
  await prisma.payoutItem.createMany({ data: entries.map((entry) => ({ shopId, payoutId: payout.id, ledgerEntryId: entry.id })) });
  return payout;
}
