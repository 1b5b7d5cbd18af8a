-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "presentmentNetMerchandiseMinor" BIGINT NOT NULL DEFAULT 0;
