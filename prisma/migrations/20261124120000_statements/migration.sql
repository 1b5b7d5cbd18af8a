-- CreateEnum
CREATE TYPE "StatementCadence" AS ENUM ('MONTHLY', 'BIWEEKLY', 'WEEKLY');

-- CreateEnum
CREATE TYPE "StatementDeliveryKind" AS ENUM ('ORIGINAL', 'RESEND');

-- CreateEnum
CREATE TYPE "StatementDeliveryStatus" AS ENUM ('SENDING', 'SENT', 'FAILED', 'UNCONFIRMED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "StatementSkipReason" AS ENUM ('NO_EMAIL', 'OPTED_OUT', 'EXCLUDED', 'NO_EXCHANGE_RATE', 'NOTHING_TO_REPORT');

-- AlterTable
ALTER TABLE "Creator" ADD COLUMN     "statementsExcluded" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "statementsOptOut" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "StatementSettings" (
    "shopId" UUID NOT NULL,
    "cadence" "StatementCadence" NOT NULL DEFAULT 'MONTHLY',
    "autoSend" BOOLEAN NOT NULL DEFAULT true,
    "fromName" TEXT,
    "replyTo" TEXT,
    "historyCutoffAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StatementSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "ExchangeRate" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "rate" DECIMAL(18,8) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExchangeRate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatementRun" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "periodKey" TEXT NOT NULL,
    "cadence" "StatementCadence" NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "StatementRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Statement" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "creatorId" UUID NOT NULL,
    "periodKey" TEXT NOT NULL,
    "cadence" "StatementCadence" NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "payoutCurrency" TEXT NOT NULL,
    "fxRate" DECIMAL(18,8) NOT NULL,
    "openingMinor" BIGINT NOT NULL,
    "closingMinor" BIGINT NOT NULL,
    "closingPayoutMinor" BIGINT NOT NULL,
    "document" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Statement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatementDelivery" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "creatorId" UUID NOT NULL,
    "periodKey" TEXT NOT NULL,
    "statementId" UUID,
    "kind" "StatementDeliveryKind" NOT NULL DEFAULT 'ORIGINAL',
    "status" "StatementDeliveryStatus" NOT NULL,
    "skipReason" "StatementSkipReason",
    "attempt" INTEGER,
    "messageId" TEXT,
    "toEmail" TEXT,
    "smtpResponse" TEXT,
    "error" TEXT,
    "requestedBy" TEXT,
    "requestKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "StatementDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExchangeRate_shopId_currencyCode_createdAt_idx" ON "ExchangeRate"("shopId", "currencyCode", "createdAt");

-- CreateIndex
CREATE INDEX "StatementRun_completedAt_requestedAt_idx" ON "StatementRun"("completedAt", "requestedAt");

-- CreateIndex
CREATE UNIQUE INDEX "StatementRun_shopId_periodKey_key" ON "StatementRun"("shopId", "periodKey");

-- CreateIndex
CREATE INDEX "Statement_shopId_periodKey_idx" ON "Statement"("shopId", "periodKey");

-- CreateIndex
CREATE UNIQUE INDEX "Statement_shopId_creatorId_periodKey_key" ON "Statement"("shopId", "creatorId", "periodKey");

-- CreateIndex
CREATE UNIQUE INDEX "StatementDelivery_messageId_key" ON "StatementDelivery"("messageId");

-- CreateIndex
CREATE INDEX "StatementDelivery_shopId_periodKey_creatorId_createdAt_idx" ON "StatementDelivery"("shopId", "periodKey", "creatorId", "createdAt");

-- CreateIndex
CREATE INDEX "StatementDelivery_creatorId_idx" ON "StatementDelivery"("creatorId");

-- CreateIndex
CREATE UNIQUE INDEX "StatementDelivery_statementId_attempt_key" ON "StatementDelivery"("statementId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "StatementDelivery_shopId_requestKey_key" ON "StatementDelivery"("shopId", "requestKey");

-- AddForeignKey
ALTER TABLE "StatementSettings" ADD CONSTRAINT "StatementSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExchangeRate" ADD CONSTRAINT "ExchangeRate_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatementRun" ADD CONSTRAINT "StatementRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Statement" ADD CONSTRAINT "Statement_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Statement" ADD CONSTRAINT "Statement_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatementDelivery" ADD CONSTRAINT "StatementDelivery_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatementDelivery" ADD CONSTRAINT "StatementDelivery_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatementDelivery" ADD CONSTRAINT "StatementDelivery_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "Statement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

