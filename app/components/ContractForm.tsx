import { useRef, useState, type FormEvent } from "react";
import { Form, useNavigation, useSubmit } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  Divider,
  FormLayout,
  InlineError,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import type { CompensationModel, DeliverableKind } from "~/domain/commissions/contract-terms";
import { MAX_RATE_OVERRIDES } from "~/domain/commissions/rate-overrides";
import type { ContractFieldErrors, ContractFormValues, RateOverrideFormValues } from "~/models/contract.server";
import { CatalogPicker } from "./CatalogPicker";

export const COMPENSATION_MODEL_LABELS: Record<CompensationModel, string> = {
  FLAT_FEE: "Flat fee per deliverable",
  RETAINER: "Monthly retainer",
  CPA: "CPA",
  REVENUE_SHARE: "Revenue share",
  TIERED: "Tiered revenue share",
  HYBRID: "Hybrid (base fee + revenue share)",
  RETAINER_BONUS: "Retainer + performance bonus",
};

const MODEL_OPTIONS = (Object.entries(COMPENSATION_MODEL_LABELS) as [CompensationModel, string][]).map(([value, label]) => ({
  value,
  label,
}));

const FEE_LABELS: Record<DeliverableKind, string> = {
  POST: "Fee per post",
  VIDEO: "Fee per video",
  STORY: "Fee per story",
  REEL: "Fee per reel",
  LIVESTREAM: "Fee per livestream",
};

// Which options each model offers; the server (app/models/contract.server.ts) reads the same ones.
const USES_REVENUE: CompensationModel[] = ["REVENUE_SHARE", "TIERED", "HYBRID", "RETAINER_BONUS"];
const HAS_PERFORMANCE_PAY: CompensationModel[] = ["CPA", "REVENUE_SHARE", "TIERED", "HYBRID", "RETAINER_BONUS"];
const WITH_RATE_OVERRIDES: CompensationModel[] = ["REVENUE_SHARE", "HYBRID"];
const MAX_TIERS = 10;

export type ContractIntent = "preview" | "save";

interface ContractFormProps {
  defaultValues: ContractFormValues;
  currencyCode: string;
  /** Today in the shop's timezone (YYYY-MM-DD): the earliest effective date. */
  today: string;
  fieldErrors?: ContractFieldErrors;
}

/**
 * A contract's terms, for the model the merchant picks. "Preview" posts `intent=preview` (nothing is saved), "Save"
 * posts `intent=save`; pressing Enter previews. Fields are posted under the names app/models/contract.server.ts
 * reads, whatever model is shown (the server ignores the other models' fields), so switching models keeps what
 * was typed.
 */
export function ContractForm({ defaultValues, currencyCode, today, fieldErrors = {} }: ContractFormProps) {
  const [values, setValues] = useState(defaultValues);
  const submit = useSubmit();
  const navigation = useNavigation();
  const pendingIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;

  const set = <K extends keyof ContractFormValues>(field: K) => (value: ContractFormValues[K]) =>
    setValues((current) => ({ ...current, [field]: value }));
  const setFee = (kind: DeliverableKind) => (value: string) =>
    setValues((current) => ({ ...current, fees: { ...current.fees, [kind]: value } }));
  const setTier = (index: number, field: "from" | "percent") => (value: string) =>
    setValues((current) => ({
      ...current,
      tiers: current.tiers.map((tier, i) => (i === index ? { ...tier, [field]: value } : tier)),
    }));
  const addTier = () => setValues((current) => ({ ...current, tiers: [...current.tiers, { from: "", percent: "" }] }));
  const removeTier = (index: number) =>
    setValues((current) => ({ ...current, tiers: current.tiers.filter((_, i) => i !== index) }));

  // Rows keep their identity when one above is removed (each picker holds what was typed into it).
  const nextRowId = useRef(defaultValues.overrides.length);
  const [overrideRowIds, setOverrideRowIds] = useState(() => defaultValues.overrides.map((_, i) => i));
  const setOverride = (index: number, change: Partial<RateOverrideFormValues>) =>
    setValues((current) => ({
      ...current,
      overrides: current.overrides.map((override, i) => (i === index ? { ...override, ...change } : override)),
    }));
  const addOverride = () => {
    setOverrideRowIds((ids) => [...ids, nextRowId.current++]);
    setValues((current) => ({
      ...current,
      overrides: [...current.overrides, { type: "COLLECTION", gid: "", title: "", percent: "" }],
    }));
  };
  const removeOverride = (index: number) => {
    setOverrideRowIds((ids) => ids.filter((_, i) => i !== index));
    setValues((current) => ({ ...current, overrides: current.overrides.filter((_, i) => i !== index) }));
  };

  const send = (intent: ContractIntent) => submit(toFormData(values, intent), { method: "post" });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send("preview");
  };

  const model = values.model;
  const money = { suffix: currencyCode, inputMode: "decimal" as const, autoComplete: "off", type: "text" as const };
  const percent = { suffix: "%", inputMode: "decimal" as const, autoComplete: "off", type: "text" as const };
  const revenueShareField = (
    <TextField
      label="Revenue share (%)"
      value={values.percent}
      onChange={set("percent")}
      error={fieldErrors.percent}
      helpText="Of each attributed order's revenue, e.g. 10 or 12.5."
      {...percent}
    />
  );
  const retainerField = (
    <TextField
      label="Monthly retainer"
      value={values.monthlyAmount}
      onChange={set("monthlyAmount")}
      error={fieldErrors.monthlyAmount}
      helpText="Paid for every month the contract is in force."
      {...money}
    />
  );

  return (
    // noValidate: the server's messages are the ones merchants see, inline, not the browser's bubbles.
    <Form method="post" noValidate onSubmit={onSubmit}>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="400">
            <Text as="h2" variant="headingMd">
              New terms
            </Text>
            <FormLayout>
              <Select
                label="Compensation model"
                options={MODEL_OPTIONS}
                value={model}
                onChange={(value) => set("model")(value as CompensationModel)}
                error={fieldErrors.model}
              />

              {model === "FLAT_FEE" ? (
                <BlockStack gap="200">
                  <FormLayout>
                    {(Object.keys(FEE_LABELS) as DeliverableKind[]).map((kind) => (
                      <TextField
                        key={kind}
                        label={FEE_LABELS[kind]}
                        value={values.fees[kind]}
                        onChange={setFee(kind)}
                        error={fieldErrors[`fee.${kind}`]}
                        {...money}
                      />
                    ))}
                  </FormLayout>
                  {fieldErrors.fees ? <InlineError message={fieldErrors.fees} fieldID="fee.POST" /> : null}
                  <Text as="p" tone="subdued">
                    Leave a kind blank if it is not paid. Fees are paid for each deliverable you record.
                  </Text>
                </BlockStack>
              ) : null}

              {model === "RETAINER" ? retainerField : null}

              {model === "CPA" ? (
                <BlockStack gap="400">
                  <TextField
                    label="CPA amount"
                    value={values.cpaAmount}
                    onChange={set("cpaAmount")}
                    error={fieldErrors.cpaAmount}
                    helpText="Paid for each attributed order."
                    {...money}
                  />
                  <Checkbox
                    label="New customers only"
                    checked={values.newCustomersOnly}
                    onChange={set("newCustomersOnly")}
                    helpText="Only orders from customers buying for the first time earn the CPA."
                  />
                </BlockStack>
              ) : null}

              {model === "REVENUE_SHARE" ? revenueShareField : null}

              {model === "TIERED" ? (
                <BlockStack gap="300">
                  <FormLayout.Group>
                    <Select
                      label="Tiers by"
                      options={[
                        { label: "Monthly revenue", value: "REVENUE" },
                        { label: "Monthly conversions", value: "CONVERSIONS" },
                      ]}
                      value={values.tierMetric}
                      onChange={(value) => set("tierMetric")(value as ContractFormValues["tierMetric"])}
                      error={fieldErrors.tierMetric}
                    />
                    <Select
                      label="Tier rates"
                      options={[
                        { label: "Marginal: each slice at its tier's rate", value: "MARGINAL" },
                        { label: "Retroactive: all revenue at the highest tier reached", value: "RETROACTIVE" },
                      ]}
                      value={values.tierMode}
                      onChange={(value) => set("tierMode")(value as ContractFormValues["tierMode"])}
                      error={fieldErrors.tierMode}
                    />
                  </FormLayout.Group>
                  {values.tiers.map((tier, index) => (
                    <InlineStack key={index} gap="300" blockAlign="start" wrap={false}>
                      <Box width="45%">
                        <TextField
                          label="From"
                          value={index === 0 ? "0" : tier.from}
                          onChange={setTier(index, "from")}
                          disabled={index === 0}
                          error={fieldErrors[`tiers.${index}.from`]}
                          helpText={index === 0 ? "The first tier starts at zero." : undefined}
                          {...(values.tierMetric === "REVENUE"
                            ? money
                            : { suffix: "orders", inputMode: "numeric" as const, autoComplete: "off", type: "text" as const })}
                        />
                      </Box>
                      <Box width="35%">
                        <TextField
                          label="Rate (%)"
                          value={tier.percent}
                          onChange={setTier(index, "percent")}
                          error={fieldErrors[`tiers.${index}.percent`]}
                          {...percent}
                        />
                      </Box>
                      {index > 0 ? (
                        <Box paddingBlockStart="600">
                          <Button variant="plain" tone="critical" onClick={() => removeTier(index)} accessibilityLabel={`Remove tier ${index + 1}`}>
                            Remove
                          </Button>
                        </Box>
                      ) : null}
                    </InlineStack>
                  ))}
                  {fieldErrors.tiers ? <InlineError message={fieldErrors.tiers} fieldID="tiers" /> : null}
                  <InlineStack>
                    <Button onClick={addTier} disabled={values.tiers.length >= MAX_TIERS}>
                      Add tier
                    </Button>
                  </InlineStack>
                </BlockStack>
              ) : null}

              {model === "HYBRID" ? (
                <FormLayout.Group>
                  <TextField
                    label="Base fee per month"
                    value={values.baseFee}
                    onChange={set("baseFee")}
                    error={fieldErrors.baseFee}
                    {...money}
                  />
                  {revenueShareField}
                </FormLayout.Group>
              ) : null}

              {model === "RETAINER_BONUS" ? (
                <BlockStack gap="400">
                  {retainerField}
                  <FormLayout.Group>
                    <Select
                      label="Bonus when"
                      options={[
                        { label: "Monthly revenue reaches", value: "REVENUE" },
                        { label: "Monthly conversions reach", value: "CONVERSIONS" },
                      ]}
                      value={values.bonusMetric}
                      onChange={(value) => set("bonusMetric")(value as ContractFormValues["bonusMetric"])}
                      error={fieldErrors.bonusMetric}
                    />
                    <TextField
                      label="Bonus threshold"
                      value={values.bonusThreshold}
                      onChange={set("bonusThreshold")}
                      error={fieldErrors.bonusThreshold}
                      {...(values.bonusMetric === "REVENUE"
                        ? money
                        : { suffix: "orders", inputMode: "numeric" as const, autoComplete: "off", type: "text" as const })}
                    />
                    <TextField
                      label="Bonus amount"
                      value={values.bonusAmount}
                      onChange={set("bonusAmount")}
                      error={fieldErrors.bonusAmount}
                      {...money}
                    />
                  </FormLayout.Group>
                </BlockStack>
              ) : null}
            </FormLayout>

            {WITH_RATE_OVERRIDES.includes(model) ? (
              <BlockStack gap="300">
                <Divider />
                <BlockStack gap="100">
                  <Text as="h3" variant="headingSm">
                    Rates for specific products or collections
                  </Text>
                  <Text as="p" tone="subdued">
                    Order lines of these products, or of products in these collections, earn their own rate instead of
                    the revenue share. A product&apos;s own rate comes before its collections&apos; rates.
                  </Text>
                </BlockStack>
                {values.overrides.map((override, index) => (
                  <RateOverrideRow
                    key={overrideRowIds[index]}
                    override={override}
                    position={index}
                    onChange={(change) => setOverride(index, change)}
                    onRemove={() => removeOverride(index)}
                    errors={{
                      type: fieldErrors[`overrides.${index}.type`],
                      target: fieldErrors[`overrides.${index}.target`],
                      percent: fieldErrors[`overrides.${index}.percent`],
                    }}
                    percentField={percent}
                  />
                ))}
                {fieldErrors.overrides ? <InlineError message={fieldErrors.overrides} fieldID="overrides" /> : null}
                <InlineStack>
                  <Button onClick={addOverride} disabled={values.overrides.length >= MAX_RATE_OVERRIDES}>
                    Add a rate for a product or collection
                  </Button>
                </InlineStack>
              </BlockStack>
            ) : null}
          </BlockStack>
        </Card>

        <Card>
          <BlockStack gap="400">
            <Text as="h2" variant="headingMd">
              Limits and timing
            </Text>
            <FormLayout>
              {USES_REVENUE.includes(model) ? (
                <BlockStack gap="100">
                  <Text as="p">Revenue is net merchandise after discounts and refunds.</Text>
                  <Checkbox label="Include shipping" checked={values.includeShipping} onChange={set("includeShipping")} />
                  <Checkbox label="Include taxes" checked={values.includeTaxes} onChange={set("includeTaxes")} />
                </BlockStack>
              ) : null}
              <FormLayout.Group>
                {HAS_PERFORMANCE_PAY.includes(model) ? (
                  <TextField
                    label="Cap per month"
                    value={values.capAmount}
                    onChange={set("capAmount")}
                    error={fieldErrors.capAmount}
                    helpText="Optional. Most commissions, tier top-ups and bonuses a month can pay; fixed fees are not capped."
                    {...money}
                  />
                ) : null}
                <TextField
                  label="Recoverable draw per month"
                  value={values.drawAmount}
                  onChange={set("drawAmount")}
                  error={fieldErrors.drawAmount}
                  helpText="Optional. A month that earns less is topped up to it; the advance is recovered from later months' earnings."
                  {...money}
                />
              </FormLayout.Group>
              <TextField
                label="Effective from"
                type="date"
                min={today}
                value={values.effectiveDate}
                onChange={set("effectiveDate")}
                error={fieldErrors.effectiveDate}
                helpText="Optional: leave blank to start now. Orders placed before keep the terms they earned under; a retainer or base fee that changes mid-month is paid by the days each set of terms was in force; tiers, bonus, cap and draw follow the terms in force at the month's end."
                autoComplete="off"
              />
            </FormLayout>
          </BlockStack>
        </Card>

        <InlineStack align="end" gap="200">
          <Button onClick={() => send("preview")} loading={pendingIntent === "preview"} disabled={pendingIntent === "save"}>
            Preview
          </Button>
          <Button variant="primary" onClick={() => send("save")} loading={pendingIntent === "save"} disabled={pendingIntent === "preview"}>
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

const TARGET_TYPE_OPTIONS = [
  { label: "Collection", value: "COLLECTION" },
  { label: "Product", value: "PRODUCT" },
];

/** One rate: what it applies to (found by searching the shop's catalog) and its percent. */
function RateOverrideRow({
  override,
  position,
  onChange,
  onRemove,
  errors,
  percentField,
}: {
  override: RateOverrideFormValues;
  position: number;
  onChange: (change: Partial<RateOverrideFormValues>) => void;
  onRemove: () => void;
  errors: { type?: string; target?: string; percent?: string };
  percentField: { suffix: string; inputMode: "decimal"; autoComplete: string; type: "text" };
}) {
  const noun = override.type === "PRODUCT" ? "Product" : "Collection";
  return (
    <InlineStack gap="300" blockAlign="start" wrap={false}>
      <Box width="20%">
        <Select
          label="Applies to"
          options={TARGET_TYPE_OPTIONS}
          value={override.type}
          onChange={(value) => onChange({ type: value as RateOverrideFormValues["type"], gid: "", title: "" })}
          error={errors.type}
        />
      </Box>
      <Box width="45%">
        <CatalogPicker
          // A new kind of target starts a new search.
          key={override.type}
          type={override.type}
          label={noun}
          chosen={override.gid ? { gid: override.gid, title: override.title } : null}
          onChoose={(match) => onChange({ gid: match?.gid ?? "", title: match?.title ?? "" })}
          error={errors.target}
        />
      </Box>
      <Box width="20%">
        <TextField
          label="Rate (%)"
          value={override.percent}
          onChange={(value) => onChange({ percent: value })}
          error={errors.percent}
          {...percentField}
        />
      </Box>
      <Box paddingBlockStart="600">
        <Button variant="plain" tone="critical" onClick={onRemove} accessibilityLabel={`Remove rate ${position + 1}`}>
          Remove
        </Button>
      </Box>
    </InlineStack>
  );
}

/** The flat field names the contract model reads; checkboxes post "on" only when ticked, as a browser form would. */
function toFormData(values: ContractFormValues, intent: ContractIntent): FormData {
  const form = new FormData();
  form.set("intent", intent);
  form.set("model", values.model);
  for (const [kind, fee] of Object.entries(values.fees)) form.set(`fee.${kind}`, fee);
  const text: (keyof ContractFormValues)[] = [
    "monthlyAmount",
    "baseFee",
    "cpaAmount",
    "percent",
    "tierMetric",
    "tierMode",
    "bonusMetric",
    "bonusThreshold",
    "bonusAmount",
    "capAmount",
    "drawAmount",
    "effectiveDate",
  ];
  for (const field of text) form.set(field, String(values[field]));
  for (const field of ["newCustomersOnly", "includeShipping", "includeTaxes"] as const) {
    if (values[field]) form.set(field, "on");
  }
  values.tiers.forEach((tier, index) => {
    form.set(`tiers.${index}.from`, index === 0 ? "0" : tier.from);
    form.set(`tiers.${index}.percent`, tier.percent);
  });
  values.overrides.forEach((override, index) => {
    form.set(`overrides.${index}.type`, override.type);
    form.set(`overrides.${index}.gid`, override.gid);
    form.set(`overrides.${index}.title`, override.title);
    form.set(`overrides.${index}.percent`, override.percent);
  });
  return form;
}
