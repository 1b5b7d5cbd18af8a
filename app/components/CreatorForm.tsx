import { useState } from "react";
import { Form, useNavigation, useParams } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Link, Select, Text, TextField } from "@shopify/polaris";
import { FUNNEL_STAGE_LABELS, PLATFORM_LABELS } from "~/domain/metrics/segment-labels";

export interface CreatorFormValues {
  name: string;
  email: string;
  handle: string;
  /** One site or profile per line. */
  referrerDomains: string;
  /** The creator's customer ID in the shop (the number, or its gid); empty when unknown. */
  customerGid: string;
  discountCode: string;
  /** The creator asked not to receive statements by email. */
  statementsOptOut?: boolean;
  /** Only asked when adding a creator: it becomes their first contract. Ignored when editing. */
  revenueSharePercent?: string;
  /** Segment tags (CreatorPlatform, FunnelStage, free text); "" when not set. */
  platform: string;
  funnelStage: string;
  niche: string;
}

/** Messages per form field, as the creator model's `fieldErrors` returns them. */
export type CreatorFormErrors = Partial<Record<keyof CreatorFormValues, string>>;

export const EMPTY_CREATOR_FORM: CreatorFormValues = {
  name: "",
  email: "",
  handle: "",
  referrerDomains: "",
  customerGid: "",
  discountCode: "",
  statementsOptOut: false,
  revenueSharePercent: "",
  platform: "",
  funnelStage: "",
  niche: "",
};

const NOT_SET = { label: "Not set", value: "" };
const PLATFORM_OPTIONS = [NOT_SET, ...Object.entries(PLATFORM_LABELS).map(([value, label]) => ({ label, value }))];
const FUNNEL_STAGE_OPTIONS = [NOT_SET, ...Object.entries(FUNNEL_STAGE_LABELS).map(([value, label]) => ({ label, value }))];

// The handle the add form proposes for a name, as the CSV import does for a blank handle.
export { suggestHandle } from "~/domain/creators/suggest-handle";
import { suggestHandle } from "~/domain/creators/suggest-handle";

interface CreatorFormProps {
  defaultValues: CreatorFormValues;
  fieldErrors?: CreatorFormErrors;
  /** "create" asks for the revenue share of the creator's first contract; "edit" does not (the contract page does). */
  mode: "create" | "edit";
}

/**
 * The add and edit forms of a creator. Posts `name`, `email`, `handle`, `referrerDomains`, `customerGid`,
 * `discountCode`, the segment tags `platform`, `funnelStage`, `niche` (and, when adding, `revenueSharePercent`) to
 * the current route's action, which validates them and
 * answers 400 with `fieldErrors` shown next to each field. When adding, the handle follows the name until the merchant
 * edits it.
 */
export function CreatorForm({ defaultValues, fieldErrors = {}, mode }: CreatorFormProps) {
  const { creatorId } = useParams();
  const editing = mode === "edit";
  const [values, setValues] = useState(defaultValues);
  // Editing keeps the saved handle; adding suggests one from the name until the merchant types their own.
  const [handleEdited, setHandleEdited] = useState(editing || defaultValues.handle !== "");
  const navigation = useNavigation();
  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";
  const set = (field: keyof CreatorFormValues) => (value: string) => setValues((current) => ({ ...current, [field]: value }));
  const setName = (name: string) =>
    setValues((current) => ({ ...current, name, handle: handleEdited ? current.handle : suggestHandle(name) }));
  const setHandle = (handle: string) => {
    if (editing) return setValues((current) => ({ ...current, handle }));
    // When adding, clearing the field hands it back to the suggestion.
    setHandleEdited(handle !== "");
    setValues((current) => ({ ...current, handle: handle === "" ? suggestHandle(current.name) : handle }));
  };

  return (
    // noValidate: the server's messages are the ones merchants see, inline, not the browser's bubbles.
    <Form method="post" noValidate>
      <BlockStack gap="400">
        <Card>
          <FormLayout>
            <TextField
              label="Name"
              name="name"
              value={values.name}
              onChange={setName}
              error={fieldErrors.name}
              autoComplete="off"
              requiredIndicator
            />
            <TextField
              label="Handle"
              name="handle"
              value={values.handle}
              onChange={setHandle}
              error={fieldErrors.handle}
              helpText={
                <>
                  Names the creator in their links: shoppers arrive with <Text as="span" fontWeight="medium">ref={values.handle || "handle"}</Text>,
                  and it is the links&apos; campaign in Shopify&apos;s reports unless you choose another. Lower-case letters, digits
                  and hyphens.
                </>
              }
              autoComplete="off"
              requiredIndicator
            />
            <TextField
              label="Email"
              name="email"
              type="email"
              value={values.email}
              onChange={set("email")}
              error={fieldErrors.email}
              helpText="Where statements are sent. Optional."
              autoComplete="off"
            />
            <Checkbox
              label="Does not want statements"
              name="statementsOptOut"
              checked={values.statementsOptOut ?? false}
              onChange={(statementsOptOut) => setValues((current) => ({ ...current, statementsOptOut }))}
              helpText="Tick when the creator asked not to receive statement emails."
            />
            {editing ? (
              <TextField
                label="Discount code"
                name="discountCode"
                value={values.discountCode}
                onChange={set("discountCode")}
                error={fieldErrors.discountCode}
                helpText="Orders using this code are credited to the creator."
                autoComplete="off"
                requiredIndicator
              />
            ) : (
              <FormLayout.Group>
                <TextField
                  label="Discount code"
                  name="discountCode"
                  value={values.discountCode}
                  onChange={set("discountCode")}
                  error={fieldErrors.discountCode}
                  helpText="Orders using this code are credited to the creator."
                  autoComplete="off"
                  requiredIndicator
                />
                <TextField
                  label="Revenue share (%)"
                  name="revenueSharePercent"
                  type="text"
                  inputMode="decimal"
                  value={values.revenueSharePercent ?? ""}
                  onChange={set("revenueSharePercent")}
                  error={fieldErrors.revenueSharePercent}
                  helpText="Of net merchandise revenue, e.g. 10 or 12.5. Other ways to pay are set on the creator's contract."
                  suffix="%"
                  autoComplete="off"
                  requiredIndicator
                />
              </FormLayout.Group>
            )}
            <TextField
              label="Sites and profiles"
              name="referrerDomains"
              value={values.referrerDomains}
              onChange={set("referrerDomains")}
              error={fieldErrors.referrerDomains}
              multiline={3}
              placeholder={"instagram.com/maya\nmayafit.com"}
              helpText="Where the creator posts, one per line (up to 20). Shoppers who come from these are credited to the creator, and their code used anywhere else is flagged for you to review. Optional."
              autoComplete="off"
            />
            <TextField
              label="Customer account"
              name="customerGid"
              value={values.customerGid}
              onChange={set("customerGid")}
              error={fieldErrors.customerGid}
              placeholder="7421983321"
              helpText="If the creator shops with you: their customer ID, the number at the end of their customer page's address in Shopify. Orders they place themselves are flagged for you to review. Optional."
              autoComplete="off"
            />
          </FormLayout>
        </Card>
        <Card>
          <BlockStack gap="300">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                Segments
              </Text>
              <Text as="p" tone="subdued">
                Tags to filter and compare creators by on the leaderboard and dashboard. Optional.
              </Text>
            </BlockStack>
            <FormLayout>
              <FormLayout.Group>
                <Select
                  label="Platform"
                  name="platform"
                  options={PLATFORM_OPTIONS}
                  value={values.platform}
                  onChange={set("platform")}
                  error={fieldErrors.platform}
                  helpText="Where the creator mostly publishes."
                />
                <Select
                  label="Funnel stage"
                  name="funnelStage"
                  options={FUNNEL_STAGE_OPTIONS}
                  value={values.funnelStage}
                  onChange={set("funnelStage")}
                  error={fieldErrors.funnelStage}
                  helpText="The part of the funnel you book them for."
                />
              </FormLayout.Group>
              <TextField
                label="Niche"
                name="niche"
                value={values.niche}
                onChange={set("niche")}
                error={fieldErrors.niche}
                placeholder="running"
                helpText="A word or two on their audience, like running or vegan baking (up to 60 characters)."
                maxLength={60}
                autoComplete="off"
              />
            </FormLayout>
          </BlockStack>
        </Card>
        {editing && creatorId ? (
          <Card>
            <Text as="p" tone="subdued">
              How this creator is paid is set on their{" "}
              <Link url={`/app/creators/${creatorId}/contract`}>contract</Link>.
            </Text>
          </Card>
        ) : null}
        <InlineStack align="end">
          <Button submit variant="primary" loading={saving}>
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
