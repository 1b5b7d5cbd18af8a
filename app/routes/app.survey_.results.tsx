import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Box, Card, DataTable, EmptyState, InlineGrid, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import type { ReactNode } from "react";
import { DateRangeCard } from "~/components/DateRangeForm";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { shortDayLabel } from "~/domain/calendar-days";
import { formatConversionRate } from "~/domain/metrics/conversion-rate";
import type { SurveyOptionKind } from "~/domain/survey/options";
import { parseLeaderboardRange, type LeaderboardRange } from "~/models/leaderboard.server";
import { loadSurveyResults, type SurveyResultsData } from "~/models/survey.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

interface ResultsData {
  range: LeaderboardRange;
  error: string | null;
  results: SurveyResultsData | null;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const parsed = parseLeaderboardRange(new URL(request.url).searchParams, shop.timezone);
  if (!parsed.ok)
    return data<ResultsData>({ range: parsed.range, error: parsed.error, results: null }, { status: 400 });
  return data<ResultsData>({ range: parsed.range, error: null, results: await loadSurveyResults(shop, parsed.range) });
};

const KIND_NAMES: Record<SurveyOptionKind, string> = { CREATOR: "Creator", CHANNEL: "Channel", OTHER: "Other" };

export default function SurveyResultsPage() {
  const { range, error, results } = useLoaderData<typeof loader>() as ResultsData;
  const [searchParams] = useSearchParams();

  return (
    <Page
      title="Survey results"
      subtitle="Orders placed in the date range and what their shoppers answered"
      backAction={{ content: "Post-purchase survey", url: "/app/survey" }}
    >
      <BlockStack gap="400">
        <DateRangeCard range={range} error={error} carriedParams={searchParams} path="/app/survey/results" />
        {results ? <Results results={results} /> : null}
      </BlockStack>
    </Page>
  );
}

function Results({ results }: { results: SurveyResultsData }) {
  if (results.orders === 0) {
    return (
      <Card>
        <EmptyState heading="No orders in this date range" image={EMPTY_STATE_IMAGE}>
          <p>Choose another range, or come back once shoppers have ordered.</p>
          {results.answersWaitingForOrder > 0 ? (
            <p>
              {results.answersWaitingForOrder} {results.answersWaitingForOrder === 1 ? "answer is" : "answers are"}{" "}
              waiting for their order to arrive from Shopify.
            </p>
          ) : null}
        </EmptyState>
      </Card>
    );
  }
  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
        <Metric label="Orders" value={String(results.orders)} />
        <Metric label="Answered" value={String(results.answered)} />
        <Metric label="Response rate" value={formatConversionRate(results.responseRateBasisPoints)} />
      </InlineGrid>
      {results.answersWaitingForOrder > 0 ? (
        <Text as="p" tone="subdued">
          {results.answersWaitingForOrder} more {results.answersWaitingForOrder === 1 ? "answer is" : "answers are"}{" "}
          waiting for their order to arrive from Shopify; they count once it does.
        </Text>
      ) : null}
      {results.answered === 0 ? (
        <Card>
          <EmptyState
            heading="No answers in this date range"
            action={{ content: "Survey settings", url: "/app/survey" }}
            image={EMPTY_STATE_IMAGE}
          >
            <p>
              Answers appear here once shoppers answer on the thank-you or order status page. Check that the survey is
              on and its block is on those pages in the checkout editor.
            </p>
          </EmptyState>
        </Card>
      ) : (
        <>
          <AnswersByWeek results={results} />
          <Agreement results={results} />
        </>
      )}
    </BlockStack>
  );
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

function AnswersByWeek({ results }: { results: SurveyResultsData }) {
  const weeks = results.weeks;
  return (
    <TableCard title="Answers by week" description="Weeks start on Monday; orders count in the week they were placed.">
      <DataTable
        columnContentTypes={["text", "text", "numeric", ...weeks.map(() => "numeric" as const)]}
        headings={["Answer", "Kind", "Total", ...weeks.map((week) => `Week of ${shortDayLabel(week.weekStart)}`)]}
        rows={[
          ...results.options.map((option) => [
            option.label,
            KIND_NAMES[option.kind],
            option.answers,
            ...weeks.map((week) => week.answersByOption[option.key] ?? 0),
          ]),
          ["Answered", "", results.answered, ...weeks.map((week) => week.answered)],
          ["Orders", "", results.orders, ...weeks.map((week) => week.orders)],
        ]}
        fixedFirstColumns={1}
        hasZebraStripingOnData
        increasedTableDensity
      />
    </TableCard>
  );
}

function Agreement({ results }: { results: SurveyResultsData }) {
  const { rows, totals, noAnswerTracked } = results.agreement;
  return (
    <TableCard
      title="Survey and tracking"
      description="Each answer against the creator the order’s own tracking names (discount codes, tracking links, UTM and ref parameters, cart attributes, referrers, customer journeys). Agree: the same creator. Disagree: the tracking names a creator the shopper did not choose. Survey only: the tracking names no creator, so only the survey says where the shopper came from."
    >
      <DataTable
        columnContentTypes={["text", "text", "numeric", "numeric", "numeric"]}
        headings={["Answer", "Kind", "Agree", "Disagree", "Survey only"]}
        rows={rows.map((row) => [row.label, KIND_NAMES[row.kind], row.agree, row.disagree, row.surveyOnly])}
        totals={["", "", totals.AGREE, totals.DISAGREE, totals.SURVEY_ONLY]}
        showTotalsInFooter
        totalsName={{ singular: "Total", plural: "Total" }}
        hasZebraStripingOnData
        increasedTableDensity
      />
      <Box padding="400" paddingBlockStart="0">
        <Text as="p">
          No answer: {totals.NO_ANSWER} {totals.NO_ANSWER === 1 ? "order" : "orders"}, {noAnswerTracked} of them with
          tracking that names a creator.
        </Text>
      </Box>
    </TableCard>
  );
}

/** A card whose table runs edge to edge, under the card's padded title and description. */
function TableCard({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Card padding="0">
      <BlockStack gap="200">
        <Box padding="400" paddingBlockEnd="0">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {title}
            </Text>
            <Text as="p" tone="subdued">
              {description}
            </Text>
          </BlockStack>
        </Box>
        {children}
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  // Shopify's own auth responses go where the app layout sends them.
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return (
    <Page title="Survey results" backAction={{ content: "Post-purchase survey", url: "/app/survey" }}>
      <Banner tone="critical" title="The survey results could not be loaded">
        <p>Reload the page in a moment. A shorter date range loads faster.</p>
      </Banner>
    </Page>
  );
}
