-- CreateEnum
CREATE TYPE "PayoutMethod" AS ENUM ('PAYPAL', 'BANK_TRANSFER', 'OTHER');

-- AlterTable
ALTER TABLE "Creator" ADD COLUMN     "payoutCurrency" TEXT,
ADD COLUMN     "paypalEmail" TEXT;

-- CreateTable
CREATE TABLE "Payout" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "creatorId" UUID NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "payoutCurrency" TEXT NOT NULL,
    "fxRate" DECIMAL(18,8) NOT NULL,
    "payoutAmountMinor" BIGINT NOT NULL,
    "method" "PayoutMethod" NOT NULL,
    "reference" TEXT,
    "note" TEXT,
    "paidAt" TIMESTAMP(3) NOT NULL,
    "exportedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Payout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayoutItem" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "payoutId" UUID NOT NULL,
    "ledgerEntryId" UUID NOT NULL,

    CONSTRAINT "PayoutItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Payout_shopId_paidAt_idx" ON "Payout"("shopId", "paidAt");

-- CreateIndex
CREATE INDEX "Payout_shopId_creatorId_paidAt_idx" ON "Payout"("shopId", "creatorId", "paidAt");

-- CreateIndex
CREATE UNIQUE INDEX "PayoutItem_ledgerEntryId_key" ON "PayoutItem"("ledgerEntryId");

-- CreateIndex
CREATE INDEX "PayoutItem_payoutId_idx" ON "PayoutItem"("payoutId");

-- CreateIndex
CREATE INDEX "PayoutItem_shopId_idx" ON "PayoutItem"("shopId");

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutItem" ADD CONSTRAINT "PayoutItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutItem" ADD CONSTRAINT "PayoutItem_payoutId_fkey" FOREIGN KEY ("payoutId") REFERENCES "Payout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayoutItem" ADD CONSTRAINT "PayoutItem_ledgerEntryId_fkey" FOREIGN KEY ("ledgerEntryId") REFERENCES "LedgerEntry"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- A payout settles a positive balance; the rate converts it (Prisma does not model CHECK constraints).
ALTER TABLE "Payout" ADD CONSTRAINT "Payout_amountMinor_positive" CHECK ("amountMinor" > 0),
ADD CONSTRAINT "Payout_payoutAmountMinor_positive" CHECK ("payoutAmountMinor" > 0),
ADD CONSTRAINT "Payout_fxRate_positive" CHECK ("fxRate" > 0);
