import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  Divider,
  FormLayout,
  InlineError,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { SettingsSaveBanners } from "~/components/SettingsSaveBanners";
import { signalLabel } from "~/components/attribution-labels";
import { LIMITS, type AttributionRulesFieldErrors, type AttributionRulesFormField } from "~/domain/attribution/rules";
import { SIGNAL_KINDS, type SignalKind } from "~/domain/attribution/types";
import { getAttributionRules, saveAttributionRules } from "~/models/attribution-rules.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const { formValues } = await getAttributionRules(shop.id);
  return { formValues };
};

type ActionData = { saved: true } | { saved: false; fieldErrors: AttributionRulesFieldErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const result = await saveAttributionRules(shop.id, Object.fromEntries(await readAdminForm(request)));
  if (!result.ok) return data<ActionData>({ saved: false, fieldErrors: result.fieldErrors }, { status: 400 });
  return data<ActionData>({ saved: true });
};

/** What each signal is, in the merchant's words. */
const SIGNAL_HELP: Record<SignalKind, string> = {
  discount_code: "The shopper used a creator's discount code at checkout.",
  tracking_link: "The shopper arrived through a creator's tracking link (a click the app recorded).",
  ref_param: "The page the shopper landed on carries ref=<creator handle>.",
  utm: "The landing page's utm_source, utm_campaign or utm_content is a creator's handle.",
  cart_attribute: "The cart carries a creator's handle, set by your theme or a referral app.",
  customer_journey: "Shopify's record of the shopper's first or last visit points at a creator.",
  referring_site: "The shopper came from a site or profile the creator posts on.",
  survey: "After buying, the shopper named the creator in “How did you hear about us?”.",
};

interface PrecedenceItem {
  kind: SignalKind;
  included: boolean;
}

/** Every kind in the list: the credited ones in their order, then the others (so they can be switched back on). */
function precedenceItems(serialized: string): PrecedenceItem[] {
  const included = serialized
    .split(",")
    .map((kind) => kind.trim())
    .filter((kind): kind is SignalKind => (SIGNAL_KINDS as readonly string[]).includes(kind));
  return [
    ...included.map((kind) => ({ kind, included: true })),
    ...SIGNAL_KINDS.filter((kind) => !included.includes(kind)).map((kind) => ({ kind, included: false })),
  ];
}

export default function AttributionRulesPage() {
  const { formValues } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const fieldErrors: AttributionRulesFieldErrors = result && !result.saved ? result.fieldErrors : {};

  useEffect(() => {
    if (result?.saved) window.shopify?.toast?.show("Attribution rules saved");
  }, [result]);

  return (
    <Page title="Attribution" subtitle="How the app decides which creator an order credits">
      <BlockStack gap="400">
        <SettingsSaveBanners
          saved={result?.saved ?? false}
          savedTitle="Attribution rules saved"
          fieldErrors={fieldErrors}
        >
          <p>They apply to orders attributed from now on. Orders already credited keep their creator.</p>
        </SettingsSaveBanners>
        <Banner tone="info">
          <p>
            Rules apply to orders attributed from the moment you save: new orders, and orders the app looks at again (an
            edit, a refund, a late survey answer or customer journey, your review). Orders already credited keep their
            creator until then. Your overrides always win.
          </p>
        </Banner>
        {/* Saved rules come back from the loader (codes normalized, duplicates dropped): the form starts again from
            them. A refused form is not reloaded, so what the merchant typed stays for them to fix. */}
        <RulesForm key={JSON.stringify(formValues)} formValues={formValues} fieldErrors={fieldErrors} />
      </BlockStack>
    </Page>
  );
}

function RulesForm({
  formValues,
  fieldErrors,
}: {
  formValues: Record<AttributionRulesFormField, string>;
  fieldErrors: AttributionRulesFieldErrors;
}) {
  const saving = useNavigation().state === "submitting";
  const [values, setValues] = useState(formValues);
  const [precedence, setPrecedence] = useState(() => precedenceItems(formValues.precedence));
  const set = (field: keyof typeof values) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));
  const setFlag = (field: keyof typeof values) => (checked: boolean) =>
    setValues((current) => ({ ...current, [field]: checked ? "true" : "" }));
  const numberField = (field: "windowDays" | "customerLockDays" | "surveyConfidence" | "burstMinOrders") => ({
    name: field,
    type: "number" as const,
    min: LIMITS[field].min,
    max: LIMITS[field].max,
    value: values[field],
    onChange: set(field),
    autoComplete: "off",
  });

  const move = (index: number, by: -1 | 1) =>
    setPrecedence((items) => {
      const next = [...items];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item!);
      return next;
    });
  const toggle = (index: number, included: boolean) =>
    setPrecedence((items) => items.map((item, i) => (i === index ? { ...item, included } : item)));
  const serializedPrecedence = precedence
    .filter((item) => item.included)
    .map((item) => item.kind)
    .join(",");

  return (
    <Form method="post" noValidate>
      <input type="hidden" name="precedence" value={serializedPrecedence} />
      <input type="hidden" name="newCustomersOnly" value={values.newCustomersOnly} />
      <input type="hidden" name="customerLockEnabled" value={values.customerLockEnabled} />
      <input type="hidden" name="touchModel" value={values.touchModel} />
      <BlockStack gap="400">
        <Layout>
          <Layout.AnnotatedSection
            title="Signals, in order"
            description="An order can point at creators in several ways. The first signal in this list that points at a creator decides; the others are kept as evidence. Untick a signal to show it as evidence without ever crediting from it."
          >
            <Card>
              <BlockStack gap="300">
                {precedence.map((item, index) => (
                  <BlockStack gap="300" key={item.kind}>
                    {index > 0 ? <Divider /> : null}
                    <InlineStack align="space-between" blockAlign="start" wrap={false} gap="300">
                      <InlineStack gap="300" blockAlign="start" wrap={false}>
                        <Box minWidth="1.5rem">
                          <Text as="span" tone="subdued" numeric>
                            {item.included
                              ? `${precedence.slice(0, index + 1).filter((i) => i.included).length}.`
                              : "–"}
                          </Text>
                        </Box>
                        <Checkbox
                          label={signalLabel(item.kind)}
                          checked={item.included}
                          onChange={(checked) => toggle(index, checked)}
                          helpText={SIGNAL_HELP[item.kind]}
                        />
                      </InlineStack>
                      <InlineStack gap="100" wrap={false}>
                        <Button
                          size="slim"
                          accessibilityLabel={`Move ${signalLabel(item.kind).toLowerCase()} up`}
                          disabled={index === 0}
                          onClick={() => move(index, -1)}
                        >
                          ↑
                        </Button>
                        <Button
                          size="slim"
                          accessibilityLabel={`Move ${signalLabel(item.kind).toLowerCase()} down`}
                          disabled={index === precedence.length - 1}
                          onClick={() => move(index, 1)}
                        >
                          ↓
                        </Button>
                      </InlineStack>
                    </InlineStack>
                  </BlockStack>
                ))}
                {fieldErrors.precedence ? <InlineError message={fieldErrors.precedence} fieldID="precedence" /> : null}
                {serializedPrecedence === "" && !fieldErrors.precedence ? (
                  <Text as="p" tone="caution">
                    With every signal unticked, no order credits a creator (except by the customer lock or your
                    overrides).
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            title="Time and touches"
            description="Links, visits and journeys have a time; discount codes and survey answers belong to the order itself."
          >
            <Card>
              <FormLayout>
                <TextField
                  label="Attribution window (days)"
                  {...numberField("windowDays")}
                  error={fieldErrors.windowDays}
                  helpText="A click or visit longer ago than this before the order no longer credits a creator. 1 to 365 days."
                />
                <ChoiceList
                  title="When several creators' links or visits are on one order"
                  choices={[
                    {
                      value: "LAST",
                      label: "Last touch",
                      helpText: "The creator the shopper came from most recently is credited.",
                    },
                    {
                      value: "FIRST",
                      label: "First touch",
                      helpText: "The creator who first brought the shopper is credited.",
                    },
                  ]}
                  selected={[values.touchModel]}
                  onChange={([value]) => set("touchModel")(value ?? "LAST")}
                  error={fieldErrors.touchModel}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            title="Customers"
            description="Whether creators are paid for bringing new customers only, and whether a customer stays with the creator who brought them."
          >
            <Card>
              <FormLayout>
                <Checkbox
                  label="Credit new customers only"
                  checked={values.newCustomersOnly === "true"}
                  onChange={setFlag("newCustomersOnly")}
                  error={fieldErrors.newCustomersOnly}
                  helpText="Orders from returning customers credit nobody (unless the customer lock keeps them with their creator). Guest checkouts count as new."
                />
                <Checkbox
                  label="Customer lock"
                  checked={values.customerLockEnabled === "true"}
                  onChange={setFlag("customerLockEnabled")}
                  helpText="A customer stays with the creator who brought them: their later orders credit that creator, whatever code or link they use."
                />
                <TextField
                  label="Lock lasts (days)"
                  {...numberField("customerLockDays")}
                  error={fieldErrors.customerLock}
                  helpText="Counted from the customer's first credited order; applies while the lock is on. Leave empty to keep customers with their creator for life."
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            title="Codes and survey"
            description="Promotions that are not a creator's, and how much a survey answer alone is worth."
          >
            <Card>
              <FormLayout>
                <TextField
                  label="Excluded codes"
                  name="excludedCodes"
                  value={values.excludedCodes}
                  onChange={set("excludedCodes")}
                  error={fieldErrors.excludedCodes}
                  multiline={4}
                  helpText="Codes that never credit a creator, like a site-wide WELCOME10. One per line; any spelling matches."
                  autoComplete="off"
                />
                <TextField
                  label="Survey answer confidence (%)"
                  {...numberField("surveyConfidence")}
                  error={fieldErrors.surveyConfidence}
                  helpText="How sure you are of an order credited by the survey answer alone, 0 to 100. Shoppers remember loosely, so it is lower than a code's."
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection
            title="Code bursts"
            description="A creator's code that suddenly appears on many orders may have leaked to a coupon site. Those orders are flagged, and their commission waits for your review."
          >
            <Card>
              <FormLayout>
                <FormLayout.Group>
                  <TextField
                    label="At least (orders in an hour)"
                    {...numberField("burstMinOrders")}
                    error={fieldErrors.burstMinOrders}
                    helpText="Fewer orders than this in an hour never count as a burst."
                  />
                  <TextField
                    label="And (× the usual hourly rate)"
                    name="burstMultiplier"
                    type="text"
                    inputMode="decimal"
                    value={values.burstMultiplier}
                    onChange={set("burstMultiplier")}
                    error={fieldErrors.burstMultiplier}
                    helpText="Compared with the code's average hour over the last 7 days, like 5 or 2.5."
                    autoComplete="off"
                  />
                </FormLayout.Group>
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
        </Layout>

        <InlineStack align="end">
          <Button submit variant="primary" loading={saving}>
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
