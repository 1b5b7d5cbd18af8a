-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "rollupVersion" INTEGER NOT NULL DEFAULT 0;

