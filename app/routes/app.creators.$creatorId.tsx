import { useEffect, useRef } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { METHOD_LABELS, REVIEW_BADGES, flagLabel, signalLabel } from "~/components/attribution-labels";
import { ADD_COST_INTENT, CostCard, DELETE_COST_INTENT, type CostRowView } from "~/components/CostCard";
import { creatorNotFound } from "~/components/CreatorErrorBoundary";
import { CreatorSegmentBadges } from "~/components/CreatorSegmentBadges";
import { CreatorTrendCharts, type CreatorTrendDay } from "~/components/CreatorTrendCharts";
import { DateRangeCard } from "~/components/DateRangeForm";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import type { ExperimentVerdict } from "~/domain/experiments";
import { formatConversionRate } from "~/domain/metrics/conversion-rate";
import {
  LOWER_IS_BETTER,
  creatorMetricValue,
  deriveCreatorMetrics,
  metricChange,
  type CreatorMetricKey,
  type CreatorMetrics,
} from "~/domain/metrics/creator-metrics";
import { formatDays, formatLift, formatPercentChange, formatRatio } from "~/domain/metrics/format-metrics";
import { emptyRollupTotals } from "~/domain/metrics/rollup-totals";
import { formatMoney, fromMinorUnits } from "~/domain/money";
import { addCreatorCost, deleteCreatorCost, listCreatorCosts, type CreatorCostFieldErrors, type CreatorCostRow } from "~/models/creator-cost.server";
import { creatorRollupTotals, dailySeries, shopToday } from "~/models/creator-metrics.server";
import { getCreator, listCreatorDiscountCodes, recentCreatorOrders } from "~/models/creator.server";
import { creatorStatements } from "~/models/statements.server";
import { experimentSummariesByCreator } from "~/models/experiment.server";
import { parseLeaderboardRange, previousRange, rangeBounds } from "~/models/leaderboard.server";
import { creatorBalances } from "~/models/ledger.server";
import { shopDate } from "~/models/order.server";
import { listTrackingLinks } from "~/models/tracking-link.server";
import { AdminApiThrottledError, adminGraphqlFrom } from "~/services/admin-api.server";
import { findVariant } from "~/services/catalog-search.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

/** The KPI cards, in order: what each shows and how its value reads. */
const KPIS: { key: CreatorMetricKey; label: string }[] = [
  { key: "orders", label: "Orders" },
  { key: "netRevenue", label: "Net revenue" },
  { key: "newCustomers", label: "New customers" },
  { key: "totalCost", label: "Total cost" },
  { key: "cac", label: "CAC" },
  { key: "roas", label: "ROAS" },
  { key: "ltv90", label: "LTV (90 days)" },
  { key: "ltvToCac", label: "LTV:CAC" },
  { key: "paybackDays", label: "Payback" },
  { key: "conversionRate", label: "Conversion rate" },
];

interface KpiView {
  key: CreatorMetricKey;
  label: string;
  value: string;
  /** Change against the previous period of the same length, as text ("+12.5%", "—"). */
  change: string;
  /** Whether the change is good news, bad news or neither. */
  tone: "success" | "critical" | null;
}

function kpiText(metrics: CreatorMetrics, key: CreatorMetricKey, currencyCode: string): string {
  const value = creatorMetricValue(metrics, key);
  switch (key) {
    case "netRevenue":
    case "totalCost":
    case "cac":
    case "ltv90":
      return value === null ? "—" : formatMoney(BigInt(value), currencyCode);
    case "roas":
    case "ltvToCac":
      return formatRatio(value === null ? null : Number(value));
    case "paybackDays":
      return formatDays(value === null ? null : Number(value));
    case "conversionRate":
      return formatConversionRate(value === null ? null : Number(value));
    default:
      return value === null ? "—" : Number(value).toLocaleString("en-US");
  }
}

function kpiViews(current: CreatorMetrics, previous: CreatorMetrics, currencyCode: string): KpiView[] {
  return KPIS.map(({ key, label }) => {
    const change = metricChange(creatorMetricValue(current, key), creatorMetricValue(previous, key));
    const better = change === null || change === 0 ? null : change > 0 !== LOWER_IS_BETTER.has(key);
    return {
      key,
      label,
      value: kpiText(current, key, currencyCode),
      change: formatPercentChange(change),
      tone: better === null ? null : better ? "success" : "critical",
    };
  });
}

const DELIVERY_LABELS = { SENDING: "Sending", SENT: "Sent", FAILED: "Failed", UNCONFIRMED: "Unconfirmed", SKIPPED: "Skipped" } as const;
const DELIVERY_TONES = { SENDING: "info", SENT: "success", FAILED: "critical", UNCONFIRMED: "warning", SKIPPED: "attention" } as const;

const VERDICT_TONES: Record<ExperimentVerdict, "success" | "critical" | "attention" | "info" | undefined> = {
  incremental: "success",
  "not incremental": "critical",
  inconclusive: "attention",
  running: "info",
  "waiting for data": undefined,
};

function costRowView(cost: CreatorCostRow, currencyCode: string): CostRowView {
  const unit = cost.unitCostMinor === null ? null : formatMoney(cost.unitCostMinor, currencyCode);
  const source = cost.unitCostSource === "SHOPIFY" ? "cost in Shopify" : "cost entered by you";
  return {
    id: cost.id,
    kind: cost.kind,
    description: cost.description,
    // A calendar day: read at noon UTC so no timezone moves it.
    incurredOnText: shopDate(new Date(`${cost.incurredOn}T12:00:00Z`), "UTC"),
    amountText: formatMoney(cost.amountMinor, currencyCode),
    seedingText:
      cost.kind === "PRODUCT_SEEDING" && cost.quantity !== null && unit !== null
        ? `${cost.quantity} × ${cost.productTitle ?? "product"} at ${unit} (${source})`
        : null,
  };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  // Scoped by shop: another shop's creator id is as unknown as a made-up one.
  const creator = await getCreator(shop.id, params.creatorId ?? "");
  if (!creator) throw creatorNotFound();
  const currencyCode = shop.currencyCode;
  const parsed = parseLeaderboardRange(new URL(request.url).searchParams, shop.timezone);
  const today = shopToday(shop.timezone);

  const [costs, balances, codes, trackingLinks, statements, experiments] = await Promise.all([
    listCreatorCosts(shop.id, creator.id),
    creatorBalances(shop.id, creator.id),
    listCreatorDiscountCodes(shop.id, creator.id),
    listTrackingLinks(shop.id, creator.id),
    creatorStatements(shop.id, creator.id),
    experimentSummariesByCreator(shop, [creator.id], today),
  ]);
  const experiment = experiments.get(creator.id) ?? null;

  const common = {
    creator,
    currencyCode,
    today,
    range: parsed.range,
    costs: costs.map((cost) => costRowView(cost, currencyCode)),
    balances: {
      pending: formatMoney(balances.pendingMinor, currencyCode),
      approved: formatMoney(balances.approvedMinor, currencyCode),
      paid: formatMoney(balances.paidMinor, currencyCode),
    },
    codes: codes.map((code) => ({ id: code.id, code: code.code, retired: code.retiredAt !== null })),
    trackingLinks: trackingLinks.map((link) => ({
      id: link.id,
      label: link.label,
      url: link.url,
      archived: link.archivedAt !== null,
      clicksLast30Days: link.clicksLast30Days,
      clicksTotal: link.clicksTotal,
    })),
    statements: statements.map((statement) => ({
      id: statement.id,
      period: `${shopDate(statement.periodStart, shop.timezone)} – ${shopDate(new Date(statement.periodEnd.getTime() - 1), shop.timezone)}`,
      closing: formatMoney(statement.closingPayoutMinor, statement.payoutCurrency),
      lastDelivery: statement.lastDelivery
        ? { status: statement.lastDelivery.status, at: shopDate(statement.lastDelivery.at, shop.timezone) }
        : null,
    })),
    experiment: experiment
      ? {
          id: experiment.experimentId,
          name: experiment.name,
          verdict: experiment.verdict,
          window: `${experiment.startsOn} – ${experiment.endsOn}`,
          lift: experiment.orderLift ? formatLift(experiment.orderLift) : null,
          incrementalOrders: experiment.incrementalOrders,
        }
      : null,
  };

  if (!parsed.ok) return data({ ...common, rangeError: parsed.error, report: null }, { status: 400 });

  const range = parsed.range;
  const [current, previous, series, orders] = await Promise.all([
    creatorRollupTotals(shop, range, { creatorIds: [creator.id], today }),
    creatorRollupTotals(shop, previousRange(range), { creatorIds: [creator.id], today }),
    dailySeries(shop, range, { creatorIds: [creator.id] }),
    recentCreatorOrders(shop.id, creator.id, rangeBounds(range, shop.timezone)),
  ]);
  const metrics = deriveCreatorMetrics(current.get(creator.id) ?? emptyRollupTotals());
  const previousMetrics = deriveCreatorMetrics(previous.get(creator.id) ?? emptyRollupTotals());
  const report = {
    kpis: kpiViews(metrics, previousMetrics, currencyCode),
    ltvToCacWindow: metrics.ltvToCac?.windowDays ?? null,
    hasActivity: series.some((day) => day.orders > 0 || day.clicks > 0 || day.costMinor !== 0n),
    // Major units for the chart's axis only: polaris-viz plots numbers.
    trend: series.map<CreatorTrendDay>((day) => ({
      day: day.day,
      orders: day.orders,
      netRevenue: Number(fromMinorUnits(day.netRevenueMinor, currencyCode)),
    })),
    orders: orders.map((order) => ({
      id: order.id,
      name: order.name,
      date: shopDate(order.processedAt, shop.timezone),
      net: formatMoney(order.netMerchandiseMinor, order.currencyCode),
      cancelled: order.cancelled,
      method: METHOD_LABELS[order.method],
      confidence: order.confidence,
      evidence: order.decisive ? `${signalLabel(order.decisive.signal)}${order.decisive.value ? `: ${order.decisive.value}` : ""}` : null,
      flags: order.flags.map(flagLabel),
      review: order.reviewStatus === "NOT_NEEDED" ? null : REVIEW_BADGES[order.reviewStatus],
    })),
  };
  return data({ ...common, rangeError: null, report });
};

type ActionResult =
  | { intent: typeof ADD_COST_INTENT; ok: false; values: Record<string, string>; fieldErrors: CreatorCostFieldErrors }
  | { intent: typeof ADD_COST_INTENT | typeof DELETE_COST_INTENT; ok: true; message: string }
  | { intent: "unknown"; ok: false; message: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, admin } = await authenticateShop(request);
  const creatorId = params.creatorId ?? "";
  const form = Object.fromEntries([...(await readAdminForm(request)).entries()].map(([name, value]) => [name, String(value)]));

  if (form.intent === DELETE_COST_INTENT) {
    if (!(await getCreator(shop.id, creatorId))) throw creatorNotFound();
    // Another shop's cost (or one deleted meanwhile) is as unknown as a made-up id.
    if (!(await deleteCreatorCost(shop.id, creatorId, form.costId ?? ""))) throw new Response("Cost not found", { status: 404 });
    return data<ActionResult>({ intent: DELETE_COST_INTENT, ok: true, message: "Cost deleted" });
  }
  if (form.intent === ADD_COST_INTENT) {
    const graphql = adminGraphqlFrom(admin);
    let result;
    try {
      result = await addCreatorCost(shop.id, creatorId, form, (gid) => findVariant(graphql, gid));
    } catch (error) {
      if (!(error instanceof AdminApiThrottledError)) throw error;
      const fieldErrors = { variantGid: "Shopify is busy right now: add the cost again in a moment" };
      return data<ActionResult>({ intent: ADD_COST_INTENT, ok: false, values: form, fieldErrors }, { status: 503 });
    }
    if (!result) throw creatorNotFound();
    if (!result.ok) return data<ActionResult>({ intent: ADD_COST_INTENT, ok: false, values: form, fieldErrors: result.fieldErrors }, { status: 400 });
    return data<ActionResult>({ intent: ADD_COST_INTENT, ok: true, message: "Cost added" });
  }
  return data<ActionResult>({ intent: "unknown", ok: false, message: "This form is out of date: reload the page and try again" }, { status: 400 });
};

/** `?saved=` values the edit form redirects with. */
const SAVED_MESSAGES: Record<string, string> = { updated: "Creator updated" };

export default function CreatorPage() {
  const loaded = useLoaderData<typeof loader>();
  const { creator, currencyCode, today, range, rangeError, report, costs, balances, codes, trackingLinks, statements, experiment } = loaded;
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const toastedFor = useRef<string | null>(null);
  const savedMessage = SAVED_MESSAGES[searchParams.get("saved") ?? ""];

  useEffect(() => {
    // Once per visit (effects can run twice in development); outside Shopify admin the banner alone tells.
    if (!savedMessage || toastedFor.current === location.key) return;
    toastedFor.current = location.key;
    window.shopify?.toast?.show(savedMessage);
  }, [savedMessage, location.key]);
  // Once per answer of the action: each answer is a new object, however the page's location changes around it.
  useEffect(() => {
    if (actionData?.ok) window.shopify?.toast?.show(actionData.message);
  }, [actionData]);

  const costRejected = actionData && actionData.intent === ADD_COST_INTENT && !actionData.ok ? actionData : null;
  const base = `/app/creators/${creator.id}`;

  return (
    <Page
      title={creator.name}
      titleMetadata={<CreatorSegmentBadges segments={creator} />}
      subtitle={[creator.handle, creator.email].filter(Boolean).join(" · ")}
      backAction={{ content: "Creators", url: "/app/creators" }}
      primaryAction={{ content: "Edit", url: `${base}/edit` }}
      secondaryActions={[
        { content: "Contract", url: `${base}/contract` },
        { content: "Codes and links", url: `${base}/links` },
        { content: "Ledger", url: `${base}/ledger` },
      ]}
    >
      <BlockStack gap="400">
        {savedMessage && !actionData ? <Banner tone="success" title={savedMessage} /> : null}
        {actionData?.ok ? <Banner tone="success" title={actionData.message} /> : null}
        {actionData && !actionData.ok && actionData.intent === "unknown" ? <Banner tone="critical" title={actionData.message} /> : null}
        {costRejected ? (
          <Banner tone="critical" title="The cost was not added">
            <p>Check the fields marked below in the Costs card.</p>
          </Banner>
        ) : null}

        <DateRangeCard range={range} error={rangeError} carriedParams={searchParams} path={base} />

        {report ? (
          report.hasActivity ? (
            <>
              <KpiGrid kpis={report.kpis} ltvToCacWindow={report.ltvToCacWindow} />
              <Card>
                <CreatorTrendCharts days={report.trend} currencyCode={currencyCode} />
              </Card>
            </>
          ) : (
            <Card>
              <EmptyState heading="No orders or clicks in this date range" image={EMPTY_STATE_IMAGE}>
                <p>
                  Orders appear here once shoppers use {creator.name}&apos;s code ({creator.discountCodes[0] ?? "none yet"}), follow
                  their links or name them in the survey. Choose a longer range to look further back.
                </p>
              </EmptyState>
            </Card>
          )
        ) : null}

        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {report && report.hasActivity ? <OrdersCard orders={report.orders} creatorId={creator.id} /> : null}
              <CostCard costs={costs} currencyCode={currencyCode} today={today} rejected={costRejected} />
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Balances
                    </Text>
                    <Link url={`${base}/ledger`}>View ledger</Link>
                  </InlineStack>
                  <Amount label="Pending (in hold)" value={balances.pending} />
                  <Amount label="Approved (payable)" value={balances.approved} />
                  <Amount label="Paid" value={balances.paid} />
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Codes and tracking links
                    </Text>
                    <Link url={`${base}/links`}>Manage</Link>
                  </InlineStack>
                  <InlineStack gap="100" wrap>
                    {codes.map((code) => (
                      <Badge key={code.id} tone={code.retired ? undefined : "success"}>
                        {code.retired ? `${code.code} (retired)` : code.code}
                      </Badge>
                    ))}
                  </InlineStack>
                  {trackingLinks.length === 0 ? (
                    <Text as="p" tone="subdued">
                      No tracking links yet.
                    </Text>
                  ) : (
                    trackingLinks.map((link) => (
                      <InlineStack key={link.id} align="space-between" gap="200" wrap={false}>
                        <Text as="span" truncate tone={link.archived ? "subdued" : undefined}>
                          {link.archived ? `${link.label} (archived)` : link.label}
                        </Text>
                        <Text as="span" numeric tone="subdued">
                          {`${link.clicksLast30Days} / ${link.clicksTotal} clicks`}
                        </Text>
                      </InlineStack>
                    ))
                  )}
                  {trackingLinks.length > 0 ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      Clicks in the last 30 days / ever.
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Statements
                    </Text>
                    <Link url="/app/statements">All statements</Link>
                  </InlineStack>
                  {statements.length === 0 ? (
                    <Text as="p" tone="subdued">
                      No statements yet: one is prepared when a pay period closes.
                    </Text>
                  ) : (
                    statements.map((statement) => (
                      <BlockStack key={statement.id} gap="050">
                        <InlineStack align="space-between" gap="200">
                          <Text as="span">{statement.period}</Text>
                          <Text as="span" numeric fontWeight="medium">
                            {statement.closing}
                          </Text>
                        </InlineStack>
                        {statement.lastDelivery ? (
                          <InlineStack gap="100" blockAlign="center">
                            <Badge tone={DELIVERY_TONES[statement.lastDelivery.status]}>{DELIVERY_LABELS[statement.lastDelivery.status]}</Badge>
                            <Text as="span" variant="bodySm" tone="subdued">
                              {statement.lastDelivery.at}
                            </Text>
                          </InlineStack>
                        ) : (
                          <Text as="span" variant="bodySm" tone="subdued">
                            Not sent
                          </Text>
                        )}
                      </BlockStack>
                    ))
                  )}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Incrementality
                  </Text>
                  {experiment ? (
                    <>
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="span" fontWeight="semibold">
                          {experiment.name}
                        </Text>
                        <Badge tone={VERDICT_TONES[experiment.verdict]}>{experiment.verdict}</Badge>
                      </InlineStack>
                      <Text as="p" tone="subdued">
                        {experiment.window}
                      </Text>
                      <Text as="p">
                        {experiment.lift
                          ? `Order lift ${experiment.lift}${experiment.incrementalOrders === null ? "" : `, ${experiment.incrementalOrders} incremental orders`}`
                          : "No lift measured yet."}
                      </Text>
                    </>
                  ) : (
                    <Text as="p" tone="subdued">
                      No holdout or geo-split experiment covers this creator yet.
                    </Text>
                  )}
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

function Amount({ label, value }: { label: string; value: string }) {
  return (
    <InlineStack align="space-between">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" numeric fontWeight="medium">
        {value}
      </Text>
    </InlineStack>
  );
}

function KpiGrid({ kpis, ltvToCacWindow }: { kpis: KpiView[]; ltvToCacWindow: number | null }) {
  return (
    <InlineGrid columns={{ xs: 2, sm: 3, md: 5 }} gap="300">
      {kpis.map((kpi) => (
        <Card key={kpi.key} padding="300">
          <BlockStack gap="100">
            <Text as="h3" variant="bodySm" tone="subdued">
              {kpi.key === "ltvToCac" && ltvToCacWindow ? `${kpi.label} (${ltvToCacWindow}d)` : kpi.label}
            </Text>
            <Text as="p" variant="headingLg" numeric>
              {kpi.value}
            </Text>
            <Text as="p" variant="bodySm" tone={kpi.tone ?? "subdued"}>
              {kpi.change === "—" ? "no earlier figure" : `${kpi.change} vs previous`}
            </Text>
          </BlockStack>
        </Card>
      ))}
    </InlineGrid>
  );
}

interface OrderView {
  id: string;
  name: string;
  date: string;
  net: string;
  cancelled: boolean;
  method: string;
  confidence: number;
  evidence: string | null;
  flags: string[];
  review: { label: string; tone: "warning" | "success" | "critical" | undefined } | null;
}

function OrdersCard({ orders, creatorId }: { orders: OrderView[]; creatorId: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Recent orders
          </Text>
          <Link url={`/app/orders?creator=${creatorId}`}>All orders</Link>
        </InlineStack>
        {orders.length === 0 ? (
          <Text as="p" tone="subdued">
            No attributed orders in this date range (the charts count clicks and costs too).
          </Text>
        ) : (
          orders.map((order) => (
            <Box key={order.id} paddingBlockEnd="200" borderBlockEndWidth="025" borderColor="border-secondary">
              <BlockStack gap="050">
                <InlineStack align="space-between" gap="200">
                  <InlineStack gap="200" blockAlign="center">
                    <Link url={`/app/orders/${order.id}`} removeUnderline>
                      <Text as="span" fontWeight="semibold">
                        {order.name}
                      </Text>
                    </Link>
                    <Text as="span" tone="subdued">
                      {order.date}
                    </Text>
                    {order.cancelled ? <Badge tone="critical">Cancelled</Badge> : null}
                  </InlineStack>
                  <Text as="span" numeric fontWeight="medium">
                    {order.net}
                  </Text>
                </InlineStack>
                <InlineStack gap="200" blockAlign="center" wrap>
                  <Badge>{order.method}</Badge>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {`${order.confidence}% confidence${order.evidence ? ` · ${order.evidence}` : ""}`}
                  </Text>
                  {order.flags.map((flag) => (
                    <Badge key={flag} tone="warning">
                      {flag}
                    </Badge>
                  ))}
                  {order.review ? <Badge tone={order.review.tone}>{order.review.label}</Badge> : null}
                </InlineStack>
              </BlockStack>
            </Box>
          ))
        )}
      </BlockStack>
    </Card>
  );
}

export { CreatorErrorBoundary as ErrorBoundary } from "~/components/CreatorErrorBoundary";
