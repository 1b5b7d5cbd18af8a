-- CreateEnum
CREATE TYPE "DeliverableKind" AS ENUM ('POST', 'VIDEO', 'STORY', 'REEL', 'LIVESTREAM');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "CompensationModel" ADD VALUE 'FLAT_FEE';
ALTER TYPE "CompensationModel" ADD VALUE 'RETAINER';
ALTER TYPE "CompensationModel" ADD VALUE 'CPA';
ALTER TYPE "CompensationModel" ADD VALUE 'TIERED';
ALTER TYPE "CompensationModel" ADD VALUE 'HYBRID';
ALTER TYPE "CompensationModel" ADD VALUE 'RETAINER_BONUS';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "LedgerEntryKind" ADD VALUE 'CPA';
ALTER TYPE "LedgerEntryKind" ADD VALUE 'TIER_ADJUSTMENT';
ALTER TYPE "LedgerEntryKind" ADD VALUE 'BONUS';
ALTER TYPE "LedgerEntryKind" ADD VALUE 'RETAINER';
ALTER TYPE "LedgerEntryKind" ADD VALUE 'BASE_FEE';
ALTER TYPE "LedgerEntryKind" ADD VALUE 'FLAT_FEE';
ALTER TYPE "LedgerEntryKind" ADD VALUE 'CAP_ADJUSTMENT';
ALTER TYPE "LedgerEntryKind" ADD VALUE 'DRAW_ADVANCE';
ALTER TYPE "LedgerEntryKind" ADD VALUE 'DRAW_RECOVERY';
ALTER TYPE "LedgerEntryKind" ADD VALUE 'ADJUSTMENT';

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "holdDays" INTEGER NOT NULL DEFAULT 30;

-- AlterTable: a contract's terms become a list of components; existing revenue shares carry over.
ALTER TABLE "Contract" ADD COLUMN "terms" JSONB;
UPDATE "Contract" SET "terms" = jsonb_build_object(
  'components', jsonb_build_array(jsonb_build_object(
    'kind', 'REVENUE_SHARE', 'percent', to_char("revenueSharePercent", 'FM990.00'), 'overrides', '[]'::jsonb)),
  'revenueBasis', jsonb_build_object('includeShipping', false, 'includeTaxes', false),
  'capPerPeriodMinor', NULL,
  'drawPerPeriodMinor', NULL);
ALTER TABLE "Contract" ALTER COLUMN "terms" SET NOT NULL,
DROP COLUMN "revenueSharePercent",
ALTER COLUMN "model" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "lines" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "newCustomer" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable: existing entries are order revenue shares, payable 30 days after they were posted.
ALTER TABLE "LedgerEntry" ADD COLUMN "availableAt" TIMESTAMP(3),
ADD COLUMN "periodKey" TEXT,
ADD COLUMN "sourceKey" TEXT;
-- The append-only trigger guards against application writes; this one-off backfill is the schema's own.
ALTER TABLE "LedgerEntry" DISABLE TRIGGER "LedgerEntry_append_only";
UPDATE "LedgerEntry" SET "sourceKey" = 'order:' || "orderId" || ':revenue-share',
  "availableAt" = "createdAt" + interval '30 days'
WHERE "sourceKey" IS NULL;
ALTER TABLE "LedgerEntry" ENABLE TRIGGER "LedgerEntry_append_only";
ALTER TABLE "LedgerEntry" ALTER COLUMN "availableAt" SET NOT NULL,
ALTER COLUMN "sourceKey" SET NOT NULL;

-- CreateTable
CREATE TABLE "Deliverable" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "creatorId" UUID NOT NULL,
    "kind" "DeliverableKind" NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT,
    "deliveredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Deliverable_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Deliverable_shopId_creatorId_deliveredAt_idx" ON "Deliverable"("shopId", "creatorId", "deliveredAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_creatorId_periodKey_idx" ON "LedgerEntry"("shopId", "creatorId", "periodKey");

-- AddForeignKey
ALTER TABLE "Deliverable" ADD CONSTRAINT "Deliverable_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deliverable" ADD CONSTRAINT "Deliverable_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "CreatorPeriod" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "creatorId" UUID NOT NULL,
    "periodKey" TEXT NOT NULL,
    "changeVersion" INTEGER NOT NULL DEFAULT 1,
    "settledVersion" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CreatorPeriod_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "CreatorPeriod_shopId_periodKey_idx" ON "CreatorPeriod"("shopId", "periodKey");
CREATE UNIQUE INDEX "CreatorPeriod_creatorId_periodKey_key" ON "CreatorPeriod"("creatorId", "periodKey");
ALTER TABLE "CreatorPeriod" ADD CONSTRAINT "CreatorPeriod_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CreatorPeriod" ADD CONSTRAINT "CreatorPeriod_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE CASCADE ON UPDATE CASCADE;
