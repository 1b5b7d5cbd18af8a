-- AlterTable
ALTER TABLE "RollupChange" ADD COLUMN     "at" TIMESTAMP(3),
ALTER COLUMN "day" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_periodKey_idx" ON "LedgerEntry"("shopId", "periodKey");


-- Rollups are rebuilt per shop day from the facts (app/services/refresh-rollups.server.ts). These triggers note, in
-- the transaction that changes a fact, which instant or day it touched, so a committed change can never be missed
-- (whatever Redis or the worker did meanwhile) and nothing in the app has to remember to ask. A shop being erased
-- (shop/redact) needs no rollups.

CREATE FUNCTION "rollup_note"(shop uuid, instant timestamp, on_day date) RETURNS void AS $$
BEGIN
  IF shop IS NULL OR (instant IS NULL AND on_day IS NULL) THEN
    RETURN;
  END IF;
  IF current_setting('creator_ledger.erasing_shop', true) = shop::text THEN
    RETURN;
  END IF;
  INSERT INTO "RollupChange" ("shopId", "at", "day") VALUES (shop, instant, on_day);
END;
$$ LANGUAGE plpgsql;

-- Orders: only the columns rollups read; the journey fetch and other bookkeeping updates do not count.
CREATE FUNCTION "rollup_order_changed"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "rollup_note"(NEW."shopId", NEW."processedAt", NULL);
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM "rollup_note"(OLD."shopId", OLD."processedAt", NULL);
    RETURN OLD;
  END IF;
  IF (NEW."processedAt", NEW."netMerchandiseMinor", NEW."cancelledAt", NEW."newCustomer", NEW."customerGid", NEW."test", NEW."shippingRegion")
     IS DISTINCT FROM
     (OLD."processedAt", OLD."netMerchandiseMinor", OLD."cancelledAt", OLD."newCustomer", OLD."customerGid", OLD."test", OLD."shippingRegion") THEN
    PERFORM "rollup_note"(NEW."shopId", NEW."processedAt", NULL);
    IF NEW."processedAt" IS DISTINCT FROM OLD."processedAt" THEN
      PERFORM "rollup_note"(OLD."shopId", OLD."processedAt", NULL);
    END IF;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Order_rollup_change"
  AFTER INSERT OR UPDATE OR DELETE ON "Order"
  FOR EACH ROW EXECUTE FUNCTION "rollup_order_changed"();

-- Attributions: the creator credited, or a review that rejects the credit, moves the order between creators.
CREATE FUNCTION "rollup_attribution_changed"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW."creatorId", NEW."reviewStatus") IS NOT DISTINCT FROM (OLD."creatorId", OLD."reviewStatus") THEN
    RETURN NEW;
  END IF;
  PERFORM "rollup_note"(NEW."shopId", o."processedAt", NULL) FROM "Order" o WHERE o."id" = NEW."orderId";
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Attribution_rollup_change"
  AFTER INSERT OR UPDATE ON "Attribution"
  FOR EACH ROW EXECUTE FUNCTION "rollup_attribution_changed"();

-- Ledger entries are only ever inserted: an order's count on the order's day, the rest on their pay period's first.
CREATE FUNCTION "rollup_ledger_entry_added"() RETURNS trigger AS $$
BEGIN
  IF NEW."orderId" IS NOT NULL THEN
    PERFORM "rollup_note"(NEW."shopId", o."processedAt", NULL) FROM "Order" o WHERE o."id" = NEW."orderId";
  ELSIF NEW."periodKey" ~ '^\d{4}-\d{2}$' THEN
    PERFORM "rollup_note"(NEW."shopId", NULL, to_date(NEW."periodKey" || '-01', 'YYYY-MM-DD'));
  ELSE
    PERFORM "rollup_note"(NEW."shopId", NULL, (NEW."createdAt" AT TIME ZONE 'UTC')::date);
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "LedgerEntry_rollup_change"
  AFTER INSERT ON "LedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION "rollup_ledger_entry_added"();

CREATE FUNCTION "rollup_link_click_changed"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM "rollup_note"(OLD."shopId", OLD."occurredAt", NULL);
    RETURN OLD;
  END IF;
  PERFORM "rollup_note"(NEW."shopId", NEW."occurredAt", NULL);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "LinkClick_rollup_change"
  AFTER INSERT OR DELETE ON "LinkClick"
  FOR EACH ROW EXECUTE FUNCTION "rollup_link_click_changed"();

CREATE FUNCTION "rollup_creator_cost_changed"() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM "rollup_note"(OLD."shopId", NULL, OLD."incurredOn");
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM "rollup_note"(NEW."shopId", NULL, NEW."incurredOn");
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "CreatorCost_rollup_change"
  AFTER INSERT OR UPDATE OR DELETE ON "CreatorCost"
  FOR EACH ROW EXECUTE FUNCTION "rollup_creator_cost_changed"();

-- Shops that already have orders, clicks and ledger entries get every day with facts rebuilt once.
INSERT INTO "RollupChange" ("shopId", "at")
  SELECT DISTINCT "shopId", "processedAt" FROM "Order"
  UNION SELECT DISTINCT "shopId", "occurredAt" FROM "LinkClick";
INSERT INTO "RollupChange" ("shopId", "day")
  SELECT DISTINCT "shopId", to_date("periodKey" || '-01', 'YYYY-MM-DD') FROM "LedgerEntry"
  WHERE "orderId" IS NULL AND "periodKey" ~ '^\d{4}-\d{2}$';
