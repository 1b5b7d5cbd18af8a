-- CreateTable
CREATE TABLE "CreatorMonthlyRollup" (
    "shopId" UUID NOT NULL,
    "creatorId" UUID NOT NULL,
    "month" DATE NOT NULL,
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

    CONSTRAINT "CreatorMonthlyRollup_pkey" PRIMARY KEY ("shopId","month","creatorId")
);

-- CreateIndex
CREATE INDEX "CreatorMonthlyRollup_shopId_creatorId_month_idx" ON "CreatorMonthlyRollup"("shopId", "creatorId", "month");

-- AddForeignKey
ALTER TABLE "CreatorMonthlyRollup" ADD CONSTRAINT "CreatorMonthlyRollup_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreatorMonthlyRollup" ADD CONSTRAINT "CreatorMonthlyRollup_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "Creator"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The months of the days rolled up so far (the refresh keeps them from now on, in the transactions that rewrite days).
INSERT INTO "CreatorMonthlyRollup" ("shopId", "creatorId", "month", "clicks", "orders", "netRevenueMinor", "newCustomers",
  "newCustomerRevenueMinor", "commissionMinor", "feeMinor", "seedingMinor", "cohortRevenue30Minor", "cohortRevenue90Minor",
  "cohortRevenue365Minor")
SELECT "shopId", "creatorId", date_trunc('month', "day"::timestamp)::date, SUM("clicks"), SUM("orders"), SUM("netRevenueMinor"),
  SUM("newCustomers"), SUM("newCustomerRevenueMinor"), SUM("commissionMinor"), SUM("feeMinor"), SUM("seedingMinor"),
  SUM("cohortRevenue30Minor"), SUM("cohortRevenue90Minor"), SUM("cohortRevenue365Minor")
FROM "CreatorDailyRollup"
GROUP BY 1, 2, 3;
