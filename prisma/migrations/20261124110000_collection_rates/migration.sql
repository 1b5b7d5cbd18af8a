-- CreateEnum
CREATE TYPE "CollectionSyncStatus" AS ENUM ('QUEUED', 'RUNNING', 'SYNCED', 'FAILED', 'DELETED');

-- CreateTable
CREATE TABLE "CollectionSync" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "collectionGid" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" "CollectionSyncStatus" NOT NULL DEFAULT 'QUEUED',
    "pass" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "productsRead" INTEGER NOT NULL DEFAULT 0,
    "changedProductGids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3),
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectionSync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectionProduct" (
    "syncId" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "collectionGid" TEXT NOT NULL,
    "productGid" TEXT NOT NULL,
    "addedInPass" INTEGER NOT NULL,
    "seenInPass" INTEGER NOT NULL,

    CONSTRAINT "CollectionProduct_pkey" PRIMARY KEY ("syncId","productGid")
);

-- CreateIndex
CREATE INDEX "CollectionSync_status_updatedAt_idx" ON "CollectionSync"("status", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CollectionSync_shopId_collectionGid_key" ON "CollectionSync"("shopId", "collectionGid");

-- CreateIndex
CREATE INDEX "CollectionProduct_shopId_productGid_idx" ON "CollectionProduct"("shopId", "productGid");

-- AddForeignKey
ALTER TABLE "CollectionSync" ADD CONSTRAINT "CollectionSync_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CollectionProduct" ADD CONSTRAINT "CollectionProduct_syncId_fkey" FOREIGN KEY ("syncId") REFERENCES "CollectionSync"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CollectionProduct" ADD CONSTRAINT "CollectionProduct_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

