import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { BlockStack, Box, InlineGrid, SkeletonBodyText, Text } from "@shopify/polaris";
import { shortDayLabel } from "~/domain/calendar-days";
import { useHasMounted } from "./use-has-mounted";

/** One day of the creator's chart: net revenue in major units (for the axis only; the KPIs carry the exact amounts). */
export interface CreatorTrendDay {
  day: string;
  orders: number;
  netRevenue: number;
}

/**
 * Daily net revenue (line) and orders (bars) over the range. polaris-viz measures its container in the browser, so
 * the charts render after mount; the server (and the first paint) shows a skeleton of the same height.
 */
export function CreatorTrendCharts({ days, currencyCode }: { days: CreatorTrendDay[]; currencyCode: string }) {
  const mounted = useHasMounted();
  const money = new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode, maximumFractionDigits: 0 });
  const labelFormatter = (value: string | number | null) => shortDayLabel(String(value));

  const chart = (title: string, body: JSX.Element) => (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      <Box minHeight="220px">
        <div style={{ height: 220 }}>{mounted ? body : <SkeletonBodyText lines={8} />}</div>
      </Box>
    </BlockStack>
  );

  return (
    <PolarisVizProvider>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        {chart(
          "Net revenue per day",
          <LineChart
            theme="Light"
            showLegend={false}
            data={[{ name: "Net revenue", data: days.map((day) => ({ key: day.day, value: day.netRevenue })) }]}
            xAxisOptions={{ labelFormatter }}
            yAxisOptions={{ labelFormatter: (value) => money.format(Number(value ?? 0)) }}
            tooltipOptions={{ valueFormatter: (value) => money.format(Number(value ?? 0)) }}
          />,
        )}
        {chart(
          "Orders per day",
          <BarChart
            theme="Light"
            showLegend={false}
            data={[{ name: "Orders", data: days.map((day) => ({ key: day.day, value: day.orders })) }]}
            xAxisOptions={{ labelFormatter }}
            yAxisOptions={{ integersOnly: true }}
          />,
        )}
      </InlineGrid>
    </PolarisVizProvider>
  );
}
