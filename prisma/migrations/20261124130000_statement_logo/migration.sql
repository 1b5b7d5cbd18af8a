-- AlterTable
ALTER TABLE "StatementSettings" ADD COLUMN     "logoUrl" TEXT;

