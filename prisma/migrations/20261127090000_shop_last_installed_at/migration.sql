-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "lastInstalledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Shops installed so far: their latest install is the one recorded.
UPDATE "Shop" SET "lastInstalledAt" = "installedAt";
