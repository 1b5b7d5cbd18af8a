-- CreateEnum
CREATE TYPE "DiscountCodeOrigin" AS ENUM ('CREATED_IN_APP', 'LINKED');

-- CreateEnum
CREATE TYPE "JourneyStatus" AS ENUM ('PENDING', 'READY', 'UNAVAILABLE');

-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('NOT_NEEDED', 'PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "AttributionAuditAction" AS ENUM ('OVERRIDE_SET', 'OVERRIDE_CLEARED', 'REVIEW_APPROVED', 'REVIEW_REJECTED');

-- CreateEnum
CREATE TYPE "OrderSyncKind" AS ENUM ('IMPORT', 'RECONCILE');

-- CreateEnum
CREATE TYPE "OrderSyncStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AttributionMethod" ADD VALUE 'TRACKING_LINK';
ALTER TYPE "AttributionMethod" ADD VALUE 'UTM';
ALTER TYPE "AttributionMethod" ADD VALUE 'REF_PARAM';
ALTER TYPE "AttributionMethod" ADD VALUE 'CART_ATTRIBUTE';
ALTER TYPE "AttributionMethod" ADD VALUE 'REFERRING_SITE';
ALTER TYPE "AttributionMethod" ADD VALUE 'CUSTOMER_JOURNEY';
ALTER TYPE "AttributionMethod" ADD VALUE 'SURVEY';
ALTER TYPE "AttributionMethod" ADD VALUE 'CUSTOMER_LOCK';
ALTER TYPE "AttributionMethod" ADD VALUE 'MANUAL_OVERRIDE';

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "attributionRules" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "ordersSyncedThrough" TIMESTAMP(3),
ADD COLUMN     "storefrontUrl" TEXT;

-- AlterTable
ALTER TABLE "Creator" ADD COLUMN     "customerGid" TEXT,
ADD COLUMN     "handle" TEXT,
ADD COLUMN     "referrerDomains" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Existing creators get a handle from their name, made unique by a piece of their id.
UPDATE "Creator"
SET "handle" = COALESCE(NULLIF(trim(both '-' from lower(regexp_replace("name", '[^a-zA-Z0-9]+', '-', 'g'))), ''), 'creator')
  || '-' || left("id"::text, 6);
ALTER TABLE "Creator" ALTER COLUMN "handle" SET NOT NULL;

-- AlterTable
ALTER TABLE "DiscountCode" ADD COLUMN     "origin" "DiscountCodeOrigin" NOT NULL DEFAULT 'LINKED',
ADD COLUMN     "retiredAt" TIMESTAMP(3),
ADD COLUMN     "shopifyDiscountGid" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "customerEmailHash" TEXT,
ADD COLUMN     "customerJourney" JSONB,
ADD COLUMN     "journeyAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "journeyCheckedAt" TIMESTAMP(3),
ADD COLUMN     "journeyStatus" "JourneyStatus" NOT NULL DEFAULT 'PENDING',
ADD COLUMN     "noteAttributes" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "normalizedDiscountCodes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- The same normalisation as normalizeDiscountCode: whitespace removed, upper case.
UPDATE "Order" SET "normalizedDiscountCodes" =
  ARRAY(SELECT upper(regexp_replace(c, '\s', '', 'g')) FROM unnest("discountCodes") AS c);

-- AlterTable
ALTER TABLE "Attribution" ADD COLUMN     "confidence" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "overridden" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "overrideCreatorId" UUID,
ADD COLUMN     "overrideReason" TEXT,
ADD COLUMN     "reviewStatus" "ReviewStatus" NOT NULL DEFAULT 'NOT_NEEDED',
ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "rule" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "AttributionAudit" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "action" "AttributionAuditAction" NOT NULL,
    "fromCreatorId" UUID,
    "toCreatorId" UUID,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AttributionAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingLink" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "creatorId" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "destinationPath" TEXT NOT NULL DEFAULT '/',
    "utmSource" TEXT NOT NULL,
    "utmMedium" TEXT NOT NULL DEFAULT 'influencer',
    "utmCampaign" TEXT NOT NULL,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackingLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkClick" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "linkId" UUID NOT NULL,
    "creatorId" UUID NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "visitorHash" TEXT NOT NULL,

    CONSTRAINT "LinkClick_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyResponse" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "confirmationNumber" TEXT NOT NULL,
    "creatorId" UUID,
    "optionKey" TEXT NOT NULL,
    "optionLabel" TEXT NOT NULL,
    "otherText" TEXT,
    "answeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SurveyResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderSync" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "kind" "OrderSyncKind" NOT NULL,
    "status" "OrderSyncStatus" NOT NULL DEFAULT 'RUNNING',
    "updatedSince" TIMESTAMP(3),
    "ordersTotal" INTEGER,
    "ordersQueued" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationGid" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "OrderSync_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AttributionAudit_shopId_orderId_createdAt_idx" ON "AttributionAudit"("shopId", "orderId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TrackingLink_slug_key" ON "TrackingLink"("slug");

-- CreateIndex
CREATE INDEX "TrackingLink_shopId_creatorId_idx" ON "TrackingLink"("shopId", "creatorId");

-- CreateIndex
CREATE INDEX "LinkClick_shopId_creatorId_occurredAt_idx" ON "LinkClick"("shopId", "creatorId", "occurredAt");

-- CreateIndex
CREATE INDEX "LinkClick_linkId_occurredAt_idx" ON "LinkClick"("linkId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_shopId_confirmationNumber_key" ON "SurveyResponse"("shopId", "confirmationNumber");

-- CreateIndex
CREATE INDEX "OrderSync_shopId_startedAt_idx" ON "OrderSync"("shopId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Creator_shopId_handle_key" ON "Creator"("shopId", "handle");

-- CreateIndex
CREATE INDEX "DiscountCode_shopId_shopifyDiscountGid_idx" ON "DiscountCode"("shopId", "shopifyDiscountGid");

-- CreateIndex
CREATE INDEX "Order_shopId_customerGid_processedAt_idx" ON "Order"("shopId", "customerGid", "processedAt");

-- CreateIndex
CREATE INDEX "Order_shopId_journeyStatus_idx" ON "Order"("shopId", "journeyStatus");

-- CreateIndex
CREATE INDEX "Attribution_shopId_reviewStatus_idx" ON "Attribution"("shopId", "reviewStatus");

-- AddForeignKey
ALTER TABLE "AttributionAudit" ADD CONSTRAINT "AttributionAudit_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackingLink" ADD CONSTRAINT "TrackingLink_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackingLink" ADD CONSTRAINT "TrackingLink_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkClick" ADD CONSTRAINT "LinkClick_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkClick" ADD CONSTRAINT "LinkClick_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "TrackingLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkClick" ADD CONSTRAINT "LinkClick_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyResponse" ADD CONSTRAINT "SurveyResponse_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderSync" ADD CONSTRAINT "OrderSync_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "Order_normalizedDiscountCodes_idx" ON "Order" USING GIN ("normalizedDiscountCodes");
