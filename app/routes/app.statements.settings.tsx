import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useSubmitting } from "~/components/use-submitting";
import { payoutCurrencyOptions } from "~/models/ledger.server";
import {
  addExchangeRate,
  getStatementSettings,
  listExchangeRates,
  listExcludedCreators,
  payoutCurrenciesNeedingRates,
  updateStatementSettings,
  type ExchangeRateFieldErrors,
  type StatementSettingsFieldErrors,
} from "~/models/statements.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

const CADENCE_OPTIONS = [
  { value: "MONTHLY", label: "Monthly (calendar months)" },
  { value: "BIWEEKLY", label: "Every two weeks (from Monday)" },
  { value: "WEEKLY", label: "Weekly (Monday to Sunday)" },
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const [settings, rates, needed, excluded] = await Promise.all([
    getStatementSettings(shop.id),
    listExchangeRates(shop.id),
    payoutCurrenciesNeedingRates(shop.id, shop.currencyCode),
    listExcludedCreators(shop.id),
  ]);
  return {
    shopName: shop.name,
    shopCurrency: shop.currencyCode,
    timezone: shop.timezone,
    settings: {
      cadence: settings.cadence,
      autoSend: settings.autoSend,
      fromName: settings.fromName ?? "",
      replyTo: settings.replyTo ?? "",
      logoUrl: settings.logoUrl ?? "",
    },
    rates: rates.map((rate) => ({ ...rate, enteredOn: format(new TZDate(rate.enteredAt.getTime(), shop.timezone), "MMM d, yyyy") })),
    missingRates: needed.filter((code) => !rates.some((rate) => rate.currencyCode === code)),
    currencies: payoutCurrencyOptions().filter((code) => code !== shop.currencyCode),
    excluded,
  };
};

type ActionData =
  | { intent: "settings"; saved: true }
  | { intent: "settings"; fieldErrors: StatementSettingsFieldErrors }
  | { intent: "rate"; added: { currencyCode: string; rate: string } }
  | { intent: "rate"; fieldErrors: ExchangeRateFieldErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const raw = Object.fromEntries(await readAdminForm(request));
  if (raw.intent === "settings") {
    const result = await updateStatementSettings(shop.id, raw);
    return result.ok ? data<ActionData>({ intent: "settings", saved: true }) : data<ActionData>({ intent: "settings", fieldErrors: result.fieldErrors }, { status: 400 });
  }
  if (raw.intent === "rate") {
    const result = await addExchangeRate(shop.id, shop.currencyCode, raw);
    return result.ok
      ? data<ActionData>({ intent: "rate", added: { currencyCode: result.currencyCode, rate: result.rate } })
      : data<ActionData>({ intent: "rate", fieldErrors: result.fieldErrors }, { status: 400 });
  }
  return new Response("Unknown form", { status: 400 });
};

export default function StatementSettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const settingsResult = actionData?.intent === "settings" ? actionData : undefined;
  const rateResult = actionData?.intent === "rate" ? actionData : undefined;
  const [values, setValues] = useState(loaded.settings);
  const [rate, setRate] = useState({ currencyCode: loaded.missingRates[0] ?? loaded.currencies[0] ?? "", rate: "" });
  const savingSettings = useSubmitting("settings");
  const addingRate = useSubmitting("rate");
  const settingsErrors = settingsResult && "fieldErrors" in settingsResult ? settingsResult.fieldErrors : {};
  const rateErrors = rateResult && "fieldErrors" in rateResult ? rateResult.fieldErrors : {};

  return (
    <Page title="Statement settings" backAction={{ content: "Statements", url: "/app/statements" }} narrowWidth>
      <BlockStack gap="400">
        {settingsResult && "saved" in settingsResult ? <Banner tone="success" title="Statement settings saved" /> : null}
        {rateResult && "added" in rateResult ? (
          <Banner tone="success" title={`Exchange rate saved: 1 ${loaded.shopCurrency} = ${rateResult.added.rate} ${rateResult.added.currencyCode}`}>
            <p>Statements generated from now on use it; statements already sent keep their rate.</p>
          </Banner>
        ) : null}

        <Card>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="settings" />
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                Sending
              </Text>
              <FormLayout>
                <Select
                  label="Statement period"
                  name="cadence"
                  options={CADENCE_OPTIONS}
                  value={values.cadence}
                  onChange={(cadence) => setValues((current) => ({ ...current, cadence: cadence as typeof current.cadence }))}
                  error={settingsErrors.cadence}
                  helpText={`In ${loaded.timezone}. A change applies to periods that end from now on.`}
                />
                <Checkbox
                  label="Send statements automatically after each period"
                  name="autoSend"
                  checked={values.autoSend}
                  onChange={(autoSend) => setValues((current) => ({ ...current, autoSend }))}
                  helpText="At 06:00 on the day after a period ends, every creator with activity or a balance gets their statement."
                />
                <TextField
                  label="Sender name"
                  name="fromName"
                  value={values.fromName}
                  onChange={(fromName) => setValues((current) => ({ ...current, fromName }))}
                  error={settingsErrors.fromName}
                  placeholder={loaded.shopName}
                  helpText="What creators see as the sender. Empty: the shop's name."
                  autoComplete="off"
                />
                <TextField
                  label="Reply-to email"
                  name="replyTo"
                  type="email"
                  value={values.replyTo}
                  onChange={(replyTo) => setValues((current) => ({ ...current, replyTo }))}
                  error={settingsErrors.replyTo}
                  helpText="Where creators' replies to a statement go. Optional."
                  autoComplete="off"
                />
                <TextField
                  label="Logo image address"
                  name="logoUrl"
                  type="url"
                  value={values.logoUrl}
                  onChange={(logoUrl) => setValues((current) => ({ ...current, logoUrl }))}
                  error={settingsErrors.logoUrl}
                  helpText="Shown above your shop's name in statement emails: an https link to an image, for example one uploaded to Content › Files in Shopify. Optional."
                  autoComplete="off"
                />
              </FormLayout>
              <InlineStack align="end">
                <Button submit variant="primary" loading={savingSettings}>
                  Save
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Card>

        <Card>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="rate" />
            <BlockStack gap="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Exchange rates
                </Text>
                <Text as="p" tone="subdued">
                  {`Creators paid in another currency get statements in it, at the latest rate you entered, locked on each statement when it is generated. Without a rate, their statement waits.`}
                </Text>
              </BlockStack>
              {loaded.missingRates.length > 0 ? (
                <Banner tone="warning" title={`No rate for ${loaded.missingRates.join(", ")}`}>
                  <p>Creators paid in {loaded.missingRates.length === 1 ? "this currency" : "these currencies"} get no statement until you enter a rate.</p>
                </Banner>
              ) : null}
              {loaded.rates.length > 0 ? (
                <List>
                  {loaded.rates.map((entry) => (
                    <List.Item key={entry.currencyCode}>{`1 ${loaded.shopCurrency} = ${entry.rate} ${entry.currencyCode} (entered ${entry.enteredOn})`}</List.Item>
                  ))}
                </List>
              ) : null}
              <FormLayout>
                <FormLayout.Group>
                  <Select
                    label="Currency"
                    name="currencyCode"
                    options={loaded.currencies}
                    value={rate.currencyCode}
                    onChange={(currencyCode) => setRate((current) => ({ ...current, currencyCode }))}
                    error={rateErrors.currencyCode}
                  />
                  <TextField
                    label={`Rate (1 ${loaded.shopCurrency} in ${rate.currencyCode || "…"})`}
                    name="rate"
                    inputMode="decimal"
                    value={rate.rate}
                    onChange={(value) => setRate((current) => ({ ...current, rate: value }))}
                    error={rateErrors.rate}
                    autoComplete="off"
                  />
                </FormLayout.Group>
              </FormLayout>
              <InlineStack align="end">
                <Button submit loading={addingRate}>
                  Save rate
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Card>

        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Excluded creators
            </Text>
            {loaded.excluded.length === 0 ? (
              <Text as="p" tone="subdued">
                None. Exclude a creator from the Statements page; a creator who asked not to receive statements is marked on their own page.
              </Text>
            ) : (
              <List>
                {loaded.excluded.map((creator) => (
                  <List.Item key={creator.id}>{creator.name}</List.Item>
                ))}
              </List>
            )}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
