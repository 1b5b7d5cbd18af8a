import { useEffect, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError, useSearchParams } from "@remix-run/react";
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
  InlineStack,
  Link,
  Page,
  Select,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { formatMoney } from "~/domain/money";
import { skipReasonText, type CreatorStatementState } from "~/domain/statements/delivery-rules";
import {
  recentClosedPeriods,
  statementPeriodByKey,
  statementPeriodLabel,
  type StatementPeriod,
} from "~/domain/statements/statement-periods";
import { enqueuePeriodStatements } from "~/jobs/statements-worker.server";
import { getStatementSettings, listStatementRuns, periodCreatorStatuses, setStatementsExcluded } from "~/models/statements.server";
import { statementsQueue } from "~/queues.server";
import { staffActor } from "~/services/attribution-review.server";
import { deliverStatement, resendStatement } from "~/services/deliver-statement.server";
import { previewStatement } from "~/services/preview-statement.server";
import { statementsDue } from "~/services/send-period-statements.server";
import { SmtpNotConfiguredError, smtpConfigured, statementMailerFromEnv } from "~/utils/mailer.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";
import { WrapCell } from "~/components/WrapCell";

const RECENT_PERIODS = 6;

const STATE_BADGES: Record<CreatorStatementState, { label: string; tone?: "success" | "info" | "attention" | "warning" | "critical" }> = {
  SENT: { label: "Sent", tone: "success" },
  SENDING: { label: "Sending", tone: "info" },
  UNCONFIRMED: { label: "Unconfirmed", tone: "warning" },
  FAILED: { label: "Failed", tone: "critical" },
  SKIPPED: { label: "Skipped", tone: "attention" },
  NOT_SENT: { label: "Not sent yet" },
};

const KIND_LABELS = { ORIGINAL: "Statement", RESEND: "Resend" } as const;
const STATUS_LABELS = { SENDING: "Sending", SENT: "Sent", FAILED: "Failed", UNCONFIRMED: "Unconfirmed", SKIPPED: "Skipped" } as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const params = new URL(request.url).searchParams;
  const now = new Date();
  const [settings, runs] = await Promise.all([getStatementSettings(shop.id), listStatementRuns(shop.id)]);

  // The latest closed periods at the current cadence, and any period statements were sent for.
  const periods = new Map<string, StatementPeriod>();
  for (const period of recentClosedPeriods(settings.cadence, shop.timezone, now, RECENT_PERIODS)) periods.set(period.key, period);
  for (const run of runs) {
    const period = statementPeriodByKey(run.periodKey, shop.timezone);
    if (period) periods.set(period.key, period);
  }
  const ordered = [...periods.values()].sort((a, b) => b.start.getTime() - a.start.getTime());
  const selected = periods.get(params.get("period") ?? "") ?? ordered[0]!;
  const run = runs.find((candidate) => candidate.periodKey === selected.key) ?? null;
  const previewCreatorId = params.get("preview");
  const [creators, preview] = await Promise.all([
    periodCreatorStatuses(shop.id, selected.key),
    previewCreatorId ? previewStatement(shop.id, previewCreatorId, selected.key) : Promise.resolve(null),
  ]);
  const when = (date: Date) => format(new TZDate(date.getTime(), shop.timezone), "MMM d, yyyy h:mm a");

  return {
    smtpConfigured: smtpConfigured(),
    autoSend: settings.autoSend,
    // A fresh token per render: "Send now" and "Resend" carry it, so a double submit acts once.
    formToken: crypto.randomUUID(),
    periods: ordered.map((period) => ({ key: period.key, label: statementPeriodLabel(period, shop.timezone) })),
    period: { key: selected.key, label: statementPeriodLabel(selected, shop.timezone) },
    run: run ? { requestedAt: when(run.requestedAt), completedAt: run.completedAt ? when(run.completedAt) : null, lastError: run.lastError } : null,
    previewRequested: previewCreatorId !== null,
    preview,
    creators: creators.map((creator) => {
      const latest = creator.deliveries[0] ?? null;
      return {
        id: creator.creatorId,
        name: creator.name,
        email: creator.email,
        excluded: creator.statementsExcluded,
        optedOut: creator.statementsOptOut,
        state: creator.state,
        hasStatement: creator.statement !== null,
        closing: creator.statement ? formatMoney(creator.statement.closingPayoutMinor, creator.statement.payoutCurrency) : null,
        note:
          latest?.status === "SKIPPED" && latest.skipReason
            ? (latest.error ?? skipReasonText(latest.skipReason))
            : latest?.status === "FAILED" || latest?.status === "UNCONFIRMED"
              ? latest.error
              : null,
        messageId: creator.deliveries.find((delivery) => delivery.messageId)?.messageId ?? null,
      };
    }),
    log: creators
      .flatMap((creator) => creator.deliveries.map((delivery) => ({ ...delivery, creatorName: creator.name })))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((delivery) => ({
        id: delivery.id,
        at: when(delivery.createdAt),
        creatorName: delivery.creatorName,
        kind: delivery.kind,
        status: delivery.status,
        to: delivery.toEmail,
        messageId: delivery.messageId,
        detail: delivery.status === "SENT" ? delivery.smtpResponse : delivery.error,
        requestedBy: delivery.requestedBy,
      })),
  };
};

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("send-period"), periodKey: z.string().min(1), formToken: z.guid() }),
  z.object({ intent: z.literal("send"), periodKey: z.string().min(1), creatorId: z.string() }),
  z.object({ intent: z.literal("resend"), periodKey: z.string().min(1), creatorId: z.string(), formToken: z.guid() }),
  z.object({ intent: z.literal("exclude"), creatorId: z.string() }),
  z.object({ intent: z.literal("include"), creatorId: z.string() }),
]);

type ActionResult = { tone: "success" | "warning" | "critical"; title: string; message?: string; creatorId?: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticateShop(request);
  const { shop } = context;
  const parsed = actionSchema.safeParse(Object.fromEntries(await readAdminForm(request)));
  if (!parsed.success) return data<ActionResult>({ tone: "critical", title: "This form has expired: reload the page and try again" }, { status: 400 });
  const form = parsed.data;
  const requestedBy = staffActor(context);
  const notFound = () => data<ActionResult>({ tone: "critical", title: "No such creator or period in this shop" }, { status: 404 });

  if (form.intent === "exclude" || form.intent === "include") {
    const excluded = await setStatementsExcluded(shop.id, form.creatorId, form.intent === "exclude");
    if (excluded === null) return notFound();
    return data<ActionResult>({ tone: "success", title: excluded ? "Excluded from statements" : "Included in statements again", creatorId: form.creatorId });
  }

  const period = statementPeriodByKey(form.periodKey, shop.timezone);
  if (!period) return notFound();
  if (!statementsDue(period, shop.timezone, new Date())) {
    return data<ActionResult>({ tone: "warning", title: "This period has not closed yet", message: "Statements can be sent from 06:00 on the day after it ends." }, { status: 409 });
  }

  if (form.intent === "send-period") {
    try {
      await enqueuePeriodStatements(statementsQueue(), [{ shopId: shop.id, periodKey: period.key }], { requestedBy, requestToken: form.formToken });
    } catch (error) {
      return data<ActionResult>({ tone: "critical", title: "Statements were not queued", message: `The job queue is unreachable (${(error as Error).message}). Try again in a moment.` }, { status: 503 });
    }
    return data<ActionResult>({
      tone: "success",
      title: "Sending statements",
      message: "Every creator who has not received this period's statement gets it; the others are skipped with the reason. Reload to follow progress.",
    });
  }

  try {
    const mailer = statementMailerFromEnv();
    if (form.intent === "send") {
      const outcome = await deliverStatement(mailer, { shopId: shop.id, creatorId: form.creatorId, periodKey: period.key, requestedBy });
      if (!outcome) return notFound();
      const result: Record<typeof outcome.outcome, ActionResult> = {
        SENT: { tone: "success", title: "Statement sent" },
        ALREADY_SENT: { tone: "warning", title: "Already sent", message: "Use Resend to send it again." },
        UNCONFIRMED: { tone: "warning", title: "Not sent again", message: "An earlier send may have reached the creator. Use Resend if they did not get it." },
        FAILED: { tone: "critical", title: "The statement was not sent", message: outcome.outcome === "FAILED" ? outcome.error : undefined },
        SKIPPED: { tone: "warning", title: "Skipped", message: outcome.outcome === "SKIPPED" ? outcome.text : undefined },
      };
      return data<ActionResult>({ ...result[outcome.outcome], creatorId: form.creatorId });
    }
    const outcome = await resendStatement(mailer, { shopId: shop.id, creatorId: form.creatorId, periodKey: period.key, requestedBy, requestKey: form.formToken });
    if (!outcome) return notFound();
    switch (outcome.outcome) {
      case "SENT":
        return data<ActionResult>({ tone: "success", title: "Statement resent", creatorId: form.creatorId });
      case "DUPLICATE":
        return data<ActionResult>({ tone: "warning", title: "This resend was already done", creatorId: form.creatorId });
      case "NOT_GENERATED":
        return data<ActionResult>({ tone: "warning", title: "Nothing to resend", message: "This statement has not been sent yet: use Send.", creatorId: form.creatorId });
      case "SKIPPED":
        return data<ActionResult>({ tone: "warning", title: "Skipped", message: outcome.text, creatorId: form.creatorId });
      case "FAILED":
        return data<ActionResult>({ tone: "critical", title: "The statement was not resent", message: outcome.error, creatorId: form.creatorId });
      default:
        return data<ActionResult>({ tone: "warning", title: "The resend may not have arrived", message: "The connection to the mail server was lost while sending.", creatorId: form.creatorId });
    }
  } catch (error) {
    if (error instanceof SmtpNotConfiguredError) return data<ActionResult>({ tone: "critical", title: "Statements cannot be sent", message: error.message }, { status: 503 });
    throw error;
  }
};

export default function StatementsPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const [confirmResend, setConfirmResend] = useState<string | null>(null);
  const busy = (intent: string, creatorId?: string) =>
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    (creatorId === undefined || navigation.formData?.get("creatorId") === creatorId);

  const toasted = useRef<typeof result>(undefined);
  useEffect(() => {
    if (!result || toasted.current === result || result.tone !== "success") return;
    toasted.current = result;
    window.shopify?.toast?.show(result.title);
  }, [result]);

  const show = (changes: Record<string, string | null>) =>
    setSearchParams((previous) => {
      const next = new URLSearchParams(previous);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      return next;
    });
  const confirming = loaded.creators.find((creator) => creator.id === confirmResend) ?? null;
  const counts = loaded.creators.reduce<Record<string, number>>((all, creator) => ({ ...all, [creator.state]: (all[creator.state] ?? 0) + 1 }), {});

  return (
    <Page
      title="Statements"
      subtitle="Emailed to each creator after a period closes: balances, entries and payouts"
      secondaryActions={[{ content: "Statement settings", url: "/app/statements/settings" }]}
    >
      <BlockStack gap="400">
        {!loaded.smtpConfigured ? (
          <Banner tone="critical" title="Statements cannot be sent yet">
            <p>
              The app has no mail server: set SMTP_URL (or SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS) and STATEMENTS_FROM where it runs. You can
              still preview statements.
            </p>
          </Banner>
        ) : null}
        {result ? (
          <Banner tone={result.tone} title={result.title}>
            {result.message ? <p>{result.message}</p> : null}
          </Banner>
        ) : null}

        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="end" gap="400" wrap>
              <Box minWidth="16rem">
                <Select
                  label="Period"
                  options={loaded.periods.map((period) => ({ value: period.key, label: period.label }))}
                  value={loaded.period.key}
                  onChange={(key) => show({ period: key, preview: null })}
                />
              </Box>
              <Form method="post">
                <input type="hidden" name="intent" value="send-period" />
                <input type="hidden" name="periodKey" value={loaded.period.key} />
                <input type="hidden" name="formToken" value={loaded.formToken} />
                <Button submit variant="primary" loading={busy("send-period")} disabled={!loaded.smtpConfigured}>
                  Send now
                </Button>
              </Form>
            </InlineStack>
            <Text as="p" tone="subdued">
              {loaded.run
                ? loaded.run.completedAt
                  ? `Sent ${loaded.run.completedAt}.`
                  : `Sending since ${loaded.run.requestedAt}.`
                : loaded.autoSend
                  ? "Statements go out automatically at 06:00 the day after a period ends, for periods that end after the app was installed."
                  : "Automatic sending is off: send this period's statements yourself."}{" "}
              Each creator gets a period&apos;s statement once; Send now reaches those who have not had it.
            </Text>
            {loaded.run?.lastError ? (
              <Banner tone="warning" title="Some statements were not sent">
                <p>{loaded.run.lastError}</p>
              </Banner>
            ) : null}
            <InlineStack gap="200">
              {(Object.keys(STATE_BADGES) as CreatorStatementState[])
                .filter((state) => counts[state])
                .map((state) => (
                  <Badge key={state} tone={STATE_BADGES[state].tone}>{`${STATE_BADGES[state].label}: ${counts[state]}`}</Badge>
                ))}
            </InlineStack>
          </BlockStack>
        </Card>

        {confirming ? (
          <Banner tone="warning" title={`Resend ${loaded.period.label} to ${confirming.name}?`} onDismiss={() => setConfirmResend(null)}>
            <BlockStack gap="200">
              <p>
                {confirming.state === "SENT"
                  ? `${confirming.name} already received this statement. They get the same statement again, as a second email to ${confirming.email ?? "their address"}.`
                  : `An earlier send may have reached ${confirming.name}. Resend only if they did not get it.`}
              </p>
              <Form method="post" onSubmit={() => setConfirmResend(null)}>
                <input type="hidden" name="intent" value="resend" />
                <input type="hidden" name="periodKey" value={loaded.period.key} />
                <input type="hidden" name="creatorId" value={confirming.id} />
                <input type="hidden" name="formToken" value={loaded.formToken} />
                <InlineStack gap="200">
                  <Button submit variant="primary" tone="critical">
                    Resend statement
                  </Button>
                  <Button onClick={() => setConfirmResend(null)}>Cancel</Button>
                </InlineStack>
              </Form>
            </BlockStack>
          </Banner>
        ) : null}

        <Card padding="0">
          {loaded.creators.length === 0 ? (
            <EmptyState heading="No creators yet" action={{ content: "Add creator", url: "/app/creators/new" }} image={EMPTY_STATE_IMAGE}>
              <p>Statements are sent to your creators once they have earnings or payouts.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "creator", plural: "creators" }}
              itemCount={loaded.creators.length}
              selectable={false}
              headings={[{ title: "Creator" }, { title: "Status" }, { title: "Closing balance", alignment: "end" }, { title: "Actions" }]}
            >
              {loaded.creators.map((creator, index) => (
                <IndexTable.Row id={creator.id} key={creator.id} position={index}>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      <Link url={`/app/creators/${creator.id}/ledger`} removeUnderline>
                        <Text as="span" fontWeight="semibold">
                          {creator.name}
                        </Text>
                      </Link>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {creator.email ?? "No email"}
                        {creator.optedOut ? " · opted out" : ""}
                        {creator.excluded ? " · excluded" : ""}
                      </Text>
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <WrapCell maxWidth="22rem">
                      <BlockStack gap="100">
                        <span>
                          <Badge tone={STATE_BADGES[creator.state].tone}>{STATE_BADGES[creator.state].label}</Badge>
                        </span>
                        {creator.note ? (
                          <Text as="span" variant="bodySm" tone={creator.state === "FAILED" ? "critical" : "subdued"}>
                            {creator.note}
                          </Text>
                        ) : null}
                        {creator.messageId ? (
                          <Text as="span" variant="bodySm" tone="subdued" breakWord>
                            {creator.messageId}
                          </Text>
                        ) : null}
                      </BlockStack>
                    </WrapCell>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {creator.closing ?? "—"}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="200" wrap={false}>
                      <Button size="slim" onClick={() => show({ preview: creator.id })} accessibilityLabel={`Preview ${creator.name}'s statement`}>
                        Preview
                      </Button>
                      {creator.state === "SENT" || creator.state === "UNCONFIRMED" ? (
                        <Button size="slim" onClick={() => setConfirmResend(creator.id)} disabled={!loaded.smtpConfigured} accessibilityLabel={`Resend ${creator.name}'s statement`}>
                          Resend
                        </Button>
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="send" />
                          <input type="hidden" name="periodKey" value={loaded.period.key} />
                          <input type="hidden" name="creatorId" value={creator.id} />
                          <Button
                            size="slim"
                            submit
                            loading={busy("send", creator.id)}
                            disabled={!loaded.smtpConfigured || creator.state === "SENDING"}
                            accessibilityLabel={`Send ${creator.name}'s statement`}
                          >
                            Send
                          </Button>
                        </Form>
                      )}
                      <Form method="post">
                        <input type="hidden" name="intent" value={creator.excluded ? "include" : "exclude"} />
                        <input type="hidden" name="creatorId" value={creator.id} />
                        <Button size="slim" variant="plain" submit loading={busy(creator.excluded ? "include" : "exclude", creator.id)}>
                          {creator.excluded ? "Include" : "Exclude"}
                        </Button>
                      </Form>
                    </InlineStack>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>

        {loaded.previewRequested ? (
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {loaded.preview ? `Preview: ${loaded.preview.creatorName}, ${loaded.period.label}` : "Preview"}
                </Text>
                <Button variant="plain" onClick={() => show({ preview: null })}>
                  Close preview
                </Button>
              </InlineStack>
              {!loaded.preview ? (
                <Banner tone="critical" title="No such creator in this shop" />
              ) : !loaded.preview.ok ? (
                <Banner tone="warning" title="No statement to show">
                  <p>{loaded.preview.message}</p>
                </Banner>
              ) : (
                <>
                  <Text as="p" tone="subdued">
                    {loaded.preview.generated
                      ? "The statement as it was generated and sent."
                      : `Not sent yet: built from the ledger as it is now${loaded.preview.fxRate !== "1" ? `, at today's rate (1 → ${loaded.preview.fxRate} ${loaded.preview.payoutCurrency})` : ""}. It is locked when first sent.`}
                  </Text>
                  <iframe
                    title={`Statement preview for ${loaded.preview.creatorName}`}
                    srcDoc={loaded.preview.html}
                    sandbox=""
                    style={{ width: "100%", height: "900px", border: "1px solid var(--p-color-border)", borderRadius: "8px" }}
                  />
                </>
              )}
            </BlockStack>
          </Card>
        ) : null}

        <Card padding="0">
          <Box padding="400">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                Delivery log
              </Text>
              <Text as="p" tone="subdued">
                Every send, resend and skip for {loaded.period.label}, newest first.
              </Text>
            </BlockStack>
          </Box>
          {loaded.log.length === 0 ? (
            <Box padding="400" paddingBlockStart="0">
              <Text as="p" tone="subdued">
                Nothing sent or skipped for this period yet.
              </Text>
            </Box>
          ) : (
            <IndexTable
              resourceName={{ singular: "delivery", plural: "deliveries" }}
              itemCount={loaded.log.length}
              selectable={false}
              headings={[{ title: "When" }, { title: "Creator" }, { title: "What" }, { title: "Status" }, { title: "Message" }]}
            >
              {loaded.log.map((entry, index) => (
                <IndexTable.Row id={entry.id} key={entry.id} position={index}>
                  <IndexTable.Cell>{entry.at}</IndexTable.Cell>
                  <IndexTable.Cell>{entry.creatorName}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {KIND_LABELS[entry.kind]}
                    {entry.requestedBy ? (
                      <Text as="span" variant="bodySm" tone="subdued">{` by ${entry.requestedBy}`}</Text>
                    ) : null}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={entry.status === "SENT" ? "success" : entry.status === "FAILED" ? "critical" : entry.status === "UNCONFIRMED" ? "warning" : entry.status === "SKIPPED" ? "attention" : "info"}>
                      {STATUS_LABELS[entry.status]}
                    </Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <WrapCell maxWidth="30rem">
                      <BlockStack gap="050">
                        {entry.to ? <Text as="span" variant="bodySm">{`To ${entry.to}`}</Text> : null}
                        {entry.messageId ? (
                          <Text as="span" variant="bodySm" tone="subdued" breakWord>
                            {entry.messageId}
                          </Text>
                        ) : null}
                        {entry.detail ? (
                          <Text as="span" variant="bodySm" tone={entry.status === "FAILED" ? "critical" : "subdued"} breakWord>
                            {entry.detail}
                          </Text>
                        ) : null}
                      </BlockStack>
                    </WrapCell>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        {searchParams.get("period") && searchParams.get("period") !== loaded.period.key ? (
          <Text as="p" tone="subdued">{`There is no period ${searchParams.get("period")}: showing ${loaded.period.label}.`}</Text>
        ) : null}
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status < 500 && error.status !== 401 && error.status !== 403) {
    return (
      <Page title="Statements">
        <Banner tone="critical" title="The statements page could not be shown">
          <p>{typeof error.data === "string" ? error.data : "Reload the page to try again."}</p>
        </Banner>
      </Page>
    );
  }
  return boundary.error(error);
}
