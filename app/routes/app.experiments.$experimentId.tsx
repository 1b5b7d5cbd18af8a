import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, isRouteErrorResponse, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, EmptyState, InlineGrid, InlineStack, Page, Text } from "@shopify/polaris";
import { LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { useHasMounted } from "~/components/use-has-mounted";
import {
  DESIGN_LABELS,
  VERDICT_LABELS,
  VERDICT_TONES,
  explainVerdict,
  formatLift,
  formatLiftInterval,
  type Cell,
  type ExperimentDay,
} from "~/domain/experiments";
import { formatMoney } from "~/domain/money";
import { deleteExperiment, getExperiment } from "~/models/experiment.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const measured = await getExperiment(shop, params.experimentId ?? "");
  if (!measured) throw new Response("Experiment not found", { status: 404 });
  return { ...measured, currencyCode: shop.currencyCode };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const form = await readAdminForm(request);
  if (form.get("intent") !== "delete") throw new Response("Unknown action", { status: 400 });
  if (!(await deleteExperiment(shop.id, params.experimentId ?? ""))) throw new Response("Experiment not found", { status: 404 });
  return redirect("/app/experiments?deleted=1");
};

export default function ExperimentPage() {
  const { experiment, result, currencyCode } = useLoaderData<typeof loader>();
  const money = (minor: bigint) => formatMoney(minor, currencyCode);
  const signedMoney = (minor: bigint) => (minor > 0n ? `+${money(minor)}` : money(minor));
  const signed = (count: number) => (count > 0 ? `+${count}` : String(count));
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const navigation = useNavigation();
  const deleting = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";
  const geo = experiment.design === "GEO_SPLIT";

  return (
    <Page
      title={experiment.name}
      titleMetadata={<Badge tone={VERDICT_TONES[result.verdict]}>{VERDICT_LABELS[result.verdict]}</Badge>}
      subtitle={`${DESIGN_LABELS[experiment.design]} · ${experiment.creators.map((creator) => creator.name).join(", ") || "no creators left"}`}
      backAction={{ content: "Experiments", url: "/app/experiments" }}
      secondaryActions={[{ content: "Delete", destructive: true, onAction: () => setConfirmingDelete(true) }]}
    >
      <BlockStack gap="400">
        {confirmingDelete ? (
          <Banner tone="critical" title="Delete this experiment?" onDismiss={() => setConfirmingDelete(false)}>
            <BlockStack gap="200">
              <p>Its result disappears from the leaderboard and the creators' pages. Orders are not affected.</p>
              <Form method="post">
                <input type="hidden" name="intent" value="delete" />
                <InlineStack gap="200">
                  <Button submit tone="critical" loading={deleting}>
                    Delete experiment
                  </Button>
                  <Button onClick={() => setConfirmingDelete(false)}>Keep it</Button>
                </InlineStack>
              </Form>
            </BlockStack>
          </Banner>
        ) : null}
        <Banner tone={VERDICT_TONES[result.verdict] === "critical" ? "warning" : VERDICT_TONES[result.verdict] ?? "info"} title={VERDICT_LABELS[result.verdict]}>
          <p>{explainVerdict(result.verdict, experiment.design)}</p>
        </Banner>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <Metric label="Incremental orders" value={result.incrementalOrders === null ? "—" : signed(result.incrementalOrders)}
            detail={result.expectedOrders === null ? "Not measurable yet" : `${result.exposed.test.orders} orders against ${result.expectedOrders} expected`} />
          <Metric label="Order lift" value={result.orderLift ? formatLift(result.orderLift.basisPoints) : "—"}
            detail={result.orderLift ? `95% interval ${formatLiftInterval(result.orderLift)}` : "No interval yet"} />
          <Metric label="Incremental revenue" value={result.incrementalRevenueMinor === null ? "—" : signedMoney(result.incrementalRevenueMinor)}
            detail={result.expectedRevenueMinor === null ? "Not measurable yet" : `${money(result.exposed.test.netRevenueMinor)} against ${money(result.expectedRevenueMinor)} expected`} />
          <Metric label="Revenue lift" value={result.revenueLift ? formatLift(result.revenueLift.basisPoints) : "—"}
            detail={result.revenueLift ? `95% interval ${formatLiftInterval(result.revenueLift)} (bootstrap)` : "No interval yet"} />
        </InlineGrid>
        <Card padding="0">
          <Box padding="400">
            <Text as="h2" variant="headingSm">
              Orders by group and window
            </Text>
          </Box>
          <DataTable
            columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric"]}
            headings={["Group", "Window", "Days", "Orders", "Orders per day", "Net revenue"]}
            rows={groupRows(experiment, result).map(({ group, window, cell }) => [
              group,
              window,
              cell.days,
              cell.orders,
              cell.days > 0 ? (cell.orders / cell.days).toFixed(1) : "—",
              money(cell.netRevenueMinor),
            ])}
          />
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingSm">
              Orders per day
            </Text>
            <DailyChart daily={result.daily} geo={geo} />
          </BlockStack>
        </Card>
        {experiment.notes ? (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingSm">
                Notes
              </Text>
              <Text as="p">{experiment.notes}</Text>
            </BlockStack>
          </Card>
        ) : null}
        <Text as="p" tone="subdued">
          How this is measured, and what it assumes: docs/experiments.md. Only days before today count.
        </Text>
      </BlockStack>
    </Page>
  );
}

function Metric({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        <Text as="p" tone="subdued">
          {detail}
        </Text>
      </BlockStack>
    </Card>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function groupRows({ design, exposedRegions, controlRegions, test, baseline }: Loaded["experiment"], result: Loaded["result"]) {
  const span = (window: { from: string; to: string }) => `${window.from} – ${window.to}`;
  if (design === "PERIOD_HOLDOUT") {
    return [
      { group: "Whole store, content running", window: `Test ${span(test)}`, cell: result.exposed.test },
      { group: "Whole store, content paused", window: `Holdout ${span(baseline)}`, cell: result.exposed.baseline },
    ];
  }
  const rows: { group: string; window: string; cell: Cell }[] = [
    { group: `Exposed (${exposedRegions.join(", ")})`, window: `Baseline ${span(baseline)}`, cell: result.exposed.baseline },
    { group: `Exposed (${exposedRegions.join(", ")})`, window: `Test ${span(test)}`, cell: result.exposed.test },
  ];
  if (result.control) {
    rows.push(
      { group: `Control (${controlRegions.join(", ")})`, window: `Baseline ${span(baseline)}`, cell: result.control.baseline },
      { group: `Control (${controlRegions.join(", ")})`, window: `Test ${span(test)}`, cell: result.control.test },
    );
  }
  return rows;
}

/** polaris-viz measures the page to draw, so it renders in the browser only, once the page has mounted. */
function DailyChart({ daily, geo }: { daily: ExperimentDay[]; geo: boolean }) {
  const mounted = useHasMounted();
  if (daily.length === 0) {
    return (
      <Text as="p" tone="subdued">
        No days have passed yet.
      </Text>
    );
  }
  const series = [
    { name: geo ? "Exposed regions" : "Orders", data: daily.map((day) => ({ key: day.day, value: day.exposedOrders })) },
    ...(geo ? [{ name: "Control regions", data: daily.map((day) => ({ key: day.day, value: day.controlOrders ?? 0 })) }] : []),
  ];
  const firstTestDay = daily.find((day) => day.window === "test")?.day;
  return (
    <BlockStack gap="200">
      <div style={{ height: 280 }} data-testid="experiment-chart">
        {mounted ? (
          <PolarisVizProvider>
            <LineChart data={series} theme="Light" xAxisOptions={{ labelFormatter: (value) => String(value).slice(5) }} />
          </PolarisVizProvider>
        ) : null}
      </div>
      <Text as="p" tone="subdued">
        {firstTestDay ? `The test starts on ${firstTestDay}; the days before it are the ${geo ? "baseline" : "holdout"}.` : "Only baseline days so far."}
      </Text>
    </BlockStack>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page title="Experiment not found" backAction={{ content: "Experiments", url: "/app/experiments" }}>
        <Card>
          <EmptyState heading="This experiment does not exist" action={{ content: "Back to experiments", url: "/app/experiments" }} image={EMPTY_STATE_IMAGE}>
            <p>It may have been deleted, or the link is wrong.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return boundary.error(error);
}
