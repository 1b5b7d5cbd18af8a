import { useState } from "react";
import { creatorNotFound } from "~/components/CreatorErrorBoundary";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ENTRY_STATUS_BADGES } from "~/components/ledger-labels";
import { LEDGER_KIND_LABELS } from "~/domain/ledger/entry-kind-labels";
import { useSubmitting } from "~/components/use-submitting";

import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Select,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { ADJUSTMENT_REASON_MAX_LENGTH } from "~/domain/ledger/adjustment-limits";
import type { EntryStatus } from "~/domain/ledger/entry-status";
import { convertToPayoutCurrency, parseFxRate } from "~/domain/ledger/payout-fx";
import { PAYPAL_NOTE_MAX_LENGTH } from "~/domain/ledger/paypal-payout-rows";
import { formatMoney } from "~/domain/money";
import {
  creatorBalances,
  creatorLedger,
  getCreatorPayoutProfile,
  parseLedgerQuery,
  payoutCurrencyOptions,
  postAdjustment,
  updatePayoutSettings,
  type AdjustmentFieldErrors,
  type PayoutSettingsFieldErrors,
} from "~/models/ledger.server";
import { parsePayoutForm, recordPayout, type RecordPayoutFieldErrors } from "~/services/record-payout.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";
import { WrapCell } from "~/components/WrapCell";

const STATUS_TABS: { id: string; content: string; status: EntryStatus | null }[] = [
  { id: "all", content: "All", status: null },
  { id: "pending", content: "Pending", status: "PENDING" },
  { id: "approved", content: "Approved", status: "APPROVED" },
  { id: "paid", content: "Paid", status: "PAID" },
];


const METHOD_LABELS = { PAYPAL: "PayPal", BANK_TRANSFER: "Bank transfer", OTHER: "Other" } as const;
const METHOD_OPTIONS = Object.entries(METHOD_LABELS).map(([value, label]) => ({ value, label }));

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  // Scoped by shop: another shop's creator id is as unknown as a made-up one.
  const creator = await getCreatorPayoutProfile(shop.id, params.creatorId ?? "");
  if (!creator) throw creatorNotFound();
  const query = parseLedgerQuery(new URL(request.url).searchParams);
  const now = new Date();
  const [ledger, balances] = await Promise.all([
    creatorLedger(shop.id, creator.id, query, now),
    creatorBalances(shop.id, creator.id, now),
  ]);
  const day = (date: Date) => format(new TZDate(date.getTime(), shop.timezone), "MMM d, yyyy");

  return {
    creator,
    query,
    today: format(new TZDate(now.getTime(), shop.timezone), "yyyy-MM-dd"),
    // A fresh token per render: the adjustment form carries it, so submitting the same form twice posts once.
    formToken: crypto.randomUUID(),
    currencies: payoutCurrencyOptions(),
    // Minor units as decimal strings: loader data carries no bigint.
    balances: {
      pendingMinor: balances.pendingMinor.toString(),
      approvedMinor: balances.approvedMinor.toString(),
      paidMinor: balances.paidMinor.toString(),
      totalMinor: balances.totalMinor.toString(),
    },
    ledger: {
      page: ledger.page,
      hasNext: ledger.hasNext,
      hasPrevious: ledger.hasPrevious,
      entries: ledger.entries.map((entry) => ({
        id: entry.id,
        kind: entry.kind,
        reason: entry.reason,
        amount: formatMoney(entry.amountMinor, entry.currencyCode),
        status: entry.status,
        postedOn: day(entry.createdAt),
        availableOn: day(entry.availableAt),
        order: entry.order,
        payout: entry.payout
          ? { reference: entry.payout.reference, method: entry.payout.method, paidOn: day(entry.payout.paidAt) }
          : null,
      })),
    },
  };
};

type ActionData =
  | { intent: "adjust"; fieldErrors: AdjustmentFieldErrors }
  | { intent: "adjust"; posted: { amount: string; duplicate: boolean } }
  | { intent: "payout"; fieldErrors: RecordPayoutFieldErrors }
  | { intent: "payout"; nothingPayable: string }
  | {
      intent: "payout";
      recorded: { amount: string; payoutAmount: string; entryCount: number; method: keyof typeof METHOD_LABELS };
    }
  | { intent: "settings"; fieldErrors: PayoutSettingsFieldErrors }
  | { intent: "settings"; saved: true };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const creatorId = params.creatorId ?? "";
  const raw = Object.fromEntries(await readAdminForm(request));

  switch (raw.intent) {
    case "adjust": {
      const result = await postAdjustment(shop.id, creatorId, raw);
      if (!result) throw creatorNotFound();
      if (!result.ok) return data<ActionData>({ intent: "adjust", fieldErrors: result.fieldErrors }, { status: 400 });
      return data<ActionData>({
        intent: "adjust",
        posted: { amount: formatMoney(result.amountMinor, shop.currencyCode), duplicate: result.duplicate },
      });
    }
    case "payout": {
      const form = parsePayoutForm(raw, shop.timezone);
      if (!form.ok) return data<ActionData>({ intent: "payout", fieldErrors: form.fieldErrors }, { status: 400 });
      const result = await recordPayout(shop.id, creatorId, form.input);
      if (!result) throw creatorNotFound();
      if (!result.ok) {
        return result.error === "NOTHING_PAYABLE"
          ? data<ActionData>({ intent: "payout", nothingPayable: result.message }, { status: 409 })
          : data<ActionData>({ intent: "payout", fieldErrors: result.fieldErrors }, { status: 400 });
      }
      return data<ActionData>({
        intent: "payout",
        recorded: {
          amount: formatMoney(result.amountMinor, result.currencyCode),
          payoutAmount: formatMoney(result.payoutAmountMinor, result.payoutCurrency),
          entryCount: result.entryCount,
          method: form.input.method,
        },
      });
    }
    case "settings": {
      const result = await updatePayoutSettings(shop.id, creatorId, raw);
      if (!result) throw creatorNotFound();
      if (!result.ok) return data<ActionData>({ intent: "settings", fieldErrors: result.fieldErrors }, { status: 400 });
      return data<ActionData>({ intent: "settings", saved: true });
    }
    default:
      return new Response("Unknown form", { status: 400 });
  }
};

export default function LedgerPage() {
  const { creator, query, today, formToken, currencies, balances, ledger } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [, setSearchParams] = useSearchParams();
  const shopCurrency = creator.shopCurrency;
  const approvedMinor = BigInt(balances.approvedMinor);

  const result = <K extends ActionData["intent"]>(intent: K) =>
    actionData?.intent === intent ? (actionData as Extract<ActionData, { intent: K }>) : undefined;
  const adjust = result("adjust");
  const payout = result("payout");
  const settings = result("settings");

  const showPage = (changes: { status?: EntryStatus | null; page?: number }) =>
    setSearchParams((previous) => {
      const next = new URLSearchParams(previous);
      if (changes.status !== undefined) {
        if (changes.status) next.set("status", changes.status.toLowerCase());
        else next.delete("status");
        next.delete("page");
      }
      if (changes.page !== undefined) {
        if (changes.page > 1) next.set("page", String(changes.page));
        else next.delete("page");
      }
      return next;
    });
  const selectedTab = Math.max(
    0,
    STATUS_TABS.findIndex((tab) => tab.status === query.status)
  );

  return (
    <Page
      title="Ledger"
      subtitle={creator.name}
      backAction={{ content: creator.name, url: `/app/creators/${creator.id}` }}
      secondaryActions={[{ content: "All payouts", url: "/app/payouts" }]}
    >
      <BlockStack gap="400">
        {payout && "recorded" in payout ? (
          <Banner tone="success" title={`Payout of ${payout.recorded.payoutAmount} recorded`}>
            <p>
              {payout.recorded.entryCount} {payout.recorded.entryCount === 1 ? "entry is" : "entries are"} now paid
              {payout.recorded.payoutAmount !== payout.recorded.amount ? ` (${payout.recorded.amount})` : ""}.
              {payout.recorded.method === "PAYPAL" ? (
                <>
                  {" "}
                  Download the PayPal file from <Link url="/app/payouts">Payouts</Link>.
                </>
              ) : null}
            </p>
          </Banner>
        ) : null}
        {payout && "nothingPayable" in payout ? (
          <Banner tone="warning" title="No payout recorded">
            <p>{payout.nothingPayable}</p>
          </Banner>
        ) : null}
        {adjust && "posted" in adjust ? (
          <Banner
            tone="success"
            title={
              adjust.posted.duplicate
                ? "This adjustment was already posted"
                : `Adjustment of ${adjust.posted.amount} posted`
            }
          />
        ) : null}
        {settings && "saved" in settings ? <Banner tone="success" title="Payout settings saved" /> : null}

        <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
          <BalanceCard
            title="Pending"
            minor={balances.pendingMinor}
            currency={shopCurrency}
            help="In the return window"
          />
          <BalanceCard title="Approved" minor={balances.approvedMinor} currency={shopCurrency} help="Payable now" />
          <BalanceCard title="Paid" minor={balances.paidMinor} currency={shopCurrency} help="Settled by payouts" />
          <BalanceCard
            title="Total"
            minor={balances.totalMinor}
            currency={shopCurrency}
            help="Earned, net of reversals"
          />
        </InlineGrid>

        <Layout>
          <Layout.Section>
            <Card padding="0">
              <Tabs
                tabs={STATUS_TABS.map(({ id, content }) => ({ id, content }))}
                selected={selectedTab}
                onSelect={(index) => showPage({ status: STATUS_TABS[index]?.status ?? null })}
              />
              {ledger.entries.length === 0 ? (
                <EmptyState
                  heading={query.status ? "No entries with this status" : "No ledger entries yet"}
                  image={EMPTY_STATE_IMAGE}
                >
                  <p>Commissions appear here as attributed orders come in; adjustments as you post them.</p>
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: "entry", plural: "entries" }}
                  itemCount={ledger.entries.length}
                  selectable={false}
                  headings={[
                    { title: "Posted" },
                    { title: "Status" },
                    { title: "Reason" },
                    { title: "Amount", alignment: "end" },
                  ]}
                  pagination={{
                    hasPrevious: ledger.hasPrevious,
                    hasNext: ledger.hasNext,
                    onPrevious: () => showPage({ page: ledger.page - 1 }),
                    onNext: () => showPage({ page: ledger.page + 1 }),
                  }}
                >
                  {ledger.entries.map((entry, index) => (
                    <IndexTable.Row id={entry.id} key={entry.id} position={index}>
                      <IndexTable.Cell>{entry.postedOn}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <BlockStack gap="100">
                          <Badge tone={ENTRY_STATUS_BADGES[entry.status].tone}>{ENTRY_STATUS_BADGES[entry.status].label}</Badge>
                          <Text as="span" variant="bodySm" tone="subdued">
                            {entry.status === "PENDING"
                              ? `Payable ${entry.availableOn}`
                              : entry.payout
                              ? `${METHOD_LABELS[entry.payout.method]} ${entry.payout.paidOn}${
                                  entry.payout.reference ? ` · ${entry.payout.reference}` : ""
                                }`
                              : null}
                          </Text>
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        {/* Reasons are sentences: let them wrap instead of widening the table. */}
                        <WrapCell minWidth="14rem">
                          <BlockStack gap="100">
                            <Text as="p">{entry.reason}</Text>
                            <Text as="span" variant="bodySm" tone="subdued">
                              {LEDGER_KIND_LABELS[entry.kind]}
                              {entry.order ? (
                                <>
                                  {" · "}
                                  <Link url={entry.order.adminUrl} monochrome>
                                    {`Order ${entry.order.name}`}
                                  </Link>
                                </>
                              ) : null}
                            </Text>
                          </BlockStack>
                        </WrapCell>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {entry.amount}
                        </Text>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </Card>
          </Layout.Section>

          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <PayoutForm
                today={today}
                approvedMinor={approvedMinor}
                shopCurrency={shopCurrency}
                payoutCurrency={creator.effectivePayoutCurrency}
                fieldErrors={payout && "fieldErrors" in payout ? payout.fieldErrors : undefined}
              />
              {/* A new token after each posting resets the form, and lets the next adjustment through. */}
              <AdjustmentForm
                key={formToken}
                formToken={formToken}
                currency={shopCurrency}
                fieldErrors={adjust && "fieldErrors" in adjust ? adjust.fieldErrors : undefined}
              />
              <PayoutSettingsForm
                key={`${creator.payoutCurrency}|${creator.paypalEmail}`}
                defaults={{ payoutCurrency: creator.payoutCurrency ?? "", paypalEmail: creator.paypalEmail ?? "" }}
                shopCurrency={shopCurrency}
                currencies={currencies}
                fieldErrors={settings && "fieldErrors" in settings ? settings.fieldErrors : undefined}
              />
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

function BalanceCard({
  title,
  minor,
  currency,
  help,
}: {
  title: string;
  minor: string;
  currency: string;
  help: string;
}) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <Text as="p" variant="headingLg" numeric>
          {formatMoney(BigInt(minor), currency)}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      </BlockStack>
    </Card>
  );
}

function PayoutForm({
  today,
  approvedMinor,
  shopCurrency,
  payoutCurrency,
  fieldErrors = {},
}: {
  today: string;
  approvedMinor: bigint;
  shopCurrency: string;
  payoutCurrency: string;
  fieldErrors?: RecordPayoutFieldErrors;
}) {
  const [values, setValues] = useState({ method: "PAYPAL", reference: "", note: "", fxRate: "", paidOn: today });
  const set = (field: keyof typeof values) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));
  const submitting = useSubmitting("payout");
  const needsRate = payoutCurrency !== shopCurrency;
  const rate = needsRate ? parseFxRate(values.fxRate) : null;
  const estimate =
    rate?.ok && approvedMinor > 0n
      ? formatMoney(convertToPayoutCurrency(approvedMinor, shopCurrency, payoutCurrency, rate.rate), payoutCurrency)
      : null;

  return (
    <Card>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="payout" />
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Record payout
            </Text>
            <Text as="p" tone="subdued">
              {approvedMinor > 0n
                ? `Marks every approved entry as paid: ${formatMoney(approvedMinor, shopCurrency)} now.`
                : `Nothing is payable now: approved entries sum to ${formatMoney(approvedMinor, shopCurrency)}.`}
            </Text>
          </BlockStack>
          <FormLayout>
            <Select
              label="Paid by"
              name="method"
              options={METHOD_OPTIONS}
              value={values.method}
              onChange={set("method")}
              error={fieldErrors.method}
            />
            <TextField
              label="Paid on"
              name="paidOn"
              type="date"
              max={today}
              value={values.paidOn}
              onChange={set("paidOn")}
              error={fieldErrors.paidOn}
              autoComplete="off"
            />
            {needsRate ? (
              <TextField
                label={`Exchange rate (1 ${shopCurrency} in ${payoutCurrency})`}
                name="fxRate"
                type="text"
                inputMode="decimal"
                value={values.fxRate}
                onChange={set("fxRate")}
                error={fieldErrors.fxRate}
                helpText={
                  estimate
                    ? `The creator receives ${estimate}. The rate is locked on this payout.`
                    : `This creator is paid in ${payoutCurrency}. The rate is locked on this payout.`
                }
                autoComplete="off"
                requiredIndicator
              />
            ) : null}
            <TextField
              label="Reference"
              name="reference"
              value={values.reference}
              onChange={set("reference")}
              error={fieldErrors.reference}
              helpText="Optional: a transfer or PayPal batch id."
              autoComplete="off"
            />
            <TextField
              label="Note to the creator"
              name="note"
              value={values.note}
              onChange={set("note")}
              error={fieldErrors.note}
              multiline={2}
              maxLength={PAYPAL_NOTE_MAX_LENGTH}
              helpText="Optional. PayPal shows it in the payment email."
              autoComplete="off"
            />
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={submitting}>
              Record payout
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function AdjustmentForm({
  formToken,
  currency,
  fieldErrors = {},
}: {
  formToken: string;
  currency: string;
  fieldErrors?: AdjustmentFieldErrors;
}) {
  const [values, setValues] = useState({ amount: "", reason: "" });
  const set = (field: keyof typeof values) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));
  const submitting = useSubmitting("adjust");

  return (
    <Card>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="adjust" />
        <input type="hidden" name="formToken" value={formToken} />
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Adjust balance
          </Text>
          {fieldErrors.formToken ? (
            <Banner tone="critical">
              <p>{fieldErrors.formToken}</p>
            </Banner>
          ) : null}
          <FormLayout>
            <TextField
              label={`Amount (${currency})`}
              name="amount"
              type="text"
              inputMode="decimal"
              value={values.amount}
              onChange={set("amount")}
              error={fieldErrors.amount}
              helpText="Positive to credit, negative (e.g. -25.00) to deduct. Payable at once."
              autoComplete="off"
              requiredIndicator
            />
            <TextField
              label="Reason"
              name="reason"
              value={values.reason}
              onChange={set("reason")}
              error={fieldErrors.reason}
              multiline={2}
              maxLength={ADJUSTMENT_REASON_MAX_LENGTH}
              showCharacterCount
              helpText="The creator sees it on their statement."
              autoComplete="off"
              requiredIndicator
            />
          </FormLayout>
          <InlineStack align="end">
            <Button submit loading={submitting}>
              Post adjustment
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function PayoutSettingsForm({
  defaults,
  shopCurrency,
  currencies,
  fieldErrors = {},
}: {
  defaults: { payoutCurrency: string; paypalEmail: string };
  shopCurrency: string;
  currencies: string[];
  fieldErrors?: PayoutSettingsFieldErrors;
}) {
  const [values, setValues] = useState(defaults);
  const set = (field: keyof typeof values) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));
  const submitting = useSubmitting("settings");
  const options = [
    { value: "", label: `Shop currency (${shopCurrency})` },
    ...currencies.filter((code) => code !== shopCurrency).map((code) => ({ value: code, label: code })),
  ];

  return (
    <Card>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="settings" />
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Payout settings
          </Text>
          <FormLayout>
            <Select
              label="Payout currency"
              name="payoutCurrency"
              options={options}
              value={values.payoutCurrency}
              onChange={set("payoutCurrency")}
              error={fieldErrors.payoutCurrency}
              helpText="Payouts in another currency ask for the exchange rate."
            />
            <TextField
              label="PayPal email"
              name="paypalEmail"
              type="email"
              value={values.paypalEmail}
              onChange={set("paypalEmail")}
              error={fieldErrors.paypalEmail}
              helpText="Needed to include this creator in a PayPal Payouts file."
              autoComplete="off"
            />
          </FormLayout>
          <InlineStack align="end">
            <Button submit loading={submitting}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

export { CreatorErrorBoundary as ErrorBoundary } from "~/components/CreatorErrorBoundary";
