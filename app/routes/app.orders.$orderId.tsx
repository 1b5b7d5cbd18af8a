import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useRouteError,
  useSubmit,
} from "@remix-run/react";
import type { AttributionAuditAction } from "@prisma/client";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DescriptionList,
  Divider,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { FLAG_LABELS, METHOD_LABELS, REVIEW_BADGES, flagLabel, verdictSentence } from "~/components/attribution-labels";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { ENTRY_STATUS_BADGES } from "~/components/ledger-labels";
import { LEDGER_KIND_LABELS } from "~/domain/ledger/entry-kind-labels";
import { useSubmitting } from "~/components/use-submitting";
import { EvidenceTable } from "~/components/EvidenceTable";
import { getOrderDetail, listCreatorOptions, type OrderDetail } from "~/models/order.server";
import {
  REASON_MAX_LENGTH,
  approveReview,
  clearOverride,
  overrideAttribution,
  rejectReview,
  staffActor,
  type ReviewFieldErrors,
  type ReviewResult,
} from "~/services/attribution-review.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";
import { WrapCell } from "~/components/WrapCell";

/** The override form's value for "credit nobody". */
const NOBODY = "nobody";

function orderNotFound(): Response {
  return new Response("Order not found", { status: 404 });
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  // Scoped by shop: another shop's order id is as unknown as a made-up one.
  const order = await getOrderDetail(shop.id, params.orderId ?? "", shop.timezone);
  if (!order) throw orderNotFound();
  return { order, creators: await listCreatorOptions(shop.id), reasonMaxLength: REASON_MAX_LENGTH };
};

type Intent = "override" | "clear-override" | "approve" | "reject";

type ActionData =
  | { intent: Intent; ok: true; message: string }
  | { intent: Intent; ok: false; fieldErrors: ReviewFieldErrors }
  | { intent: Intent; ok: false; formError: string };

const SUCCESS: Record<Intent, string> = {
  override: "Override saved",
  "clear-override": "Override removed",
  approve: "Order approved: its commission is posted",
  reject: "Order rejected: it pays no commission",
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const context = await authenticateShop(request);
  const { shop } = context;
  const orderId = params.orderId ?? "";
  const form = await readAdminForm(request);
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const actor = staffActor(context);
  const intent = text("intent");

  let result: ReviewResult | null;
  switch (intent) {
    case "override": {
      const creatorId = text("creatorId");
      result = await overrideAttribution(
        shop,
        orderId,
        { creatorId: creatorId === NOBODY ? null : creatorId, reason: text("reason") },
        actor,
      );
      break;
    }
    case "clear-override":
      result = await clearOverride(shop, orderId, { reason: text("reason") }, actor);
      break;
    case "approve":
      result = await approveReview(shop, orderId, { reason: text("reason") }, actor);
      break;
    case "reject":
      result = await rejectReview(shop, orderId, { reason: text("reason") }, actor);
      break;
    default:
      return new Response("Unknown form", { status: 400 });
  }
  if (!result) throw orderNotFound();
  if (result.ok) return data<ActionData>({ intent, ok: true, message: SUCCESS[intent] });
  return "fieldErrors" in result
    ? data<ActionData>({ intent, ok: false, fieldErrors: result.fieldErrors }, { status: 400 })
    : data<ActionData>({ intent, ok: false, formError: result.formError }, { status: 409 });
};


const AUDIT_LABELS: Record<AttributionAuditAction, string> = {
  OVERRIDE_SET: "Overrode the credit",
  OVERRIDE_CLEARED: "Removed the override",
  REVIEW_APPROVED: "Approved the review",
  REVIEW_REJECTED: "Rejected the review",
};

export default function OrderPage() {
  const { order, creators } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const attribution = order.attribution;

  useEffect(() => {
    if (actionData?.ok) window.shopify?.toast?.show(actionData.message);
  }, [actionData]);

  const errorsFor = (intent: Intent) =>
    actionData && !actionData.ok && actionData.intent === intent && "fieldErrors" in actionData
      ? actionData.fieldErrors
      : {};
  const formError = actionData && !actionData.ok && "formError" in actionData ? actionData.formError : null;
  // A new key after every decision empties the forms.
  const formsKey = `${order.audits.length}`;

  return (
    <Page
      title={order.name}
      subtitle={`Placed ${order.processedAt}`}
      backAction={{ content: "Orders", url: "/app/orders" }}
      titleMetadata={
        <InlineStack gap="100">
          {order.cancelledAt ? <Badge tone="critical">Cancelled</Badge> : null}
          {order.test ? <Badge>Test order</Badge> : null}
          {attribution && attribution.reviewStatus !== "NOT_NEEDED" ? (
            <Badge tone={REVIEW_BADGES[attribution.reviewStatus].tone}>
              {REVIEW_BADGES[attribution.reviewStatus].label}
            </Badge>
          ) : null}
        </InlineStack>
      }
      secondaryActions={[{ content: "View in Shopify", url: order.adminUrl }]}
    >
      <BlockStack gap="400">
        {actionData?.ok ? <Banner tone="success" title={actionData.message} /> : null}
        {formError ? (
          <Banner tone="critical" title="Nothing was changed">
            <p>{formError}</p>
          </Banner>
        ) : null}

        <WhyCard order={order} />

        <Layout>
          <Layout.Section>
            <FactsCard order={order} />
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              {attribution && (attribution.flags.length > 0 || attribution.reviewStatus !== "NOT_NEEDED") ? (
                <ReviewCard
                  key={`review-${formsKey}`}
                  order={order}
                  fieldErrors={{ approve: errorsFor("approve"), reject: errorsFor("reject") }}
                />
              ) : null}
              {attribution ? (
                <OverrideCard
                  key={`override-${formsKey}`}
                  order={order}
                  creators={creators}
                  setErrors={errorsFor("override")}
                  clearErrors={errorsFor("clear-override")}
                />
              ) : null}
            </BlockStack>
          </Layout.Section>
        </Layout>

        {/* Tables get the page's whole width. */}
        <LedgerCard order={order} />
        <AuditCard order={order} />
      </BlockStack>
    </Page>
  );
}

function CardHeading({ children }: { children: string }) {
  return (
    <Text as="h2" variant="headingMd">
      {children}
    </Text>
  );
}

function WhyCard({ order }: { order: OrderDetail }) {
  const attribution = order.attribution;
  if (!attribution) {
    return (
      <Card>
        <BlockStack gap="200">
          <CardHeading>Why this creator?</CardHeading>
          <Text as="p">This order has not been attributed yet: the app decides within moments of receiving it.</Text>
        </BlockStack>
      </Card>
    );
  }
  const sentence = verdictSentence({ creatorName: attribution.creator?.name ?? null, ...attribution });
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="200">
          <CardHeading>Why this creator?</CardHeading>
          <Text as="p" variant="headingLg">
            {sentence}
          </Text>
          <Text as="p" tone="subdued">
            Rule: {attribution.rule || "—"}
          </Text>
          <InlineStack gap="200" blockAlign="center">
            <Badge tone={attribution.method === "MANUAL_OVERRIDE" ? "info" : undefined}>
              {METHOD_LABELS[attribution.method]}
            </Badge>
            {attribution.flags.map((flag) => (
              <Badge key={flag} tone="attention">
                {flagLabel(flag)}
              </Badge>
            ))}
            <Text as="span" variant="bodySm" tone="subdued">
              Decided {attribution.decidedAt}
            </Text>
          </InlineStack>
        </BlockStack>
      </Box>
      <EvidenceTable evidence={attribution.evidence} />
    </Card>
  );
}

function FactsCard({ order }: { order: OrderDetail }) {
  const { facts } = order;
  const none = (
    <Text as="span" tone="subdued">
      None
    </Text>
  );
  const url = (value: string | null) => (value ? <span style={{ overflowWrap: "anywhere" }}>{value}</span> : none);
  const journey =
    facts.journey.status === "PENDING" ? (
      <Text as="span" tone="subdued">
        Not received from Shopify yet
      </Text>
    ) : facts.journey.firstVisit || facts.journey.lastVisit ? (
      <BlockStack gap="100">
        {(
          [
            ["First visit", facts.journey.firstVisit],
            ["Last visit", facts.journey.lastVisit],
          ] as const
        ).map(([label, visit]) =>
          visit ? (
            <Text as="p" key={label}>
              <Text as="span" fontWeight="semibold">
                {label}
              </Text>
              {` ${visit.occurredAt ?? ""}`}
              {visit.source ? ` · source ${visit.source}` : ""}
              {visit.referralCode ? ` · ref ${visit.referralCode}` : ""}
              {visit.utm ? ` · ${visit.utm}` : ""}
              {visit.referrerUrl ? (
                <span style={{ overflowWrap: "anywhere" }}>{` · from ${visit.referrerUrl}`}</span>
              ) : (
                ""
              )}
              {visit.landingPage ? (
                <span style={{ overflowWrap: "anywhere" }}>{` · landed on ${visit.landingPage}`}</span>
              ) : (
                ""
              )}
            </Text>
          ) : null,
        )}
      </BlockStack>
    ) : (
      <Text as="span" tone="subdued">
        Shopify has no journey for this order
      </Text>
    );

  return (
    <Card>
      <BlockStack gap="300">
        <CardHeading>Order facts</CardHeading>
        <DescriptionList
          gap="tight"
          items={[
            { term: "Net merchandise", description: `${order.netMerchandise} (subtotal ${order.subtotal})` },
            { term: "Customer", description: order.newCustomer ? "New customer" : "Returning customer" },
            { term: "Discount codes", description: facts.discountCodes.length ? facts.discountCodes.join(", ") : none },
            { term: "Landing page", description: url(facts.landingSite) },
            { term: "Referring site", description: url(facts.referringSite) },
            {
              term: "Cart attributes",
              description: facts.cartAttributes.length ? (
                <BlockStack gap="050">
                  {facts.cartAttributes.map((attribute, index) => (
                    <span key={index} style={{ overflowWrap: "anywhere" }}>
                      {attribute.name}: {attribute.value}
                    </span>
                  ))}
                </BlockStack>
              ) : (
                none
              ),
            },
            { term: "Customer journey", description: journey },
            {
              term: "Survey answer",
              description: facts.survey ? (
                <span>
                  “{facts.survey.answer}”{facts.survey.otherText ? ` (${facts.survey.otherText})` : ""}
                  {facts.survey.creatorName ? ` → ${facts.survey.creatorName}` : ""}
                  <Text as="span" tone="subdued">{` · ${facts.survey.answeredAt}`}</Text>
                </span>
              ) : (
                none
              ),
            },
            ...(order.cancelledAt ? [{ term: "Cancelled", description: order.cancelledAt }] : []),
            { term: "Confirmation number", description: facts.confirmationNumber ?? none },
          ]}
        />
      </BlockStack>
    </Card>
  );
}

function LedgerCard({ order }: { order: OrderDetail }) {
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="100">
          <CardHeading>Ledger entries</CardHeading>
          <Text as="p" tone="subdued">
            What this order has paid, net of reversals. A change of credit posts a reversal and a new entry; nothing is
            edited.
          </Text>
        </BlockStack>
      </Box>
      {order.ledger.length === 0 ? (
        <Box paddingInline="400" paddingBlockEnd="400">
          <Text as="p">No entries: this order has paid no commission.</Text>
        </Box>
      ) : (
        <IndexTable
          resourceName={{ singular: "entry", plural: "entries" }}
          itemCount={order.ledger.length}
          selectable={false}
          headings={[
            { title: "Posted" },
            { title: "Creator" },
            { title: "Kind" },
            { title: "Reason" },
            { title: "Status" },
            { title: "Amount", alignment: "end" },
          ]}
        >
          {order.ledger.map((entry, index) => (
            <IndexTable.Row id={entry.id} key={entry.id} position={index}>
              <IndexTable.Cell>{entry.postedOn}</IndexTable.Cell>
              <IndexTable.Cell>{entry.creatorName}</IndexTable.Cell>
              <IndexTable.Cell>{LEDGER_KIND_LABELS[entry.kind]}</IndexTable.Cell>
              <IndexTable.Cell>
                <WrapCell minWidth="14rem">{entry.reason}</WrapCell>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={ENTRY_STATUS_BADGES[entry.status].tone}>{ENTRY_STATUS_BADGES[entry.status].label}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {entry.amount}
                </Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      )}
    </Card>
  );
}

/** "1" (a session token's sub) → "Staff member 1"; an email stays as it is. */
function actorName(actor: string): string {
  if (/^\d+$/.test(actor)) return `Staff member ${actor}`;
  return actor === "staff" ? "Staff" : actor;
}

function AuditCard({ order }: { order: OrderDetail }) {
  return (
    <Card padding="0">
      <Box padding="400">
        <CardHeading>Audit trail</CardHeading>
      </Box>
      {order.audits.length === 0 ? (
        <Box paddingInline="400" paddingBlockEnd="400">
          <Text as="p" tone="subdued">
            Nobody has changed this order&apos;s credit by hand.
          </Text>
        </Box>
      ) : (
        <IndexTable
          resourceName={{ singular: "change", plural: "changes" }}
          itemCount={order.audits.length}
          selectable={false}
          headings={[{ title: "When" }, { title: "Who" }, { title: "What" }, { title: "Credit" }, { title: "Reason" }]}
        >
          {order.audits.map((audit, index) => (
            <IndexTable.Row id={audit.id} key={audit.id} position={index}>
              <IndexTable.Cell>{audit.at}</IndexTable.Cell>
              <IndexTable.Cell>{actorName(audit.actor)}</IndexTable.Cell>
              <IndexTable.Cell>{AUDIT_LABELS[audit.action]}</IndexTable.Cell>
              <IndexTable.Cell>
                {audit.from === audit.to ? audit.to ?? "Nobody" : `${audit.from ?? "Nobody"} → ${audit.to ?? "Nobody"}`}
              </IndexTable.Cell>
              <IndexTable.Cell>
                <WrapCell minWidth="12rem">{audit.reason || "—"}</WrapCell>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      )}
    </Card>
  );
}

function ReviewCard({
  order,
  fieldErrors,
}: {
  order: OrderDetail;
  fieldErrors: { approve: ReviewFieldErrors; reject: ReviewFieldErrors };
}) {
  const attribution = order.attribution!;
  const { reasonMaxLength } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const [reason, setReason] = useState("");
  const approving = useSubmitting("approve");
  const rejecting = useSubmitting("reject");
  const pending = attribution.reviewStatus === "PENDING";
  const decide = (intent: "approve" | "reject") => submit({ intent, reason }, { method: "post" });
  const creator = attribution.creator?.name ?? "the creator";

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <CardHeading>Flags</CardHeading>
          {attribution.reviewStatus !== "NOT_NEEDED" ? (
            <Badge tone={REVIEW_BADGES[attribution.reviewStatus].tone}>
              {REVIEW_BADGES[attribution.reviewStatus].label}
            </Badge>
          ) : null}
        </InlineStack>
        {attribution.flags.length > 0 ? (
          <BlockStack gap="200">
            {attribution.flags.map((flag) => (
              <BlockStack gap="050" key={flag}>
                <Text as="p" fontWeight="semibold">
                  {flagLabel(flag)}
                </Text>
                <Text as="p" tone="subdued">
                  {FLAG_LABELS[flag]?.explanation ?? ""}
                </Text>
              </BlockStack>
            ))}
          </BlockStack>
        ) : null}
        {pending ? (
          <>
            <Divider />
            <Text as="p">
              {`${creator}'s commission on this order is held until you decide. Approve to pay it; reject and the order pays no commission (it stays credited to ${creator} in reports).`}
            </Text>
            <TextField
              label="Reason"
              value={reason}
              onChange={setReason}
              multiline={2}
              maxLength={reasonMaxLength}
              error={fieldErrors.reject.reason ?? fieldErrors.approve.reason}
              helpText="Required to reject; optional to approve. Kept in the audit trail."
              autoComplete="off"
            />
            <InlineStack gap="200" align="end">
              <Button tone="critical" onClick={() => decide("reject")} loading={rejecting} disabled={approving}>
                Reject
              </Button>
              <Button variant="primary" onClick={() => decide("approve")} loading={approving} disabled={rejecting}>
                Approve
              </Button>
            </InlineStack>
          </>
        ) : attribution.reviewStatus === "APPROVED" ? (
          <Text as="p">{`Approved ${attribution.reviewedAt ?? ""}: ${creator} is paid for this order.`}</Text>
        ) : attribution.reviewStatus === "REJECTED" ? (
          <Text as="p">{`Rejected ${attribution.reviewedAt ?? ""}: this order pays no commission.`}</Text>
        ) : (
          <Text as="p" tone="subdued">
            These flags do not hold the commission.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

function OverrideCard({
  order,
  creators,
  setErrors,
  clearErrors,
}: {
  order: OrderDetail;
  creators: { id: string; name: string }[];
  setErrors: ReviewFieldErrors;
  clearErrors: ReviewFieldErrors;
}) {
  const attribution = order.attribution!;
  const override = attribution.override;
  const { reasonMaxLength } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const [creatorId, setCreatorId] = useState(attribution.creator?.id ?? NOBODY);
  const [reason, setReason] = useState("");
  const [removeReason, setRemoveReason] = useState("");
  const saving = useSubmitting("override");
  const removing = useSubmitting("clear-override");
  const options = [
    ...creators.map((creator) => ({ value: creator.id, label: creator.name })),
    { value: NOBODY, label: "Nobody (no creator is paid)" },
  ];
  // A credited creator since removed from the shop's list still shows as the current choice.
  if (attribution.creator && !creators.some((creator) => creator.id === attribution.creator!.id)) {
    options.unshift({ value: attribution.creator.id, label: attribution.creator.name });
  }

  return (
    <Card>
      <BlockStack gap="300">
        <CardHeading>{override ? "Override" : "Override the credit"}</CardHeading>
        {override ? (
          <BlockStack gap="200">
            <Text as="p">
              {`You credited this order to ${override.creator?.name ?? "nobody"}, whatever its signals say. Reason: ${
                override.reason
              }`}
            </Text>
            <TextField
              label="Reason for removing it"
              value={removeReason}
              onChange={setRemoveReason}
              maxLength={reasonMaxLength}
              error={clearErrors.reason}
              autoComplete="off"
            />
            <InlineStack align="end">
              <Button
                onClick={() => submit({ intent: "clear-override", reason: removeReason }, { method: "post" })}
                loading={removing}
                disabled={saving}
              >
                Remove override
              </Button>
            </InlineStack>
            <Divider />
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            Credit this order to another creator, or to nobody. The override stays when the order changes, until you
            remove it; the ledger follows at once.
          </Text>
        )}
        <FormLayout>
          <Select
            label={override ? "Credit instead" : "Credit"}
            options={options}
            value={creatorId}
            onChange={setCreatorId}
            error={setErrors.creatorId}
          />
          <TextField
            label="Reason"
            value={reason}
            onChange={setReason}
            multiline={2}
            maxLength={reasonMaxLength}
            error={setErrors.reason}
            helpText="Kept in the audit trail."
            autoComplete="off"
          />
        </FormLayout>
        <InlineStack align="end">
          <Button
            variant="primary"
            onClick={() => submit({ intent: "override", creatorId, reason }, { method: "post" })}
            loading={saving}
            disabled={removing}
          >
            {override ? "Change override" : "Override"}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page title="Order not found" backAction={{ content: "Orders", url: "/app/orders" }}>
        <Card>
          <EmptyState
            heading="This order does not exist"
            action={{ content: "Back to orders", url: "/app/orders" }}
            image={EMPTY_STATE_IMAGE}
          >
            <p>It may belong to another store, or the link is wrong.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  // Shopify's own auth responses (and anything unexpected) go where the app layout sends them.
  return boundary.error(error);
}
