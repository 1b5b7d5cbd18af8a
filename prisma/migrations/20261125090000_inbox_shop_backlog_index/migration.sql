-- A shop's unprocessed webhooks (the jobs page's backlog and failures), read without scanning other shops' backlogs.
CREATE INDEX "InboxEvent_shop_unprocessed_idx" ON "InboxEvent"("shopDomain", "receivedAt") WHERE "processedAt" IS NULL;
