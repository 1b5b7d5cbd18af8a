-- CreateEnum
CREATE TYPE "CreatorPlatform" AS ENUM ('INSTAGRAM', 'TIKTOK', 'YOUTUBE', 'PODCAST', 'BLOG', 'NEWSLETTER', 'OTHER');

-- CreateEnum
CREATE TYPE "FunnelStage" AS ENUM ('AWARENESS', 'CONSIDERATION', 'CONVERSION');

-- CreateEnum
CREATE TYPE "CreatorCostKind" AS ENUM ('FLAT_FEE', 'PRODUCT_SEEDING');

-- CreateEnum
CREATE TYPE "UnitCostSource" AS ENUM ('SHOPIFY', 'MERCHANT');

-- CreateEnum
CREATE TYPE "ExperimentDesign" AS ENUM ('GEO_SPLIT', 'PERIOD_HOLDOUT');

-- AlterTable
ALTER TABLE "Creator" ADD COLUMN     "funnelStage" "FunnelStage",
ADD COLUMN     "niche" TEXT,
ADD COLUMN     "platform" "CreatorPlatform";

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "shippingRegion" TEXT;

-- CreateTable
CREATE TABLE "CreatorCost" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "creatorId" UUID NOT NULL,
    "kind" "CreatorCostKind" NOT NULL,
    "description" TEXT NOT NULL,
    "incurredOn" DATE NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "productGid" TEXT,
    "variantGid" TEXT,
    "productTitle" TEXT,
    "quantity" INTEGER,
    "unitCostMinor" BIGINT,
    "unitCostSource" "UnitCostSource",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreatorCost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreatorDailyRollup" (
    "shopId" UUID NOT NULL,
    "creatorId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "netRevenueMinor" BIGINT NOT NULL DEFAULT 0,
    "newCustomers" INTEGER NOT NULL DEFAULT 0,
    "newCustomerRevenueMinor" BIGINT NOT NULL DEFAULT 0,
    "commissionMinor" BIGINT NOT NULL DEFAULT 0,
    "feeMinor" BIGINT NOT NULL DEFAULT 0,
    "seedingMinor" BIGINT NOT NULL DEFAULT 0,
    "cohortRevenue30Minor" BIGINT NOT NULL DEFAULT 0,
    "cohortRevenue90Minor" BIGINT NOT NULL DEFAULT 0,
    "cohortRevenue365Minor" BIGINT NOT NULL DEFAULT 0,
    "refreshedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreatorDailyRollup_pkey" PRIMARY KEY ("shopId","day","creatorId")
);

-- CreateTable
CREATE TABLE "RegionDailyRollup" (
    "shopId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "region" TEXT NOT NULL,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "netRevenueMinor" BIGINT NOT NULL DEFAULT 0,
    "refreshedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegionDailyRollup_pkey" PRIMARY KEY ("shopId","day","region")
);

-- CreateTable
CREATE TABLE "RollupChange" (
    "id" BIGSERIAL NOT NULL,
    "shopId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RollupChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Experiment" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "design" "ExperimentDesign" NOT NULL,
    "creatorIds" UUID[],
    "exposedRegions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "controlRegions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "startsOn" DATE NOT NULL,
    "endsOn" DATE NOT NULL,
    "baselineStartsOn" DATE NOT NULL,
    "baselineEndsOn" DATE NOT NULL,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Experiment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CreatorCost_shopId_creatorId_incurredOn_idx" ON "CreatorCost"("shopId", "creatorId", "incurredOn");

-- CreateIndex
CREATE INDEX "CreatorDailyRollup_shopId_creatorId_day_idx" ON "CreatorDailyRollup"("shopId", "creatorId", "day");

-- CreateIndex
CREATE INDEX "RollupChange_shopId_id_idx" ON "RollupChange"("shopId", "id");

-- CreateIndex
CREATE INDEX "Experiment_shopId_createdAt_idx" ON "Experiment"("shopId", "createdAt");

-- AddForeignKey
ALTER TABLE "CreatorCost" ADD CONSTRAINT "CreatorCost_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreatorCost" ADD CONSTRAINT "CreatorCost_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreatorDailyRollup" ADD CONSTRAINT "CreatorDailyRollup_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreatorDailyRollup" ADD CONSTRAINT "CreatorDailyRollup_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegionDailyRollup" ADD CONSTRAINT "RegionDailyRollup_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Experiment" ADD CONSTRAINT "Experiment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

