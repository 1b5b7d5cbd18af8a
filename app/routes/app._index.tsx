import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import type { CreatorMetricKey, CreatorMetrics } from "~/domain/metrics/creator-metrics";
import { METRIC_COLUMNS, metricChangeText, type MetricChangeText } from "~/domain/metrics/format-leaderboard";
import { formatRatio } from "~/domain/metrics/format-metrics";
import { formatMoney, fromMinorUnits } from "~/domain/money";
import { homeDashboard, parseLeaderboardRange, type SegmentTotals } from "~/models/leaderboard.server";
import { FUNNEL_STAGE_LABELS, PLATFORM_LABELS } from "~/domain/metrics/segment-labels";
import { DashboardErrorBoundary } from "~/components/DashboardErrorBoundary";
import { DateRangeCard } from "~/components/DateRangeForm";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { TrendChart } from "~/components/TrendChart";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

// The period totals on the home page, in this order.
const KPI_KEYS: CreatorMetricKey[] = ["netRevenue", "orders", "newCustomers", "totalCost", "cac", "roas"];

interface Kpi {
  key: CreatorMetricKey;
  title: string;
  tooltip: string | null;
  value: string;
  change: MetricChangeText;
}

interface SegmentRow {
  label: string;
  creators: number;
  orders: string;
  netRevenue: string;
  cost: string;
  roas: string;
}

function kpis(totals: CreatorMetrics, previous: CreatorMetrics, currencyCode: string): Kpi[] {
  return KPI_KEYS.map((key) => {
    const column = METRIC_COLUMNS.find((candidate) => candidate.key === key)!;
    return {
      key,
      title: column.title,
      tooltip: column.tooltip,
      value: column.display(totals, currencyCode),
      change: metricChangeText(column, totals, previous),
    };
  });
}

function segmentRows<Segment extends string>(
  segments: SegmentTotals<Segment>[],
  labels: Record<Segment, string>,
  currencyCode: string,
): SegmentRow[] {
  return segments.map(({ segment, creators, metrics }) => ({
    label: segment === null ? "Not set" : labels[segment],
    creators,
    orders: metrics.orders.toLocaleString("en-US"),
    netRevenue: formatMoney(metrics.netRevenueMinor, currencyCode),
    cost: formatMoney(metrics.totalCostMinor, currencyCode),
    roas: formatRatio(metrics.roasBasisPoints),
  }));
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const parsed = parseLeaderboardRange(new URL(request.url).searchParams, shop.timezone);
  if (!parsed.ok) return data({ range: parsed.range, error: parsed.error, dashboard: null }, { status: 400 });

  const dashboard = await homeDashboard(shop, parsed.range);
  const currencyCode = shop.currencyCode;
  return data({
    range: parsed.range,
    error: null,
    dashboard: {
      currencyCode,
      previousRange: dashboard.previousRange,
      creatorCount: dashboard.creatorCount,
      anyOrders: dashboard.totals.orders > 0 || dashboard.previousTotals.orders > 0,
      kpis: kpis(dashboard.totals, dashboard.previousTotals, currencyCode),
      // Major units for the chart's axis only: polaris-viz plots numbers.
      trend: dashboard.series.map((point) => ({
        day: point.day,
        netRevenue: Number(fromMinorUnits(point.netRevenueMinor, currencyCode)),
        cost: Number(fromMinorUnits(point.costMinor, currencyCode)),
      })),
      byFunnelStage: segmentRows(dashboard.byFunnelStage, FUNNEL_STAGE_LABELS, currencyCode),
      byPlatform: segmentRows(dashboard.byPlatform, PLATFORM_LABELS, currencyCode),
      topByRoas: dashboard.topByRoas.map((row) => ({
        creatorId: row.creatorId,
        name: row.name,
        roas: formatRatio(row.metrics.roasBasisPoints),
        netRevenue: formatMoney(row.metrics.netRevenueMinor, currencyCode),
        cost: formatMoney(row.metrics.totalCostMinor, currencyCode),
      })),
    },
  });
};

export default function HomePage() {
  const { range, error, dashboard } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const loading = useNavigation().state === "loading";
  const rangeQuery = `from=${range.from}&to=${range.to}`;

  return (
    <Page
      title="Home"
      subtitle={dashboard ? `${range.from} – ${range.to}, compared with ${dashboard.previousRange.from} – ${dashboard.previousRange.to}` : undefined}
      primaryAction={{ content: "Open leaderboard", url: `/app/leaderboard?${rangeQuery}` }}
    >
      <BlockStack gap="400">
        <DateRangeCard range={range} error={error} carriedParams={searchParams} path="/app" />

        {dashboard && dashboard.creatorCount === 0 ? (
          <Card>
            <EmptyState
              heading="Add your first creator"
              action={{ content: "Add creator", url: "/app/creators/new" }}
              image={EMPTY_STATE_IMAGE}
            >
              <p>
                Add the creators you work with and their discount codes. Their orders, costs and return on spend show
                up here as shoppers buy.
              </p>
            </EmptyState>
          </Card>
        ) : null}

        {dashboard && dashboard.creatorCount > 0 ? (
          <>
            {!dashboard.anyOrders ? (
              <Banner tone="info" title="No attributed orders in this period">
                <p>
                  Orders appear here within seconds once shoppers use a creator&apos;s code, follow their links or name
                  them in the survey. Try a longer date range for older orders.
                </p>
              </Banner>
            ) : null}

            <InlineGrid columns={{ xs: 2, md: 3 }} gap="300">
              {dashboard.kpis.map((kpi) => (
                <Card key={kpi.key}>
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingSm" tone="subdued">
                      {kpi.title}
                    </Text>
                    <Text as="p" variant="headingLg" numeric>
                      {loading ? "…" : kpi.value}
                    </Text>
                    <Text as="p" variant="bodySm" tone={kpi.change.tone} numeric>
                      {kpi.change.text === "—" ? "No comparison" : `${kpi.change.text} vs previous period`}
                    </Text>
                  </BlockStack>
                </Card>
              ))}
            </InlineGrid>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Net revenue and cost per day
                </Text>
                <TrendChart days={dashboard.trend} currencyCode={dashboard.currencyCode} />
              </BlockStack>
            </Card>

            <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
              <SegmentCard title="By funnel stage" rows={dashboard.byFunnelStage} />
              <SegmentCard title="By platform" rows={dashboard.byPlatform} />
            </InlineGrid>

            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Top creators by ROAS
                  </Text>
                  <Link url={`/app/leaderboard?${rangeQuery}&sort=roas&direction=desc&rank=roas`}>See all on the leaderboard</Link>
                </InlineStack>
                {dashboard.topByRoas.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No creator has a cost in this period yet, so none has a return on spend. Costs come from commissions,
                    fees and product seeding.
                  </Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                    headings={["Creator", "ROAS", "Net revenue", "Total cost"]}
                    rows={dashboard.topByRoas.map((row) => [
                      <Link key={row.creatorId} url={`/app/creators/${row.creatorId}`} removeUnderline>
                        {row.name}
                      </Link>,
                      row.roas,
                      row.netRevenue,
                      row.cost,
                    ])}
                  />
                )}
              </BlockStack>
            </Card>
          </>
        ) : null}
      </BlockStack>
    </Page>
  );
}

function SegmentCard({ title, rows }: { title: string; rows: SegmentRow[] }) {
  return (
    <Card padding="0">
      <Box padding="400" paddingBlockEnd="0">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
      </Box>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
        headings={["Segment", "Creators", "Orders", "Net revenue", "Cost", "ROAS"]}
        rows={rows.map((row) => [row.label, row.creators, row.orders, row.netRevenue, row.cost, row.roas])}
      />
    </Card>
  );
}

export function ErrorBoundary() {
  return <DashboardErrorBoundary title="Home" />;
}
