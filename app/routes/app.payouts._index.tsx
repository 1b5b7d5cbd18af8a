import { useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Link,
  List,
  Page,
  Text,
  useIndexResourceState,
} from "@shopify/polaris";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { formatMoney } from "~/domain/money";
import { listPayouts, pageNumberSchema, unexportedPayPalPayouts } from "~/models/ledger.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

const METHOD_LABELS = { PAYPAL: "PayPal", BANK_TRANSFER: "Bank transfer", OTHER: "Other" } as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const page = pageNumberSchema.parse(new URL(request.url).searchParams.get("page") ?? undefined);
  const [list, unexported] = await Promise.all([listPayouts(shop.id, { page }), unexportedPayPalPayouts(shop.id)]);
  const day = (date: Date) => format(new TZDate(date.getTime(), shop.timezone), "MMM d, yyyy");

  return {
    page: list.page,
    hasNext: list.hasNext,
    hasPrevious: list.hasPrevious,
    // Money formatted here: loader data carries no bigint.
    readyForPayPal: unexported.map((group) => ({
      currencyCode: group.currencyCode,
      payoutIds: group.payoutIds,
      total: formatMoney(group.totalMinor, group.currencyCode),
      creatorsWithoutPaypalEmail: group.creatorsWithoutPaypalEmail,
    })),
    payouts: list.payouts.map((payout) => ({
      id: payout.id,
      creatorId: payout.creatorId,
      creatorName: payout.creatorName,
      creatorHasPaypalEmail: payout.creatorHasPaypalEmail,
      paidOn: day(payout.paidAt),
      amount: formatMoney(payout.amountMinor, payout.currencyCode),
      payoutAmount: formatMoney(payout.payoutAmountMinor, payout.payoutCurrency),
      converted: payout.payoutCurrency !== payout.currencyCode,
      fxRate: payout.fxRate,
      currencyCode: payout.currencyCode,
      payoutCurrency: payout.payoutCurrency,
      method: payout.method,
      reference: payout.reference,
      exportedOn: payout.exportedAt ? day(payout.exportedAt) : null,
      entryCount: payout.entryCount,
    })),
  };
};

interface CsvError {
  payoutId: string | null;
  creatorName: string | null;
  message: string;
}

/**
 * Asks the CSV route for a PayPal Payouts file and saves it. A plain fetch, not a link: App Bridge adds the
 * session token to the app's own fetches, which a navigation in the admin iframe would not carry.
 */
async function downloadPayPalCsv(payoutIds: string[]): Promise<{ ok: true; filename: string } | { ok: false; errors: CsvError[] }> {
  const body = new FormData();
  for (const id of payoutIds) body.append("payoutId", id);
  const response = await fetch("/app/payouts/csv", { method: "POST", body });
  if (!response.ok) {
    const answer = (await response.json().catch(() => null)) as { errors?: CsvError[] } | null;
    return { ok: false, errors: answer?.errors ?? [{ payoutId: null, creatorName: null, message: `The file could not be made (${response.status})` }] };
  }
  const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "paypal-payouts.csv";
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { ok: true, filename };
}

export default function PayoutsPage() {
  const { page, hasNext, hasPrevious, readyForPayPal, payouts } = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  const revalidator = useRevalidator();
  const [downloading, setDownloading] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: true; filename: string } | { ok: false; errors: CsvError[] } | null>(null);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(payouts);

  const download = async (key: string, payoutIds: string[]) => {
    setDownloading(key);
    setOutcome(null);
    try {
      const result = await downloadPayPalCsv(payoutIds);
      setOutcome(result);
      if (result.ok) {
        clearSelection();
        revalidator.revalidate();
      }
    } finally {
      setDownloading(null);
    }
  };
  const goToPage = (next: number) =>
    setSearchParams((previous) => {
      const params = new URLSearchParams(previous);
      if (next > 1) params.set("page", String(next));
      else params.delete("page");
      return params;
    });

  return (
    <Page title="Payouts" subtitle="Payments recorded from each creator's ledger">
      <BlockStack gap="400">
        {outcome?.ok ? (
          <Banner tone="success" title={`Downloaded ${outcome.filename}`} onDismiss={() => setOutcome(null)}>
            <p>Upload it in PayPal under Pay &amp; Get Paid → Payouts. The payouts in it are marked as exported.</p>
          </Banner>
        ) : null}
        {outcome && !outcome.ok ? (
          <Banner tone="critical" title="The PayPal file was not made" onDismiss={() => setOutcome(null)}>
            <List>
              {outcome.errors.map((error, index) => (
                <List.Item key={`${error.payoutId}-${index}`}>{error.message}</List.Item>
              ))}
            </List>
          </Banner>
        ) : null}

        {readyForPayPal.length > 0 ? (
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Ready for PayPal
              </Text>
              <Text as="p" tone="subdued">
                PayPal payouts not yet downloaded. PayPal takes one currency per file.
              </Text>
              {readyForPayPal.map((group) => (
                <InlineStack key={group.currencyCode} align="space-between" blockAlign="center" gap="300" wrap>
                  <BlockStack gap="100">
                    <Text as="p">
                      {group.payoutIds.length} {group.payoutIds.length === 1 ? "payout" : "payouts"} in {group.currencyCode},{" "}
                      {group.total}
                    </Text>
                    {group.creatorsWithoutPaypalEmail.length > 0 ? (
                      <Text as="p" tone="critical">
                        No PayPal email for{" "}
                        {group.creatorsWithoutPaypalEmail.map((creator, index) => (
                          <span key={creator.id}>
                            {index > 0 ? ", " : ""}
                            <Link url={`/app/creators/${creator.id}/ledger`}>{creator.name}</Link>
                          </span>
                        ))}
                        : add it on their ledger page first.
                      </Text>
                    ) : null}
                  </BlockStack>
                  <Button
                    onClick={() => download(group.currencyCode, group.payoutIds)}
                    loading={downloading === group.currencyCode}
                    disabled={group.creatorsWithoutPaypalEmail.length > 0 || (downloading !== null && downloading !== group.currencyCode)}
                  >
                    {`Download PayPal CSV (${group.currencyCode})`}
                  </Button>
                </InlineStack>
              ))}
            </BlockStack>
          </Card>
        ) : null}

        <Card padding="0">
          {payouts.length === 0 ? (
            <EmptyState heading="No payouts yet" action={{ content: "Go to creators", url: "/app/creators" }} image={EMPTY_STATE_IMAGE}>
              <p>Record a payout from a creator&apos;s ledger once they have approved earnings.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "payout", plural: "payouts" }}
              itemCount={payouts.length}
              selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
              onSelectionChange={handleSelectionChange}
              promotedBulkActions={[
                {
                  content: "Download PayPal CSV",
                  onAction: () => download("selection", allResourcesSelected ? payouts.map((payout) => payout.id) : selectedResources),
                },
              ]}
              headings={[
                { title: "Paid on" },
                { title: "Creator" },
                { title: "Method" },
                { title: "Reference" },
                { title: "PayPal file" },
                { title: "Entries", alignment: "end" },
                { title: "Amount", alignment: "end" },
              ]}
              pagination={{ hasNext, hasPrevious, onNext: () => goToPage(page + 1), onPrevious: () => goToPage(page - 1) }}
            >
              {payouts.map((payout, index) => (
                <IndexTable.Row id={payout.id} key={payout.id} position={index} selected={selectedResources.includes(payout.id)}>
                  <IndexTable.Cell>{payout.paidOn}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Link url={`/app/creators/${payout.creatorId}/ledger`} removeUnderline dataPrimaryLink>
                      <Text as="span" fontWeight="semibold">
                        {payout.creatorName}
                      </Text>
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{METHOD_LABELS[payout.method]}</IndexTable.Cell>
                  <IndexTable.Cell>{payout.reference ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {payout.method !== "PAYPAL" ? (
                      "—"
                    ) : payout.exportedOn ? (
                      <Badge tone="success">{`Exported ${payout.exportedOn}`}</Badge>
                    ) : payout.creatorHasPaypalEmail ? (
                      <Badge tone="attention">Not exported</Badge>
                    ) : (
                      <Badge tone="critical">No PayPal email</Badge>
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {payout.entryCount}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="050" inlineAlign="end">
                      <Text as="span" alignment="end" numeric>
                        {payout.payoutAmount}
                      </Text>
                      {payout.converted ? (
                        <Text as="span" variant="bodySm" tone="subdued" alignment="end" numeric>
                          {`${payout.amount} at ${payout.fxRate}`}
                        </Text>
                      ) : null}
                    </BlockStack>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
