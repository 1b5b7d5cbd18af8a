import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, EmptyState, IndexTable, Link, Page, Text } from "@shopify/polaris";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { DESIGN_LABELS, VERDICT_LABELS, VERDICT_TONES, formatLift, formatLiftInterval } from "~/domain/experiments";
import { listExperiments } from "~/models/experiment.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const experiments = await listExperiments(shop);
  return {
    experiments: experiments.map(({ experiment, result }) => ({
      id: experiment.id,
      name: experiment.name,
      design: experiment.design,
      creators: experiment.creators.map((creator) => creator.name),
      test: experiment.test,
      baseline: experiment.baseline,
      orderLift: result.orderLift,
      verdict: result.verdict,
    })),
  };
};

export default function ExperimentsPage() {
  const { experiments } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const deleted = searchParams.get("deleted") === "1";

  return (
    <Page title="Experiments" primaryAction={{ content: "New experiment", url: "/app/experiments/new" }}>
      <BlockStack gap="400">
        {deleted ? (
          <Banner tone="success" title="Experiment deleted" onDismiss={() => setSearchParams({}, { replace: true, preventScrollReset: true })} />
        ) : null}
        {experiments.length === 0 ? (
          <Card>
            <EmptyState heading="Find out which creators bring orders you would not have had" action={{ content: "New experiment", url: "/app/experiments/new" }} image={EMPTY_STATE_IMAGE}>
              <p>
                An experiment compares orders where a creator's content ran with orders where it did not: exposed
                against control shipping regions (a geo split), or weeks with the content against weeks without it (a
                period holdout). It tells you the lift in orders and revenue, how sure that is, and whether the
                creator is incremental.
              </p>
            </EmptyState>
          </Card>
        ) : (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "experiment", plural: "experiments" }}
              itemCount={experiments.length}
              selectable={false}
              headings={[
                { title: "Experiment" },
                { title: "Design" },
                { title: "Creators" },
                { title: "Test" },
                { title: "Baseline" },
                { title: "Order lift", alignment: "end" },
                { title: "95% interval" },
                { title: "Verdict" },
              ]}
            >
              {experiments.map((experiment, index) => (
                <IndexTable.Row id={experiment.id} key={experiment.id} position={index}>
                  <IndexTable.Cell>
                    <Link url={`/app/experiments/${experiment.id}`} removeUnderline dataPrimaryLink>
                      <Text as="span" fontWeight="semibold">
                        {experiment.name}
                      </Text>
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{DESIGN_LABELS[experiment.design]}</IndexTable.Cell>
                  <IndexTable.Cell>{experiment.creators.length > 0 ? experiment.creators.join(", ") : "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{`${experiment.test.from} – ${experiment.test.to}`}</IndexTable.Cell>
                  <IndexTable.Cell>{`${experiment.baseline.from} – ${experiment.baseline.to}`}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {experiment.orderLift ? formatLift(experiment.orderLift.basisPoints) : "—"}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{experiment.orderLift ? formatLiftInterval(experiment.orderLift) : "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={VERDICT_TONES[experiment.verdict]}>{VERDICT_LABELS[experiment.verdict]}</Badge>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        )}
      </BlockStack>
    </Page>
  );
}
