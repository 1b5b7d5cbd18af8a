import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, InlineStack, Page, ProgressBar, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { prisma } from "~/db.server";
import { enqueueSyncStep } from "~/jobs/shopify-admin-worker.server";
import { defaultImportSince, importSince, orderSyncProgress, type OrderSyncProgress } from "~/models/order-sync.server";
import { shopifyAdminQueue } from "~/queues.server";
import { OrderSyncRunningError, startOrderSync } from "~/services/order-sync.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const progress = await orderSyncProgress(shop);
  return { ...progress, defaultSince: defaultImportSince(shop), timezone: shop.timezone };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const since = importSince(shop, Object.fromEntries(await readAdminForm(request)));
  if (!since.ok) return data({ started: false as const, fieldErrors: since.fieldErrors, formError: null }, { status: 400 });
  try {
    const sync = await startOrderSync(prisma, shop.id, "IMPORT", since.since);
    await enqueueSyncStep(shopifyAdminQueue(), sync);
  } catch (error) {
    if (error instanceof OrderSyncRunningError) {
      return data({ started: false as const, fieldErrors: {}, formError: error.message }, { status: 409 });
    }
    throw error;
  }
  return { started: true as const, fieldErrors: {}, formError: null };
};

export default function ImportOrdersPage() {
  const { latestImport, latestReconcile, defaultSince, timezone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [since, setSince] = useState(defaultSince);
  const submitting = useNavigation().state === "submitting";
  const running = latestImport?.status === "RUNNING";
  usePollWhile(running || latestReconcile?.status === "RUNNING");

  return (
    <Page title="Import orders" backAction={{ content: "Orders", url: "/app/orders" }} narrowWidth>
      <BlockStack gap="400">
        {result?.formError ? <Banner tone="critical" title={result.formError} /> : null}
        <Card>
          <Form method="post">
            <FormLayout>
              <Text as="p">
                Past orders are read from Shopify and go through the same attribution and commission rules as new
                ones. Orders already in the app are updated, never counted twice.
              </Text>
              <TextField
                label="Orders since"
                name="since"
                type="date"
                value={since}
                onChange={setSince}
                error={result?.fieldErrors && "since" in result.fieldErrors ? result.fieldErrors.since : undefined}
                helpText={`Orders updated on or after this day (${timezone}). Leave blank to import the shop's whole history.`}
                autoComplete="off"
              />
              <InlineStack align="end">
                <Button submit variant="primary" loading={submitting} disabled={running}>
                  {running ? "Import running" : "Import orders"}
                </Button>
              </InlineStack>
            </FormLayout>
          </Form>
        </Card>
        {latestImport ? <SyncCard title="Latest import" sync={latestImport} /> : null}
        {latestReconcile ? (
          <SyncCard
            title="Latest reconciliation"
            sync={latestReconcile}
            description="Every 15 minutes the app re-reads orders updated since the last sync, so a webhook Shopify could not deliver is never missed."
          />
        ) : null}
      </BlockStack>
    </Page>
  );
}

function SyncCard({ title, sync, description }: { title: string; sync: OrderSyncProgress; description?: string }) {
  const total = sync.ordersTotal ?? sync.ordersQueued;
  const percent = total > 0 ? Math.min(100, Math.round((sync.ordersProcessed / total) * 100)) : sync.status === "RUNNING" ? 0 : 100;
  const tone = sync.status === "FAILED" ? "critical" : sync.status === "SUCCEEDED" ? "success" : "info";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          <Badge tone={tone}>{sync.status === "RUNNING" ? "Running" : sync.status === "SUCCEEDED" ? "Finished" : "Failed"}</Badge>
        </InlineStack>
        {description ? (
          <Text as="p" tone="subdued">
            {description}
          </Text>
        ) : null}
        <ProgressBar progress={percent} tone={sync.status === "FAILED" ? "critical" : "primary"} />
        <Text as="p" aria-live="polite">
          {sync.ordersProcessed.toLocaleString()} of {total.toLocaleString()} orders processed
          {sync.updatedSince ? ` (updated since ${new Date(sync.updatedSince).toLocaleDateString()})` : " (all history)"}
        </Text>
        {sync.error ? <Banner tone="critical" title="The sync stopped">{sync.error}</Banner> : null}
      </BlockStack>
    </Card>
  );
}

function usePollWhile(active: boolean) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2_000);
    return () => clearInterval(timer);
  }, [active, revalidator]);
}
