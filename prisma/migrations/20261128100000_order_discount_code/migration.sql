-- The code-burst check counted a code's orders of the past week with a filter on "Order"."normalizedDiscountCodes".
-- The planner read every order the shop took that week through ("shopId", "processedAt") and filtered them (the GIN
-- index does not bound time): at 40k orders a week, 200 ms per order processed. One row per order and code, with an
-- index on (shop, code, time), makes it one index range over that code's orders alone.

-- DropIndex
DROP INDEX "Order_normalizedDiscountCodes_idx";

-- CreateTable
CREATE TABLE "OrderDiscountCode" (
    "orderId" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "normalizedCode" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderDiscountCode_pkey" PRIMARY KEY ("orderId","normalizedCode")
);

-- CreateIndex
CREATE INDEX "OrderDiscountCode_shopId_normalizedCode_processedAt_idx" ON "OrderDiscountCode"("shopId", "normalizedCode", "processedAt");

-- AddForeignKey
ALTER TABLE "OrderDiscountCode" ADD CONSTRAINT "OrderDiscountCode_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "OrderDiscountCode" ("orderId", "shopId", "normalizedCode", "processedAt")
SELECT DISTINCT o."id", o."shopId", code, o."processedAt"
FROM "Order" o, unnest(o."normalizedDiscountCodes") AS code;

-- Kept by the database, as the rollup triggers are: every writer of orders (ingestion, imports, tests, fixtures) keeps
-- the rows right without having to know about them. Deleted orders take their rows with them (ON DELETE CASCADE).
CREATE FUNCTION "order_discount_codes_changed"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM "OrderDiscountCode" WHERE "orderId" = NEW."id";
  END IF;
  INSERT INTO "OrderDiscountCode" ("orderId", "shopId", "normalizedCode", "processedAt")
  SELECT DISTINCT NEW."id", NEW."shopId", code, NEW."processedAt" FROM unnest(NEW."normalizedDiscountCodes") AS code;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Order_discount_codes_inserted"
  AFTER INSERT ON "Order"
  FOR EACH ROW WHEN (cardinality(NEW."normalizedDiscountCodes") > 0)
  EXECUTE FUNCTION "order_discount_codes_changed"();

CREATE TRIGGER "Order_discount_codes_updated"
  AFTER UPDATE OF "normalizedDiscountCodes", "processedAt" ON "Order"
  FOR EACH ROW WHEN ((NEW."normalizedDiscountCodes", NEW."processedAt") IS DISTINCT FROM (OLD."normalizedDiscountCodes", OLD."processedAt"))
  EXECUTE FUNCTION "order_discount_codes_changed"();
