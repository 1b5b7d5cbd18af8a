import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Card,
  EmptyState,
  IndexTable,
  Link,
  Page,
  Text,
  type IndexTableProps,
} from "@shopify/polaris";
import { formatMoney } from "~/domain/money";
import {
  leaderboard,
  parseLeaderboardRange,
  parseLeaderboardSort,
  sortLeaderboard,
  type LeaderboardRange,
  type LeaderboardSortKey,
  type SortDirection,
} from "~/models/leaderboard.server";
import { DateRangeCard } from "~/components/DateRangeForm";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { formatConversionRate } from "~/domain/metrics/conversion-rate";
import { authenticateShop } from "~/utils/authenticate-shop.server";


interface LeaderboardRowJson {
  creatorId: string;
  name: string;
  discountCodes: string[];
  orders: number;
  /** Minor units as a decimal string: loader JSON carries no bigint. */
  netRevenueMinor: string;
  commissionMinor: string;
  clicks: number;
  conversionRateBasisPoints: number | null;
}

interface LeaderboardData {
  currencyCode: string;
  range: LeaderboardRange;
  error: string | null;
  sort: LeaderboardSortKey;
  direction: SortDirection;
  rows: LeaderboardRowJson[];
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const params = new URL(request.url).searchParams;
  const { sort, direction } = parseLeaderboardSort(params);
  const parsed = parseLeaderboardRange(params, shop.timezone);
  const base = { currencyCode: shop.currencyCode, range: parsed.range, sort, direction };

  if (!parsed.ok) {
    return data<LeaderboardData>({ ...base, error: parsed.error, rows: [] }, { status: 400 });
  }
  const rows = sortLeaderboard(await leaderboard(shop, parsed.range), sort, direction);
  return data<LeaderboardData>({
    ...base,
    error: null,
    rows: rows.map((row) => ({
      ...row,
      netRevenueMinor: row.netRevenueMinor.toString(),
      commissionMinor: row.commissionMinor.toString(),
    })),
  });
};

// IndexTable column order; `null` marks the column that cannot be sorted.
const COLUMN_SORT_KEYS: (LeaderboardSortKey | null)[] = ["name", null, "clicks", "conversion", "orders", "netRevenue", "commission"];

export default function LeaderboardPage() {
  const { currencyCode, range, error, sort, direction, rows } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const hasOrders = rows.some((row) => row.orders > 0);
  const noCreators = !error && rows.length === 0;

  const onSort: NonNullable<IndexTableProps["onSort"]> = (headingIndex, sortDirection) => {
    const key = COLUMN_SORT_KEYS[headingIndex];
    if (!key) return;
    setSearchParams((previous) => {
      const next = new URLSearchParams(previous);
      next.set("sort", key);
      next.set("direction", sortDirection === "ascending" ? "asc" : "desc");
      return next;
    });
  };

  return (
    <Page title="Leaderboard">
      <BlockStack gap="400">
        <DateRangeCard range={range} error={error} carriedParams={searchParams} path="/app" />

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

        {!error && rows.length > 0 ? (
          <Card padding="0">
            {!hasOrders ? (
              <Box padding="400">
                <Text as="p" tone="subdued">
                  No attributed orders in this date range. Orders appear here once shoppers use a creator&apos;s code,
                  follow their links or name them in the survey.
                </Text>
              </Box>
            ) : null}
            <IndexTable
              resourceName={{ singular: "creator", plural: "creators" }}
              itemCount={rows.length}
              selectable={false}
              headings={[
                { title: "Creator", defaultSortDirection: "ascending" },
                { title: "Code" },
                { title: "Clicks", alignment: "end" },
                { title: "Conversion", alignment: "end" },
                { title: "Orders", alignment: "end" },
                { title: "Net revenue", alignment: "end" },
                { title: "Commission", alignment: "end" },
              ]}
              sortable={[true, false, true, true, true, true, true]}
              sortColumnIndex={COLUMN_SORT_KEYS.indexOf(sort)}
              sortDirection={direction === "asc" ? "ascending" : "descending"}
              defaultSortDirection="descending"
              onSort={onSort}
            >
              {rows.map((row, index) => (
                <IndexTable.Row id={row.creatorId} key={row.creatorId} position={index}>
                  <IndexTable.Cell>
                    <Link url={`/app/creators/${row.creatorId}`} removeUnderline dataPrimaryLink>
                      <Text as="span" fontWeight="semibold">
                        {row.name}
                      </Text>
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{row.discountCodes.length > 0 ? row.discountCodes.join(", ") : "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {row.clicks}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatConversionRate(row.conversionRateBasisPoints)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {row.orders}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatMoney(BigInt(row.netRevenueMinor), currencyCode)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatMoney(BigInt(row.commissionMinor), currencyCode)}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        ) : null}
      </BlockStack>
    </Page>
  );
}
