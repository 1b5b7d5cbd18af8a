import { LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { SkeletonBodyText } from "@shopify/polaris";
import { shortDayLabel } from "~/domain/calendar-days";
import { useHasMounted } from "./use-has-mounted";

/** One day of the home dashboard's trend, in major units: the chart's axis only; the totals carry exact amounts. */
export interface TrendDay {
  day: string;
  netRevenue: number;
  cost: number;
}

/**
 * Daily net revenue against daily cost (commissions, fees, seeding) over the range. polaris-viz measures its
 * container in the browser, so the chart renders after mount; the server and the first paint show a skeleton.
 */
export function TrendChart({ days, currencyCode }: { days: TrendDay[]; currencyCode: string }) {
  const mounted = useHasMounted();
  const money = new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode, maximumFractionDigits: 0 });
  const moneyLabel = (value: string | number | null) => money.format(Number(value ?? 0));

  return (
    <div style={{ height: 260 }} data-testid="trend-chart">
      {mounted ? (
        <PolarisVizProvider>
          <LineChart
            theme="Light"
            data={[
              { name: "Net revenue", data: days.map((day) => ({ key: day.day, value: day.netRevenue })) },
              { name: "Cost", data: days.map((day) => ({ key: day.day, value: day.cost })) },
            ]}
            xAxisOptions={{ labelFormatter: (value) => shortDayLabel(String(value)) }}
            yAxisOptions={{ labelFormatter: moneyLabel }}
            tooltipOptions={{ valueFormatter: moneyLabel, titleFormatter: (value) => shortDayLabel(String(value)) }}
          />
        </PolarisVizProvider>
      ) : (
        <SkeletonBodyText lines={9} />
      )}
    </div>
  );
}
