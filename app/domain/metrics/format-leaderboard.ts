import { formatMoney, fromMinorUnits } from "~/domain/money";
import { formatConversionRate } from "./conversion-rate";
import { LOWER_IS_BETTER, creatorMetricValue, metricChange, type CreatorMetricKey, type CreatorMetrics } from "./creator-metrics";
import { formatDays, formatPercentChange, formatRatio } from "./format-metrics";

/**
 * The leaderboard's metric columns, in order: what the page shows and the CSV writes, so the file is exactly the
 * table. Each column formats a value for the screen (shop currency, "3.13×") and for a spreadsheet (plain decimal
 * numbers, money in major units, empty where the screen shows "—").
 */
export interface MetricColumn {
  key: CreatorMetricKey;
  title: string;
  /** The CSV header: the title with its unit. */
  csvTitle: (currencyCode: string) => string;
  /** What the header's tooltip explains; null for self-explanatory columns. */
  tooltip: string | null;
  display: (metrics: CreatorMetrics, currencyCode: string) => string;
  csv: (metrics: CreatorMetrics, currencyCode: string) => string;
  /** How a rise reads: good (more revenue), bad (higher CAC), or neither (spending more is a choice). */
  rise: "good" | "bad" | "neutral";
}

const money = (pick: (metrics: CreatorMetrics) => bigint | null) => ({
  display: (metrics: CreatorMetrics, currencyCode: string) => {
    const value = pick(metrics);
    return value === null ? "—" : formatMoney(value, currencyCode);
  },
  csv: (metrics: CreatorMetrics, currencyCode: string) => {
    const value = pick(metrics);
    return value === null ? "" : fromMinorUnits(value, currencyCode);
  },
  csvTitle: (title: string) => (currencyCode: string) => `${title} (${currencyCode})`,
});

const count = (pick: (metrics: CreatorMetrics) => number) => ({
  display: (metrics: CreatorMetrics) => pick(metrics).toLocaleString("en-US"),
  csv: (metrics: CreatorMetrics) => String(pick(metrics)),
});

/** Basis points as a plain decimal of the unit, half away from zero: 31 250 → "3.13" (ratio) or "312.50" (percent). */
export function basisPointsDecimal(basisPoints: number | null, unit: "ratio" | "percent"): string {
  if (basisPoints === null) return "";
  const hundredths = unit === "ratio" ? roundHalfAway(basisPoints, 100) : basisPoints;
  const magnitude = Math.abs(hundredths);
  const text = `${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, "0")}`;
  return hundredths < 0 ? `-${text}` : text;
}

function roundHalfAway(value: number, divisor: number): number {
  const magnitude = Math.floor((Math.abs(value) * 2 + divisor) / (divisor * 2));
  return value < 0 ? -magnitude : magnitude;
}

const LTV_TOOLTIP =
  "Lifetime value: the net revenue of the customers the creator acquired in this range, within that many days of " +
  "their first order, per customer. Only customers acquired long enough ago count; — until any has.";

function ltvColumn(window: 30 | 90 | 365): MetricColumn {
  const column = money((metrics) => metrics.ltvMinor[window]);
  return {
    key: `ltv${window}`,
    title: `LTV ${window}d`,
    csvTitle: column.csvTitle(`LTV ${window} days`),
    tooltip: LTV_TOOLTIP,
    display: column.display,
    csv: column.csv,
    rise: "good",
  };
}

function moneyColumn(key: CreatorMetricKey, title: string, tooltip: string | null, rise: MetricColumn["rise"], pick: (metrics: CreatorMetrics) => bigint | null): MetricColumn {
  const column = money(pick);
  return { key, title, csvTitle: column.csvTitle(title), tooltip, display: column.display, csv: column.csv, rise };
}

function countColumn(key: CreatorMetricKey, title: string, tooltip: string | null, pick: (metrics: CreatorMetrics) => number): MetricColumn {
  return { key, title, csvTitle: () => title, tooltip, ...count(pick), rise: "good" };
}

export const METRIC_COLUMNS: readonly MetricColumn[] = [
  countColumn("clicks", "Clicks", "Human clicks on the creator's tracking links.", (metrics) => metrics.clicks),
  countColumn("orders", "Orders", "Orders credited to the creator, not cancelled, not test orders.", (metrics) => metrics.orders),
  {
    key: "conversionRate",
    title: "Conversion",
    csvTitle: () => "Conversion rate (%)",
    tooltip: "Orders per tracking-link click. — without clicks.",
    display: (metrics) => formatConversionRate(metrics.conversionRateBasisPoints),
    csv: (metrics) => basisPointsDecimal(metrics.conversionRateBasisPoints, "percent"),
    rise: "good",
  },
  moneyColumn("netRevenue", "Net revenue", "Merchandise after discounts, without shipping and taxes.", "good", (metrics) => metrics.netRevenueMinor),
  moneyColumn("aov", "AOV", "Average order value: net revenue per order.", "good", (metrics) => metrics.aovMinor),
  countColumn("newCustomers", "New customers", "Customers whose first order with the shop the creator drove.", (metrics) => metrics.newCustomers),
  moneyColumn("commission", "Commissions", "Everything the creator's ledger counts in the range: commissions, retainers, fees and bonuses, less reversals.", "neutral", (metrics) => metrics.commissionMinor),
  moneyColumn("totalCost", "Total cost", "Commissions plus flat fees and product seeding recorded on the creator.", "neutral", (metrics) => metrics.totalCostMinor),
  moneyColumn("cac", "CAC", "Customer acquisition cost: total cost ÷ new customers. — without new customers or cost.", "bad", (metrics) => metrics.cacMinor),
  {
    key: "roas",
    title: "ROAS",
    csvTitle: () => "ROAS (×)",
    tooltip: "Return on spend: net revenue ÷ total cost. 3.00× means three of revenue for each one spent. — without cost.",
    display: (metrics) => formatRatio(metrics.roasBasisPoints),
    csv: (metrics) => basisPointsDecimal(metrics.roasBasisPoints, "ratio"),
    rise: "good",
  },
  ltvColumn(30),
  ltvColumn(90),
  ltvColumn(365),
  {
    key: "ltvToCac",
    title: "LTV:CAC",
    csvTitle: () => "LTV:CAC (×)",
    tooltip:
      "Lifetime value ÷ CAC, on the 365-day LTV; when no acquired customer is a year old yet, on the longest window " +
      "that has matured, shown in brackets. Above 3× a creator's customers pay for themselves well.",
    display: (metrics) =>
      metrics.ltvToCac === null
        ? "—"
        : `${formatRatio(metrics.ltvToCac.basisPoints)}${metrics.ltvToCac.windowDays === 365 ? "" : ` (${metrics.ltvToCac.windowDays}d)`}`,
    csv: (metrics) => basisPointsDecimal(metrics.ltvToCac?.basisPoints ?? null, "ratio"),
    rise: "good",
  },
  {
    key: "paybackDays",
    title: "Payback",
    csvTitle: () => "Payback (days)",
    tooltip:
      "Days until an acquired customer's revenue reaches CAC, between their first order and the 30/90/365-day LTV. " +
      "— when not reached within the matured windows (at most a year) or without CAC.",
    display: (metrics) => formatDays(metrics.paybackDays),
    csv: (metrics) => (metrics.paybackDays === null ? "" : String(metrics.paybackDays)),
    rise: "bad",
  },
];

export interface MetricChangeText {
  /** "+12.5%", "—". */
  text: string;
  tone: "success" | "critical" | "subdued";
}

/** The change against the previous period as the table shows it under each number. */
export function metricChangeText(column: MetricColumn, metrics: CreatorMetrics, previous: CreatorMetrics): MetricChangeText {
  const change = metricChange(creatorMetricValue(metrics, column.key), creatorMetricValue(previous, column.key));
  if (change === null || change === 0 || column.rise === "neutral") return { text: formatPercentChange(change), tone: "subdued" };
  const better = (change > 0) === (column.rise === "good");
  return { text: formatPercentChange(change), tone: better ? "success" : "critical" };
}

/** The change as a plain signed percent for a spreadsheet: "12.5", "-4.0", "" without one. */
export function metricChangeCsv(column: MetricColumn, metrics: CreatorMetrics, previous: CreatorMetrics): string {
  const change = metricChange(creatorMetricValue(metrics, column.key), creatorMetricValue(previous, column.key));
  if (change === null) return "";
  const tenths = roundHalfAway(change, 10);
  const magnitude = Math.abs(tenths);
  return `${tenths < 0 ? "-" : ""}${Math.floor(magnitude / 10)}.${magnitude % 10}`;
}

/** The metric key a column ranks by; LOWER_IS_BETTER says which way. Re-exported for the page's Rank by choice. */
export function rankLabel(key: CreatorMetricKey): string {
  const column = METRIC_COLUMNS.find((candidate) => candidate.key === key)!;
  return LOWER_IS_BETTER.has(key) ? `${column.title} (lowest)` : column.title;
}
