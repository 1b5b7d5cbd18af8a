import { useState } from "react";
import { creatorNotFound } from "~/components/CreatorErrorBoundary";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  EmptyState,
  FormLayout,
  InlineStack,
  Link,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import type { DeliverableKind } from "~/domain/commissions/contract-terms";
import { formatMoney } from "~/domain/money";
import { currentContract } from "~/models/contract.server";
import { getCreator } from "~/models/creator.server";
import { addDeliverable, listDeliverables, type DeliverableFieldErrors } from "~/models/deliverable.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

const KIND_LABELS: Record<DeliverableKind, string> = {
  POST: "Post",
  VIDEO: "Video",
  STORY: "Story",
  REEL: "Reel",
  LIVESTREAM: "Livestream",
};
const KIND_OPTIONS = (Object.entries(KIND_LABELS) as [DeliverableKind, string][]).map(([value, label]) => ({
  value,
  label,
}));

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  // Scoped by shop: another shop's creator id is as unknown as a made-up one.
  const creator = await getCreator(shop.id, params.creatorId ?? "");
  if (!creator) throw creatorNotFound();
  const [deliverables, contract] = await Promise.all([
    listDeliverables(shop.id, creator.id),
    currentContract(shop.id, creator.id),
  ]);
  const flatFee = contract?.terms.components.find((component) => component.kind === "FLAT_FEE");
  const fees = flatFee?.kind === "FLAT_FEE" ? flatFee.feesMinor : null;
  return {
    creator: { id: creator.id, name: creator.name },
    today: format(new TZDate(Date.now(), shop.timezone), "yyyy-MM-dd"),
    // What each kind pays under the current contract, as the merchant reads it; null without a flat fee.
    currentFees: fees
      ? Object.fromEntries(
          Object.entries(fees)
            .filter((entry): entry is [string, bigint] => entry[1] !== undefined)
            .map(([kind, fee]) => [kind, formatMoney(fee, shop.currencyCode)])
        )
      : null,
    deliverables: deliverables.map((deliverable) => ({
      id: deliverable.id,
      kind: deliverable.kind,
      title: deliverable.title,
      url: deliverable.url,
      deliveredOn: format(new TZDate(deliverable.deliveredAt.getTime(), shop.timezone), "MMM d, yyyy"),
    })),
  };
};

type ActionData = { fieldErrors: DeliverableFieldErrors } | { added: { id: string; title: string } };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const formData = await readAdminForm(request);
  const raw = Object.fromEntries(formData);
  const result = await addDeliverable(shop.id, params.creatorId ?? "", raw);
  if (!result) throw creatorNotFound();
  if (!result.ok) return data<ActionData>({ fieldErrors: result.fieldErrors }, { status: 400 });
  return data<ActionData>({ added: { id: result.deliverableId, title: String(raw.title ?? "").trim() } });
};

export default function DeliverablesPage() {
  const { creator, today, currentFees, deliverables } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const fieldErrors = actionData && "fieldErrors" in actionData ? actionData.fieldErrors : undefined;
  const added = actionData && "added" in actionData ? actionData.added : null;
  const contractUrl = `/app/creators/${creator.id}/contract`;

  return (
    <Page title="Deliverables" subtitle={creator.name} backAction={{ content: "Contract", url: contractUrl }}>
      <BlockStack gap="400">
        {added ? <Banner tone="success" title={`Added “${added.title}”`} /> : null}
        {fieldErrors ? (
          <Banner tone="critical" title="The deliverable was not added">
            <p>Check the fields marked below.</p>
          </Banner>
        ) : null}
        {currentFees ? (
          <Text as="p" tone="subdued">
            Under the current contract:{" "}
            {Object.entries(currentFees)
              .map(([kind, fee]) => `${fee} per ${kind.toLowerCase()}`)
              .join(", ")}
            . Fees are paid in the month the content was delivered.
          </Text>
        ) : (
          <Banner tone="info" title="This contract pays no flat fees">
            <p>
              Deliverables you record here are kept, but earn nothing until the creator&apos;s{" "}
              <Link url={contractUrl}>contract</Link> has a flat fee per deliverable.
            </p>
          </Banner>
        )}

        {/* A new form after each addition, so the fields start empty again. */}
        <DeliverableForm key={added?.id ?? "new"} today={today} fieldErrors={fieldErrors} />

        <Card padding={deliverables.length === 0 ? undefined : "0"}>
          {deliverables.length === 0 ? (
            <EmptyState heading="No deliverables yet" image={EMPTY_STATE_IMAGE}>
              <p>Record each post, video, story, reel or livestream {creator.name} delivers.</p>
            </EmptyState>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={["Delivered", "Kind", "Title"]}
              rows={deliverables.map((deliverable) => [
                deliverable.deliveredOn,
                KIND_LABELS[deliverable.kind],
                deliverable.url ? (
                  <Link url={deliverable.url} target="_blank">
                    {deliverable.title}
                  </Link>
                ) : (
                  deliverable.title
                ),
              ])}
            />
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}

function DeliverableForm({ today, fieldErrors = {} }: { today: string; fieldErrors?: DeliverableFieldErrors }) {
  const [values, setValues] = useState({ kind: "POST", title: "", url: "", deliveredOn: today });
  const navigation = useNavigation();
  const saving = navigation.state === "submitting";
  const set = (field: keyof typeof values) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));

  return (
    // noValidate: the server's messages are the ones merchants see, inline, not the browser's bubbles.
    <Form method="post" noValidate>
      <Card>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Add a deliverable
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <Select
                label="Kind"
                name="kind"
                options={KIND_OPTIONS}
                value={values.kind}
                onChange={set("kind")}
                error={fieldErrors.kind}
              />
              <TextField
                label="Delivered on"
                name="deliveredOn"
                type="date"
                max={today}
                value={values.deliveredOn}
                onChange={set("deliveredOn")}
                error={fieldErrors.deliveredOn}
                autoComplete="off"
                requiredIndicator
              />
            </FormLayout.Group>
            <TextField
              label="Title"
              name="title"
              value={values.title}
              onChange={set("title")}
              error={fieldErrors.title}
              autoComplete="off"
              requiredIndicator
            />
            <TextField
              label="URL"
              name="url"
              type="url"
              value={values.url}
              onChange={set("url")}
              error={fieldErrors.url}
              helpText="Optional. Where the content can be seen."
              autoComplete="off"
            />
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={saving}>
              Add deliverable
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Form>
  );
}

export { CreatorErrorBoundary as ErrorBoundary } from "~/components/CreatorErrorBoundary";
