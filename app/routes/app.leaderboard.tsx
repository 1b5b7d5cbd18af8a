import { useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { CreatorPlatform, FunnelStage } from "@prisma/client";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  ChoiceList,
  EmptySearchResult,
  EmptyState,
  Filters,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Select,
  Text,
  type IndexTableProps,
} from "@shopify/polaris";
import { CREATOR_METRIC_KEYS, type CreatorMetricKey } from "~/domain/metrics/creator-metrics";
import {
  METRIC_COLUMNS,
  metricChangeText,
  rankLabel,
  type MetricChangeText,
} from "~/domain/metrics/format-leaderboard";
import { formatLift } from "~/domain/metrics/format-metrics";
import { VERDICT_LABELS, VERDICT_TONES, type ExperimentVerdict } from "~/domain/experiments";
import {
  leaderboard,
  leaderboardPage,
  parseLeaderboardQuery,
  shopNiches,
  type LeaderboardRow,
  type LeaderboardSortKey,
} from "~/models/leaderboard.server";
import { CreatorSegmentBadges } from "~/components/CreatorSegmentBadges";
import { FUNNEL_STAGE_LABELS, PLATFORM_LABELS } from "~/domain/metrics/segment-labels";
import { DashboardErrorBoundary } from "~/components/DashboardErrorBoundary";
import { DateRangeCard } from "~/components/DateRangeForm";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { authenticateShop } from "~/utils/authenticate-shop.server";

/** A row as the table shows it: formatted on the server, so bigints never cross into JSON. */
interface LeaderboardRowView {
  creatorId: string;
  name: string;
  discountCodes: string[];
  platform: CreatorPlatform | null;
  funnelStage: FunnelStage | null;
  niche: string | null;
  top: boolean;
  /** One per METRIC_COLUMNS entry, in order. */
  cells: { text: string; change: MetricChangeText }[];
  experiment: { name: string; verdict: ExperimentVerdict; lift: string | null } | null;
}

function rowView(row: LeaderboardRow, currencyCode: string): LeaderboardRowView {
  return {
    creatorId: row.creatorId,
    name: row.name,
    discountCodes: row.discountCodes,
    platform: row.platform,
    funnelStage: row.funnelStage,
    niche: row.niche,
    top: row.top,
    cells: METRIC_COLUMNS.map((column) => ({
      text: column.display(row.metrics, currencyCode),
      change: metricChangeText(column, row.metrics, row.previous),
    })),
    experiment: row.experiment
      ? {
          name: row.experiment.name,
          verdict: row.experiment.verdict,
          lift:
            row.experiment.orderLift && row.experiment.verdict !== "waiting for data"
              ? formatLift(row.experiment.orderLift)
              : null,
        }
      : null,
  };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const niches = await shopNiches(shop.id);
  const parsed = parseLeaderboardQuery(new URL(request.url).searchParams, {
    timezone: shop.timezone,
    knownNiches: niches,
  });
  const base = { niches, query: parsed.query };
  if (!parsed.ok) {
    return data(
      { ...base, rangeError: parsed.rangeError, queryError: parsed.queryError, board: null },
      { status: 400 }
    );
  }
  const board = await leaderboard(shop, parsed.query);
  const page = leaderboardPage(board.rows, parsed.query.page);
  return data({
    ...base,
    rangeError: null,
    queryError: null,
    board: {
      previousRange: board.previousRange,
      creatorCount: board.creatorCount,
      listedCount: board.rows.length,
      topCount: board.rows.filter((row) => row.top).length,
      anyOrders: board.rows.some((row) => row.metrics.orders > 0 || row.previous.orders > 0),
      page: page.page,
      pageCount: page.pageCount,
      rows: page.rows.map((row) => rowView(row, shop.currencyCode)),
    },
  });
};

// IndexTable column order: the creator, the metric columns, the experiment's lift.
const COLUMN_SORT_KEYS: LeaderboardSortKey[] = ["name", ...METRIC_COLUMNS.map((column) => column.key), "lift"];

const LIFT_TOOLTIP =
  "Order lift of the latest holdout or geo-split experiment covering the creator, with its 95% interval: " +
  "orders the content added over what the control predicts. Not incremental: the interval rules out a lift worth paying for.";

/** Reads the URL the page writes: every change of filter or sort starts again from the first page. */
function useLeaderboardParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const update = (changes: Record<string, string | string[] | null>, options: { keepPage?: boolean } = {}) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (!options.keepPage) next.delete("page");
        for (const [key, value] of Object.entries(changes)) {
          next.delete(key);
          for (const item of value === null ? [] : Array.isArray(value) ? value : [value]) next.append(key, item);
        }
        return next;
      },
      { preventScrollReset: true }
    );
  return { searchParams, update };
}

/**
 * Asks the CSV route for the leaderboard as shown (same range, filters, sort; every page) and saves it. A fetch, not
 * a link: App Bridge adds the session token to the app's own fetches, which a navigation in the admin frame would not.
 */
async function downloadCsv(searchParams: URLSearchParams): Promise<string | null> {
  const params = new URLSearchParams(searchParams);
  params.delete("page");
  const response = await fetch(`/app/leaderboard/csv?${params}`);
  if (!response.ok) return (await response.text().catch(() => "")) || `The file could not be made (${response.status})`;
  const filename =
    /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "creator-leaderboard.csv";
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return null;
}

export default function LeaderboardPage() {
  const { niches, query, rangeError, queryError, board } = useLoaderData<typeof loader>();
  const { searchParams, update } = useLeaderboardParams();
  const loading = useNavigation().state === "loading";
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const { segments } = query;

  const onSort: NonNullable<IndexTableProps["onSort"]> = (headingIndex, direction) => {
    const key = COLUMN_SORT_KEYS[headingIndex];
    if (key) update({ sort: key, direction: direction === "ascending" ? "asc" : "desc" });
  };
  const exportCsv = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      setDownloadError(await downloadCsv(searchParams));
    } finally {
      setDownloading(false);
    }
  };

  const appliedFilters = [
    ...(segments.platforms.length > 0
      ? [
          {
            key: "platform",
            label: `Platform: ${segments.platforms.map((value) => PLATFORM_LABELS[value]).join(", ")}`,
            onRemove: () => update({ platform: null }),
          },
        ]
      : []),
    ...(segments.funnelStages.length > 0
      ? [
          {
            key: "funnelStage",
            label: `Funnel stage: ${segments.funnelStages.map((value) => FUNNEL_STAGE_LABELS[value]).join(", ")}`,
            onRemove: () => update({ funnelStage: null }),
          },
        ]
      : []),
    ...(segments.niches.length > 0
      ? [{ key: "niche", label: `Niche: ${segments.niches.join(", ")}`, onRemove: () => update({ niche: null }) }]
      : []),
  ];
  const noCreators = board !== null && board.creatorCount === 0;

  return (
    <Page
      title="Leaderboard"
      subtitle={board ? `Compared with ${board.previousRange.from} – ${board.previousRange.to}` : undefined}
      secondaryActions={
        board && board.listedCount > 0
          ? [
              {
                content: "Export CSV",
                onAction: exportCsv,
                loading: downloading,
                accessibilityLabel: "Export the leaderboard as CSV",
              },
            ]
          : []
      }
      fullWidth
    >
      <BlockStack gap="400">
        {queryError ? (
          <Banner
            tone="critical"
            title="These filters cannot be applied"
            action={{
              content: "Clear filters and sorting",
              url: `/app/leaderboard?from=${query.range.from}&to=${query.range.to}`,
            }}
          >
            <p>{queryError}</p>
          </Banner>
        ) : null}
        {downloadError ? (
          <Banner tone="critical" title="The CSV could not be downloaded" onDismiss={() => setDownloadError(null)}>
            <p>{downloadError}</p>
          </Banner>
        ) : null}
        <DateRangeCard range={query.range} error={rangeError} carriedParams={searchParams} path="/app/leaderboard" />

        {noCreators ? (
          <Card>
            <EmptyState
              heading="No creators yet"
              action={{ content: "Add your first creator", url: "/app/creators/new" }}
              image={EMPTY_STATE_IMAGE}
            >
              <p>Add the creators you work with and their discount codes to see who drives your sales.</p>
            </EmptyState>
          </Card>
        ) : null}

        {board && !noCreators ? (
          <Card padding="0">
            <Filters
              queryValue=""
              onQueryChange={() => undefined}
              onQueryClear={() => undefined}
              hideQueryField
              loading={loading}
              onClearAll={() => update({ platform: null, funnelStage: null, niche: null })}
              filters={[
                {
                  key: "platform",
                  label: "Platform",
                  pinned: true,
                  filter: (
                    <ChoiceList
                      title="Platform"
                      titleHidden
                      allowMultiple
                      choices={Object.entries(PLATFORM_LABELS).map(([value, label]) => ({ value, label }))}
                      selected={segments.platforms}
                      onChange={(values) => update({ platform: values })}
                    />
                  ),
                },
                {
                  key: "funnelStage",
                  label: "Funnel stage",
                  pinned: true,
                  filter: (
                    <ChoiceList
                      title="Funnel stage"
                      titleHidden
                      allowMultiple
                      choices={Object.entries(FUNNEL_STAGE_LABELS).map(([value, label]) => ({ value, label }))}
                      selected={segments.funnelStages}
                      onChange={(values) => update({ funnelStage: values })}
                    />
                  ),
                },
                ...(niches.length > 0
                  ? [
                      {
                        key: "niche",
                        label: "Niche",
                        pinned: true,
                        filter: (
                          <ChoiceList
                            title="Niche"
                            titleHidden
                            allowMultiple
                            choices={niches.map((niche) => ({ value: niche, label: niche }))}
                            selected={segments.niches}
                            onChange={(values) => update({ niche: values })}
                          />
                        ),
                      },
                    ]
                  : []),
              ]}
              appliedFilters={appliedFilters}
            />
            <Box paddingInline="300" paddingBlockEnd="200">
              <InlineStack gap="200" blockAlign="center" wrap>
                <Box minWidth="240px">
                  <Select
                    label="Mark the top 20% by"
                    labelInline
                    options={CREATOR_METRIC_KEYS.map((key) => ({ value: key, label: rankLabel(key) }))}
                    value={query.rank}
                    onChange={(value) => update({ rank: value }, { keepPage: true })}
                  />
                </Box>
              </InlineStack>
            </Box>
            {!board.anyOrders && board.listedCount > 0 ? (
              <Box padding="400" borderBlockStartWidth="025" borderColor="border">
                <Text as="p" tone="subdued">
                  No attributed orders in this date range or the one before. Orders appear here once shoppers use a
                  creator&apos;s code, follow their links or name them in the survey.
                </Text>
              </Box>
            ) : null}
            <IndexTable
              resourceName={{ singular: "creator", plural: "creators" }}
              itemCount={board.rows.length}
              selectable={false}
              loading={loading}
              emptyState={
                <EmptySearchResult
                  title="No creators match these filters"
                  description="Remove a filter to see more creators."
                  withIllustration
                />
              }
              headings={[
                { title: "Creator" },
                ...METRIC_COLUMNS.map((column) => ({
                  title: column.title,
                  alignment: "end" as const,
                  ...(column.tooltip ? { tooltipContent: column.tooltip, tooltipWidth: "wide" as const } : {}),
                })),
                { title: "Lift", alignment: "end", tooltipContent: LIFT_TOOLTIP, tooltipWidth: "wide" },
              ]}
              sortable={COLUMN_SORT_KEYS.map(() => true)}
              sortColumnIndex={COLUMN_SORT_KEYS.indexOf(query.sort)}
              sortDirection={query.direction === "asc" ? "ascending" : "descending"}
              defaultSortDirection="descending"
              onSort={onSort}
              pagination={{
                hasPrevious: board.page > 1,
                hasNext: board.page < board.pageCount,
                label: `Page ${board.page} of ${board.pageCount} · ${board.listedCount} creators`,
                onPrevious: () => update({ page: String(board.page - 1) }, { keepPage: true }),
                onNext: () => update({ page: String(board.page + 1) }, { keepPage: true }),
              }}
            >
              {board.rows.map((row, index) => (
                <IndexTable.Row id={row.creatorId} key={row.creatorId} position={index}>
                  <IndexTable.Cell>
                    <Box minWidth="240px">
                      <BlockStack gap="100">
                        <InlineStack gap="200" blockAlign="center" wrap={false}>
                          <Link url={`/app/creators/${row.creatorId}`} removeUnderline dataPrimaryLink>
                            <Text as="span" fontWeight="semibold">
                              {row.name}
                            </Text>
                          </Link>
                          {row.top ? <Badge tone="success">{`Top 20%`}</Badge> : null}
                        </InlineStack>
                        {row.discountCodes.length > 0 ? (
                          <Text as="span" tone="subdued" variant="bodySm">
                            {row.discountCodes.join(", ")}
                          </Text>
                        ) : null}
                        <CreatorSegmentBadges segments={row} />
                      </BlockStack>
                    </Box>
                  </IndexTable.Cell>
                  {row.cells.map((cell, column) => (
                    <IndexTable.Cell key={METRIC_COLUMNS[column]!.key}>
                      <MetricCell text={cell.text} change={cell.change} />
                    </IndexTable.Cell>
                  ))}
                  <IndexTable.Cell>
                    <ExperimentCell experiment={row.experiment} />
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        ) : null}
        {board && board.listedCount > 0 ? (
          <Box paddingInline={{ xs: "400", sm: "0" }}>
            <Text as="p" tone="subdued" variant="bodySm">
              {`Top 20%: the best fifth of the listed creators by ${rankLabel(
                query.rank as CreatorMetricKey
              )}, ties included. Under each number, the change against the previous period of equal length.`}
            </Text>
          </Box>
        ) : null}
      </BlockStack>
    </Page>
  );
}

function MetricCell({ text, change }: { text: string; change: MetricChangeText }) {
  return (
    <BlockStack gap="050" inlineAlign="end">
      <Text as="span" alignment="end" numeric>
        {text}
      </Text>
      <Text as="span" alignment="end" numeric variant="bodySm" tone={change.tone}>
        {change.text === "—" ? "—" : `${change.text} vs prev.`}
      </Text>
    </BlockStack>
  );
}

function ExperimentCell({ experiment }: { experiment: LeaderboardRowView["experiment"] }) {
  if (!experiment) {
    return (
      <Text as="span" alignment="end" tone="subdued">
        No experiment
      </Text>
    );
  }
  return (
    <BlockStack gap="050" inlineAlign="end">
      {experiment.lift ? (
        <Text as="span" alignment="end" numeric>
          {experiment.lift}
        </Text>
      ) : null}
      <Badge tone={VERDICT_TONES[experiment.verdict]}>{VERDICT_LABELS[experiment.verdict]}</Badge>
    </BlockStack>
  );
}

export function ErrorBoundary() {
  return <DashboardErrorBoundary title="Leaderboard" />;
}
