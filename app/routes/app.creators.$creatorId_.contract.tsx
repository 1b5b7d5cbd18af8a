import { useEffect, useState } from "react";
import { creatorNotFound } from "~/components/CreatorErrorBoundary";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  Divider,
  InlineStack,
  Link,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import { COMPENSATION_MODEL_LABELS, ContractForm } from "~/components/ContractForm";

import type { LedgerEntryKind } from "~/domain/commissions/commission-facts";
import { describeTerms } from "~/domain/commissions/contract-presets";
import type { CompensationModel } from "~/domain/commissions/contract-terms";
import { collectionsNamedBy } from "~/domain/commissions/rate-overrides";
import { formatMoney } from "~/domain/money";
import {
  contractFormValues,
  contractHistory,
  saveContract,
  validateContractForm,
  type ContractFieldErrors,
  type VersionStatus,
} from "~/models/contract.server";
import { getCreator } from "~/models/creator.server";
import { collectionSyncViews, type CollectionSyncView } from "~/services/collection-sync.server";
import { previewContract } from "~/services/preview-contract.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

/** An instant as the merchant reads it: in the shop's timezone. */
function shopTime(instant: Date, timezone: string): string {
  return format(new TZDate(instant.getTime(), timezone), "MMM d, yyyy, h:mm a");
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  // Scoped by shop: another shop's creator id is as unknown as a made-up one.
  const creator = await getCreator(shop.id, params.creatorId ?? "");
  if (!creator) throw creatorNotFound();
  const now = new Date();
  const history = await contractHistory(shop.id, creator.id, now);
  const current = history.find((version) => version.status === "current") ?? null;
  // The form starts from the newest terms, scheduled ones included: that is what the merchant would change next.
  const newest = history[0] ?? null;
  const paysFlatFee = history
    .filter((version) => version.status !== "past")
    .some((version) => version.terms.components.some((component) => component.kind === "FLAT_FEE"));
  const namedCollections = history
    .filter((version) => version.status !== "past")
    .flatMap((version) => collectionsNamedBy(version.terms).map((collection) => collection.gid));
  const collections = await collectionSyncViews(shop.id, [...new Set(namedCollections)]);
  return {
    creator: { id: creator.id, name: creator.name },
    currencyCode: shop.currencyCode,
    today: format(new TZDate(now.getTime(), shop.timezone), "yyyy-MM-dd"),
    current: current && {
      model: current.model,
      lines: current.lines,
      since: shopTime(current.effectiveFrom, shop.timezone),
      // The engine lets a creator's first contract cover the orders placed before it was saved.
      first: history.at(-1)?.id === current.id,
    },
    paysFlatFee,
    collections: collections.map((collection) => ({
      gid: collection.gid,
      title: collection.title,
      state: collectionState(collection, shop.timezone),
    })),
    formKey: newest?.id ?? "none",
    formValues: contractFormValues(newest, shop.currencyCode),
    history: history.map((version) => ({
      id: version.id,
      model: version.model,
      lines: version.lines,
      status: version.status,
      effectiveFrom: shopTime(version.effectiveFrom, shop.timezone),
    })),
  };
};

interface PreviewJson {
  periodKey: string;
  periodLabel: string;
  totalMinor: string;
  actualMinor: string;
  byKind: { kind: LedgerEntryKind; amountMinor: string; entries: number }[];
  orders: number;
  revenueMinor: string;
  deliverables: number;
  /** The candidate terms, as the history will describe them. */
  lines: string[];
  collectionsNotRead: string[];
}

type ActionData =
  | { intent: "preview" | "save"; fieldErrors: ContractFieldErrors; formError: string | null }
  | { intent: "preview"; preview: PreviewJson }
  | { intent: "save"; saved: { effectiveFrom: string; scheduled: boolean } };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const creator = await getCreator(shop.id, params.creatorId ?? "");
  if (!creator) throw creatorNotFound();
  const formData = await readAdminForm(request);
  const raw = Object.fromEntries(formData);
  // Anything but an explicit save only previews: pressing Enter must never change a contract.
  const intent = raw.intent === "save" ? "save" : "preview";
  const now = new Date();

  if (intent === "preview") {
    const form = validateContractForm(shop, raw.model, raw, now);
    if (!form.ok)
      return data<ActionData>({ intent, fieldErrors: form.fieldErrors, formError: form.formError }, { status: 400 });
    const { periodKey, candidate, actualMinor, collectionsNotRead } = await previewContract(shop, creator.id, form.terms, now);
    const [year, month] = periodKey.split("-").map(Number) as [number, number];
    return data<ActionData>({
      intent,
      preview: {
        periodKey,
        periodLabel: format(new Date(year, month - 1, 1), "MMMM yyyy"),
        totalMinor: candidate.totalMinor.toString(),
        actualMinor: actualMinor.toString(),
        byKind: candidate.byKind.map((row) => ({ ...row, amountMinor: row.amountMinor.toString() })),
        orders: candidate.orders,
        revenueMinor: candidate.revenueMinor.toString(),
        deliverables: candidate.deliverables,
        lines: describeTerms(form.terms, shop.currencyCode),
        collectionsNotRead,
      },
    });
  }

  const result = await saveContract(shop.id, creator.id, raw.model, raw, now);
  if (!result) throw creatorNotFound();
  if (!result.ok)
    return data<ActionData>({ intent, fieldErrors: result.fieldErrors, formError: result.formError }, { status: 400 });
  return data<ActionData>({
    intent,
    saved: { effectiveFrom: shopTime(result.effectiveFrom, shop.timezone), scheduled: result.effectiveFrom > now },
  });
};

const KIND_LABELS: Record<LedgerEntryKind, string> = {
  COMMISSION: "Revenue share",
  CPA: "CPA",
  TIER_ADJUSTMENT: "Tier top-up",
  BONUS: "Performance bonus",
  RETAINER: "Retainer",
  BASE_FEE: "Base fee",
  FLAT_FEE: "Flat fees",
  CAP_ADJUSTMENT: "Cap",
  DRAW_ADVANCE: "Draw advance",
  DRAW_RECOVERY: "Draw recovery",
  ADJUSTMENT: "Adjustments",
  REVERSAL: "Reversals",
};

/** Where the app is with a collection's products, in words for the merchant. */
function collectionState(collection: CollectionSyncView, timezone: string): string {
  const products = `${collection.productsCount} ${collection.productsCount === 1 ? "product" : "products"}`;
  switch (collection.status) {
    case "QUEUED":
    case "RUNNING":
      return collection.syncedAt
        ? `${products}; being read again from Shopify`
        : "its products are being read from Shopify; orders are posted again once they are";
    case "SYNCED":
      return `${products}, read from Shopify ${collection.syncedAt ? shopTime(collection.syncedAt, timezone) : ""}`.trim();
    case "FAILED":
      return `${products}; the last read from Shopify failed (${collection.error ?? "unknown error"}) and is tried again daily`;
    case "DELETED":
      return "no longer exists in Shopify: its rate applies to no product";
  }
}

const STATUS_BADGES: Record<VersionStatus, { tone?: "success" | "info"; label: string }> = {
  current: { tone: "success", label: "Current" },
  scheduled: { tone: "info", label: "Scheduled" },
  past: { label: "Past" },
};

export default function ContractPage() {
  const { creator, currencyCode, today, current, paysFlatFee, collections, formKey, formValues, history } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && "fieldErrors" in actionData ? actionData : null;
  const preview = actionData && "preview" in actionData ? actionData.preview : null;
  const saved = actionData && "saved" in actionData ? actionData.saved : null;
  const [savedDismissed, setSavedDismissed] = useState(false);
  const money = (minor: string) => formatMoney(BigInt(minor), currencyCode);

  useEffect(() => {
    setSavedDismissed(false);
    // App Bridge is absent outside Shopify admin and its harness: then the banner alone tells the merchant.
    if (saved) window.shopify?.toast?.show("Contract saved");
  }, [saved]);

  const deliverablesUrl = `/app/creators/${creator.id}/deliverables`;
  return (
    <Page
      title="Contract"
      subtitle={creator.name}
      backAction={{ content: creator.name, url: `/app/creators/${creator.id}` }}
      secondaryActions={paysFlatFee ? [{ content: "Deliverables", url: deliverablesUrl }] : []}
    >
      <BlockStack gap="400">
        {saved && !savedDismissed ? (
          <Banner tone="success" title="Contract saved" onDismiss={() => setSavedDismissed(true)}>
            <p>
              {saved.scheduled
                ? `The new terms apply to orders placed from ${saved.effectiveFrom}. Until then the current terms stay in force.`
                : `The new terms apply to orders placed from ${saved.effectiveFrom}. Earlier orders keep the terms they earned under.`}
            </p>
          </Banner>
        ) : null}
        {failed ? (
          <Banner
            tone="critical"
            title={failed.intent === "save" ? "The contract was not saved" : "The preview could not be run"}
          >
            <p>{failed.formError ?? "Check the fields marked below."}</p>
          </Banner>
        ) : null}

        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h2" variant="headingMd">
                Current terms
              </Text>
              {current ? <Badge>{COMPENSATION_MODEL_LABELS[current.model]}</Badge> : null}
            </InlineStack>
            {current ? (
              <>
                <List>
                  {current.lines.map((line) => (
                    <List.Item key={line}>{line}</List.Item>
                  ))}
                </List>
                <Text as="p" tone="subdued">
                  In force since {current.since}
                  {current.first ? "; as the first contract, it also covers orders placed before then." : "."}
                </Text>
              </>
            ) : (
              <Text as="p" tone="subdued">
                {creator.name} has no contract yet: their orders earn nothing until you save one.
              </Text>
            )}
            {collections.length > 0 ? (
              <BlockStack gap="100">
                <Text as="p">Collection rates follow the products each collection holds in Shopify:</Text>
                <List gap="extraTight">
                  {collections.map((collection) => (
                    <List.Item key={collection.gid}>
                      {collection.title}: {collection.state}
                    </List.Item>
                  ))}
                </List>
              </BlockStack>
            ) : null}
            {paysFlatFee ? (
              <Text as="p">
                Flat fees are paid per deliverable:{" "}
                <Link url={deliverablesUrl}>record {creator.name}&apos;s deliverables</Link>.
              </Text>
            ) : null}
          </BlockStack>
        </Card>

        <ContractForm
          // Fresh terms (after a save) start the form over.
          key={formKey}
          defaultValues={formValues}
          currencyCode={currencyCode}
          today={today}
          fieldErrors={failed?.fieldErrors}
        />

        {preview ? <PreviewCard preview={preview} name={creator.name} money={money} /> : null}

        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Version history
            </Text>
            {history.length === 0 ? (
              <Text as="p" tone="subdued">
                No versions yet.
              </Text>
            ) : (
              history.map((version, index) => (
                <BlockStack key={version.id} gap="200">
                  {index > 0 ? <Divider /> : null}
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h3" variant="headingSm">
                      From {version.effectiveFrom}
                    </Text>
                    <Badge tone={STATUS_BADGES[version.status].tone}>{STATUS_BADGES[version.status].label}</Badge>
                    <Text as="span" tone="subdued">
                      {COMPENSATION_MODEL_LABELS[version.model as CompensationModel]}
                    </Text>
                  </InlineStack>
                  <List gap="extraTight">
                    {version.lines.map((line) => (
                      <List.Item key={line}>{line}</List.Item>
                    ))}
                  </List>
                </BlockStack>
              ))
            )}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}

function PreviewCard({
  preview,
  name,
  money,
}: {
  preview: PreviewJson;
  name: string;
  money: (minor: string) => string;
}) {
  const difference = BigInt(preview.totalMinor) - BigInt(preview.actualMinor);
  const rows = preview.byKind.map((row) => [KIND_LABELS[row.kind], row.entries, money(row.amountMinor)]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Preview: {preview.periodLabel}
        </Text>
        <Text as="p" variant="bodyLg">
          Under these terms, {name} would have earned{" "}
          <Text as="span" fontWeight="bold">
            {money(preview.totalMinor)}
          </Text>{" "}
          in {preview.periodLabel}; they actually earned {money(preview.actualMinor)}
          {difference === 0n
            ? "."
            : ` (${difference > 0n ? "+" : "−"}${money((difference < 0n ? -difference : difference).toString())}).`}
        </Text>
        <Text as="p" tone="subdued">
          From {preview.orders} {preview.orders === 1 ? "order" : "orders"} ({money(preview.revenueMinor)} revenue as
          these terms count it) and {preview.deliverables} {preview.deliverables === 1 ? "deliverable" : "deliverables"}
          . Nothing was saved.
        </Text>
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            Terms previewed
          </Text>
          <List gap="extraTight">
            {preview.lines.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        </BlockStack>
        {preview.collectionsNotRead.length > 0 ? (
          <Banner tone="info">
            <p>
              The products of {preview.collectionsNotRead.join(", ")} are read from Shopify once you save these terms;
              until then this preview pays them the revenue share&apos;s own rate.
            </p>
          </Banner>
        ) : null}
        {rows.length > 0 ? (
          <Box>
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={["Pay", "Entries", "Amount"]}
              rows={rows}
              totals={["", "", money(preview.totalMinor)]}
              showTotalsInFooter
            />
          </Box>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export { CreatorErrorBoundary as ErrorBoundary } from "~/components/CreatorErrorBoundary";
