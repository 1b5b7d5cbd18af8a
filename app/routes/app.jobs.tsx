import { Suspense, useEffect } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Await, Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Page,
  SkeletonBodyText,
  Text,
  useBreakpoints,
} from "@shopify/polaris";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { WrapCell } from "~/components/WrapCell";
import {
  inboxHealth,
  queueHealth,
  reprocessSetAsideEvent,
  retryAllFailedJobs,
  retryFailedJob,
  type DeadLetter,
  type FailedJob,
  type QueueCounts,
} from "~/models/background-jobs.server";
import { inboxQueue, webJobQueues } from "~/queues.server";
import { logger } from "~/utils/logger.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const when = (date: Date) => format(new TZDate(date.getTime(), shop.timezone), "MMM d, yyyy, h:mm a");
  const inbox = await inboxHealth(shop);
  // Streamed in after the page: when Redis does not answer, the page says so and the inbox (PostgreSQL) still shows.
  const queues = queueHealth(shop, webJobQueues()).then(
    (health) => ({
      ok: true as const,
      queues: health.queues,
      failedTotal: health.failedTotal,
      failedJobs: health.failedJobs.map((job) => ({ ...job, failedAt: job.failedAt ? when(job.failedAt) : "—" })),
    }),
    (error: unknown) => {
      logger.error({ err: error, shopId: shop.id }, "background jobs page could not read the queues");
      return { ok: false as const };
    },
  );
  return {
    inbox: { ...inbox, deadLetters: inbox.deadLetters.map((letter) => ({ ...letter, receivedAt: when(letter.receivedAt) })) },
    queues,
  };
};

type ActionData = { ok: true; message: string } | { ok: false; error: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const form = Object.fromEntries(await readAdminForm(request));
  switch (form.intent) {
    case "retry": {
      const outcome = await retryFailedJob(shop, webJobQueues(), form);
      if (!outcome.ok) return data<ActionData>({ ok: false, error: outcome.error }, { status: outcome.status });
      return data<ActionData>({ ok: true, message: `Retrying: ${outcome.summary}` });
    }
    case "retry-all": {
      const { retried, cannotRetry } = await retryAllFailedJobs(shop, webJobQueues());
      const retrying = retried === 0 ? "No failed jobs to retry" : `Retrying ${retried} ${retried === 1 ? "job" : "jobs"}`;
      const left = cannotRetry === 0 ? "" : `; ${cannotRetry} cannot run again (see what to do next to ${cannotRetry === 1 ? "it" : "each"})`;
      return data<ActionData>({ ok: true, message: `${retrying}${left}` });
    }
    case "reprocess": {
      const outcome = await reprocessSetAsideEvent(shop, inboxQueue(), form);
      if (!outcome.ok) return data<ActionData>({ ok: false, error: outcome.error }, { status: outcome.status });
      return data<ActionData>({ ok: true, message: `Processing again: ${outcome.summary}` });
    }
    default:
      return data<ActionData>({ ok: false, error: "Unknown action: choose Retry, Retry all or Process again" }, { status: 400 });
  }
};

export default function BackgroundJobsPage() {
  const { inbox, queues } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const revalidator = useRevalidator();

  useEffect(() => {
    if (actionData?.ok) window.shopify?.toast?.show(actionData.message);
  }, [actionData]);

  return (
    <Page
      title="Background jobs"
      subtitle="The work the app does for your store behind the scenes"
      secondaryActions={[
        { content: "Refresh", onAction: () => revalidator.revalidate(), loading: revalidator.state === "loading" },
      ]}
    >
      <BlockStack gap="400">
        {actionData?.ok ? <Banner tone="success" title={actionData.message} /> : null}
        {actionData && !actionData.ok ? <Banner tone="critical" title="Nothing was run again">{actionData.error}</Banner> : null}

        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Webhooks from Shopify
            </Text>
            <Text as="p" tone="subdued">
              Every webhook and imported order is stored before anything else happens, then processed in the background.
            </Text>
            <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
              <Stat label="Waiting" value={inbox.waiting} atLeast={inbox.unprocessedCapped} />
              <Stat label="Retrying" value={inbox.retrying} atLeast={inbox.unprocessedCapped} tone={inbox.retrying > 0 ? "caution" : undefined} />
              <Stat label="Processed" value={inbox.processed} atLeast={inbox.processedCapped} />
              <Stat
                label="Set aside"
                value={inbox.deadLettered}
                atLeast={inbox.unprocessedCapped}
                tone={inbox.deadLettered > 0 ? "critical" : undefined}
              />
            </InlineGrid>
          </BlockStack>
        </Card>

        <Suspense fallback={<QueuesLoading />}>
          <Await resolve={queues} errorElement={<QueuesUnavailable />}>
            {(health) =>
              health.ok ? (
                <>
                  <QueuesCard queues={health.queues} />
                  <FailedJobsCard jobs={health.failedJobs} total={health.failedTotal} nothingSetAside={inbox.deadLettered === 0} />
                </>
              ) : (
                <QueuesUnavailable />
              )
            }
          </Await>
        </Suspense>

        {inbox.deadLettered > 0 ? <SetAsideCard letters={inbox.deadLetters} total={inbox.deadLettered} /> : null}
      </BlockStack>
    </Page>
  );
}

/** `atLeast`: the count stopped at its cap (a backlog or a history too long to count on every page load). */
function Stat({ label, value, atLeast, tone }: { label: string; value: number; atLeast: boolean; tone?: "caution" | "critical" }) {
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <BlockStack gap="100">
        <Text as="span" tone="subdued">
          {label}
        </Text>
        <Text as="span" variant="headingLg" tone={tone} numeric>
          {atLeast ? `${count(value)}+` : count(value)}
        </Text>
      </BlockStack>
    </Box>
  );
}

function QueuesLoading() {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Queues
        </Text>
        <Text as="p" tone="subdued">
          Reading the job queues…
        </Text>
        <SkeletonBodyText lines={4} />
      </BlockStack>
    </Card>
  );
}

function QueuesUnavailable() {
  return (
    <Banner tone="critical" title="The job queues did not answer">
      <p>
        Jobs and their failures cannot be shown right now. Webhooks are still stored safely and will be processed once the
        queues are back; try Refresh in a minute.
      </p>
    </Banner>
  );
}

function QueuesCard({ queues }: { queues: QueueCounts[] }) {
  const { smDown } = useBreakpoints();
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Queues
          </Text>
          <Text as="p" tone="subdued">
            Running and Failed count your store&apos;s jobs. Waiting and Scheduled count the jobs of every store the app
            serves, in the order they run: how much work is ahead of yours.
          </Text>
        </BlockStack>
      </Box>
      <IndexTable
        resourceName={{ singular: "queue", plural: "queues" }}
        itemCount={queues.length}
        selectable={false}
        condensed={smDown}
        headings={[
          { title: "Queue" },
          { title: "Running", alignment: "end" },
          { title: "Failed", alignment: "end" },
          { title: "Waiting (all stores)", alignment: "end" },
          { title: "Scheduled (all stores)", alignment: "end" },
        ]}
      >
        {queues.map((queue, index) => (
          <IndexTable.Row id={queue.queue} key={queue.queue} position={index}>
            {smDown ? (
              <Box padding="300">
                <BlockStack gap="100">
                  <Text as="span" fontWeight="semibold">
                    {queue.label}
                  </Text>
                  <Text as="span" tone={queue.failed > 0 ? "critical" : "subdued"}>
                    {`Running ${count(queue.active)} · Failed ${count(queue.failed)}`}
                  </Text>
                  <Text as="span" tone="subdued">
                    {`All stores: waiting ${count(queue.queueWideWaiting)} · scheduled ${count(queue.queueWideDelayed)}`}
                  </Text>
                </BlockStack>
              </Box>
            ) : (
              <>
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {queue.label}
                  </Text>
                </IndexTable.Cell>
                {[queue.active, queue.failed, queue.queueWideWaiting, queue.queueWideDelayed].map((value, column) => (
                  <IndexTable.Cell key={column}>
                    <Text as="span" alignment="end" numeric tone={column === 1 && value > 0 ? "critical" : undefined}>
                      {count(value)}
                    </Text>
                  </IndexTable.Cell>
                ))}
              </>
            )}
          </IndexTable.Row>
        ))}
      </IndexTable>
    </Card>
  );
}

const count = (value: number) => value.toLocaleString("en-US");

type ShownFailedJob = Omit<FailedJob, "failedAt"> & { failedAt: string };

function FailedJobsCard({ jobs, total, nothingSetAside }: { jobs: ShownFailedJob[]; total: number; nothingSetAside: boolean }) {
  const navigation = useNavigation();
  const { smDown } = useBreakpoints();
  const submitting = (intent: string, jobId?: string) =>
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    (jobId === undefined || navigation.formData?.get("jobId") === jobId);

  if (jobs.length === 0) {
    return (
      <Card>
        <EmptyState heading={nothingSetAside ? "Everything is running" : "No failed jobs"} image={EMPTY_STATE_IMAGE}>
          <p>
            {nothingSetAside
              ? "No job has failed for your store. When one does, it shows up here with its error, and you can run it again."
              : "No job has failed for your store; the webhooks set aside are listed below."}
          </p>
        </EmptyState>
      </Card>
    );
  }

  const retryCell = (job: ShownFailedJob) =>
    job.retryable ? (
      <Form method="post">
        <input type="hidden" name="intent" value="retry" />
        <input type="hidden" name="queue" value={job.queue} />
        <input type="hidden" name="jobId" value={job.jobId} />
        <Button submit size="slim" loading={submitting("retry", job.jobId)} accessibilityLabel={`Retry ${job.summary}`}>
          Retry
        </Button>
      </Form>
    ) : (
      <Text as="span" tone="subdued">
        {job.instead}
      </Text>
    );

  return (
    <Card padding="0">
      <Box padding="400">
        <InlineStack align="space-between" blockAlign="center" gap="200" wrap>
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Failed jobs
            </Text>
            <Badge tone="critical">{String(total)}</Badge>
          </InlineStack>
          {jobs.some((job) => job.retryable) ? (
            <Form method="post">
              <input type="hidden" name="intent" value="retry-all" />
              <Button submit loading={submitting("retry-all")}>
                Retry all
              </Button>
            </Form>
          ) : null}
        </InlineStack>
      </Box>
      <IndexTable
        resourceName={{ singular: "failed job", plural: "failed jobs" }}
        itemCount={jobs.length}
        selectable={false}
        condensed={smDown}
        headings={[
          { title: "Job" },
          { title: "Error" },
          { title: "Attempts", alignment: "end" },
          { title: "Failed at" },
          { title: "", hidden: true },
        ]}
      >
        {jobs.map((job, index) =>
          smDown ? (
            <IndexTable.Row id={`${job.queue}:${job.jobId}`} key={`${job.queue}:${job.jobId}`} position={index}>
              <Box padding="300">
                <BlockStack gap="200">
                  <JobTitle job={job} />
                  <Text as="p" breakWord>
                    {job.error}
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {`Failed ${job.failedAt} after ${job.attemptsMade} ${job.attemptsMade === 1 ? "attempt" : "attempts"}`}
                  </Text>
                  {retryCell(job)}
                </BlockStack>
              </Box>
            </IndexTable.Row>
          ) : (
            <IndexTable.Row id={`${job.queue}:${job.jobId}`} key={`${job.queue}:${job.jobId}`} position={index}>
              <IndexTable.Cell>
                <WrapCell minWidth="12rem" maxWidth="18rem">
                  <JobTitle job={job} />
                </WrapCell>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <WrapCell minWidth="12rem" maxWidth="26rem">
                  {job.error}
                </WrapCell>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {job.attemptsMade}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{job.failedAt}</IndexTable.Cell>
              <IndexTable.Cell>
                <WrapCell minWidth="4rem" maxWidth="14rem">
                  {retryCell(job)}
                </WrapCell>
              </IndexTable.Cell>
            </IndexTable.Row>
          ),
        )}
      </IndexTable>
      {total > jobs.length ? (
        <Box padding="400">
          <Text as="p" tone="subdued">
            Showing the newest {jobs.length} of {total}; Retry all runs every one of them again.
          </Text>
        </Box>
      ) : null}
    </Card>
  );
}

function JobTitle({ job }: { job: ShownFailedJob }) {
  return (
    <BlockStack gap="050">
      <Text as="span" fontWeight="semibold">
        {job.summary}
      </Text>
      <Text as="span" variant="bodySm" tone="subdued">
        {job.queueLabel}
      </Text>
    </BlockStack>
  );
}

type ShownDeadLetter = Omit<DeadLetter, "receivedAt"> & { receivedAt: string };

function SetAsideCard({ letters, total }: { letters: ShownDeadLetter[]; total: number }) {
  const { smDown } = useBreakpoints();
  const navigation = useNavigation();
  const reprocessCell = (letter: ShownDeadLetter) => (
    <Form method="post">
      <input type="hidden" name="intent" value="reprocess" />
      <input type="hidden" name="eventRowId" value={letter.id} />
      <Button
        submit
        size="slim"
        loading={navigation.state === "submitting" && navigation.formData?.get("eventRowId") === letter.id}
        accessibilityLabel={`Process again: ${letter.summary}`}
      >
        Process again
      </Button>
    </Form>
  );
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Webhooks set aside
            </Text>
            <Badge tone="critical">{String(total)}</Badge>
          </InlineStack>
          <Text as="p" tone="subdued">
            The app could not process these, so it stopped trying instead of trying forever. Once what stopped it is fixed,
            process one again; a payload the app cannot read is set aside again at once. Support can look each one up by
            its event id.
          </Text>
        </BlockStack>
      </Box>
      <IndexTable
        resourceName={{ singular: "webhook", plural: "webhooks" }}
        itemCount={letters.length}
        selectable={false}
        condensed={smDown}
        headings={[{ title: "Webhook" }, { title: "Reason" }, { title: "Received" }, { title: "Attempts", alignment: "end" }, { title: "" }]}
      >
        {letters.map((letter, index) => (
          <IndexTable.Row id={letter.id} key={letter.id} position={index}>
            {smDown ? (
              <Box padding="300">
                <BlockStack gap="200">
                  <LetterTitle letter={letter} />
                  <Text as="p" breakWord>
                    {letter.reason}
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {`Received ${letter.receivedAt}; set aside after ${letter.attempts} ${letter.attempts === 1 ? "attempt" : "attempts"}`}
                  </Text>
                  <InlineStack>{reprocessCell(letter)}</InlineStack>
                </BlockStack>
              </Box>
            ) : (
              <>
                <IndexTable.Cell>
                  <WrapCell minWidth="12rem" maxWidth="18rem">
                    <LetterTitle letter={letter} />
                  </WrapCell>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <WrapCell minWidth="12rem" maxWidth="28rem">
                    {letter.reason}
                  </WrapCell>
                </IndexTable.Cell>
                <IndexTable.Cell>{letter.receivedAt}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {letter.attempts}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{reprocessCell(letter)}</IndexTable.Cell>
              </>
            )}
          </IndexTable.Row>
        ))}
      </IndexTable>
      {total > letters.length ? (
        <Box padding="400">
          <Text as="p" tone="subdued">
            Showing the newest {letters.length} of {total}.
          </Text>
        </Box>
      ) : null}
    </Card>
  );
}

function LetterTitle({ letter }: { letter: ShownDeadLetter }) {
  return (
    <BlockStack gap="050">
      <Text as="span" fontWeight="semibold">
        {letter.summary}
      </Text>
      <Text as="span" variant="bodySm" tone="subdued" breakWord>
        Event {letter.eventId}
      </Text>
    </BlockStack>
  );
}
