import { useState } from "react";
import { Form } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  FormLayout,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import type { CreatorCostFieldErrors } from "~/models/creator-cost.server";
import type { CatalogMatch, VariantFacts } from "~/services/catalog-search.server";
import { CatalogPicker } from "./CatalogPicker";
import { useSubmitting } from "./use-submitting";

/** A cost as the page shows it: amounts already formatted in the shop's currency. */
export interface CostRowView {
  id: string;
  kind: "FLAT_FEE" | "PRODUCT_SEEDING";
  description: string;
  /** "Nov 5, 2026". */
  incurredOnText: string;
  amountText: string;
  /** Seeding: "3 × Linen Shirt - M at $12.50 (cost in Shopify)". */
  seedingText: string | null;
}

export const ADD_COST_INTENT = "addCost";
export const DELETE_COST_INTENT = "deleteCost";

const KIND_OPTIONS = [
  { label: "Flat fee", value: "FLAT_FEE" },
  { label: "Product seeding", value: "PRODUCT_SEEDING" },
];

interface CostCardProps {
  costs: CostRowView[];
  currencyCode: string;
  /** Today in the shop's timezone: the date field's default and latest day. */
  today: string;
  /** What the add form last posted and why it was refused, to show it back. */
  rejected: { values: Record<string, string>; fieldErrors: CreatorCostFieldErrors } | null;
}

/**
 * Money spent on the creator besides their contract: the list, a form to add a flat fee or seeded products (the
 * variant picked from Shopify, with its cost per item when Shopify has one) and a delete that asks first.
 */
export function CostCard({ costs, currencyCode, today, rejected }: CostCardProps) {
  // Remounting the form after a successful add (new row in the list) starts it over.
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Costs
          </Text>
          <Text as="p" tone="subdued">
            Fees paid outside the contract and products sent to the creator. They count in total cost, CAC and ROAS on the day
            they were incurred.
          </Text>
        </BlockStack>
        {costs.length === 0 ? (
          <Text as="p" tone="subdued">
            No costs recorded yet.
          </Text>
        ) : (
          <BlockStack gap="300">
            {costs.map((cost) => (
              <CostRow key={cost.id} cost={cost} />
            ))}
          </BlockStack>
        )}
        <Divider />
        <AddCostForm key={costs.map((cost) => cost.id).join()} currencyCode={currencyCode} today={today} rejected={rejected} />
      </BlockStack>
    </Card>
  );
}

function CostRow({ cost }: { cost: CostRowView }) {
  const [confirming, setConfirming] = useState(false);
  const deleting = useSubmitting(DELETE_COST_INTENT);
  return (
    <Box>
      <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
        <BlockStack gap="050">
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" fontWeight="semibold">
              {cost.description}
            </Text>
            <Badge tone={cost.kind === "FLAT_FEE" ? undefined : "info"}>{cost.kind === "FLAT_FEE" ? "Flat fee" : "Product seeding"}</Badge>
          </InlineStack>
          <Text as="span" tone="subdued" variant="bodySm">
            {cost.seedingText ? `${cost.incurredOnText} · ${cost.seedingText}` : cost.incurredOnText}
          </Text>
        </BlockStack>
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Text as="span" numeric fontWeight="medium">
            {cost.amountText}
          </Text>
          {confirming ? null : (
            <Button variant="plain" tone="critical" onClick={() => setConfirming(true)} accessibilityLabel={`Delete ${cost.description}`}>
              Delete
            </Button>
          )}
        </InlineStack>
      </InlineStack>
      {confirming ? (
        <Box paddingBlockStart="200">
          <Banner tone="warning" title={`Delete “${cost.description}”?`}>
            <BlockStack gap="200">
              <p>Only for a cost entered by mistake: it leaves the creator&apos;s total cost, CAC and ROAS.</p>
              <Form method="post">
                <input type="hidden" name="intent" value={DELETE_COST_INTENT} />
                <input type="hidden" name="costId" value={cost.id} />
                <InlineStack gap="200">
                  <Button submit variant="primary" tone="critical" loading={deleting}>
                    Delete cost
                  </Button>
                  <Button onClick={() => setConfirming(false)}>Keep it</Button>
                </InlineStack>
              </Form>
            </BlockStack>
          </Banner>
        </Box>
      ) : null}
    </Box>
  );
}

function AddCostForm({ currencyCode, today, rejected }: Omit<CostCardProps, "costs">) {
  const previous = rejected?.values ?? {};
  const errors = rejected?.fieldErrors ?? {};
  const [kind, setKind] = useState<string>(previous.kind === "PRODUCT_SEEDING" ? "PRODUCT_SEEDING" : "FLAT_FEE");
  const [description, setDescription] = useState(previous.description ?? "");
  const [incurredOn, setIncurredOn] = useState(previous.incurredOn ?? today);
  const [amount, setAmount] = useState(previous.amount ?? "");
  const [quantity, setQuantity] = useState(previous.quantity ?? "1");
  const [unitCost, setUnitCost] = useState(previous.unitCost ?? "");
  const [variant, setVariant] = useState<{ gid: string; title: string; facts: VariantFacts | null } | null>(
    previous.variantGid ? { gid: previous.variantGid, title: previous.variantTitle ?? "", facts: null } : null,
  );
  const adding = useSubmitting(ADD_COST_INTENT);

  const choose = (match: CatalogMatch | null) => {
    if (!match) return setVariant(null);
    setVariant({ gid: match.gid, title: match.title, facts: match.variant });
    const cost = match.variant?.unitCost;
    // Shopify's cost per item, ready to keep; left blank (the merchant must type it) when it cannot be used.
    setUnitCost(cost && cost.currencyCode === currencyCode ? cost.amount : "");
    if (description.trim() === "") setDescription(match.title);
  };
  const shopifyCost = variant?.facts?.unitCost ?? null;
  const unitCostHelp = !variant?.facts
    ? `Per item, in ${currencyCode}. Filled in from Shopify when it has the variant's cost.`
    : shopifyCost === null
      ? "Shopify has no cost per item for this variant: enter what one cost you."
      : shopifyCost.currencyCode !== currencyCode
        ? `Shopify holds this variant's cost in ${shopifyCost.currencyCode}, not ${currencyCode}: enter what one cost you in ${currencyCode}.`
        : `From Shopify (${shopifyCost.amount} ${shopifyCost.currencyCode} per item). Change it if this shipment cost you something else.`;

  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value={ADD_COST_INTENT} />
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          Add a cost
        </Text>
        <FormLayout>
          <FormLayout.Group>
            <Select label="Kind" name="kind" options={KIND_OPTIONS} value={kind} onChange={setKind} error={errors.kind} />
            <TextField
              label="Date"
              name="incurredOn"
              type="date"
              value={incurredOn}
              onChange={setIncurredOn}
              max={today}
              error={errors.incurredOn}
              autoComplete="off"
            />
          </FormLayout.Group>
          {kind === "PRODUCT_SEEDING" ? (
            <>
              <input type="hidden" name="variantGid" value={variant?.gid ?? ""} />
              <input type="hidden" name="variantTitle" value={variant?.title ?? ""} />
              <CatalogPicker
                type="VARIANT"
                label="Product sent"
                chosen={variant ? { gid: variant.gid, title: variant.title } : null}
                onChoose={choose}
                error={errors.variantGid}
                helpText="Search your products by title or SKU."
              />
              <FormLayout.Group>
                <TextField
                  label="Quantity"
                  name="quantity"
                  type="number"
                  min={1}
                  max={10_000}
                  value={quantity}
                  onChange={setQuantity}
                  error={errors.quantity}
                  autoComplete="off"
                />
                <TextField
                  label="Cost per item"
                  name="unitCost"
                  inputMode="decimal"
                  value={unitCost}
                  onChange={setUnitCost}
                  error={errors.unitCost}
                  helpText={unitCostHelp}
                  suffix={currencyCode}
                  autoComplete="off"
                />
              </FormLayout.Group>
            </>
          ) : (
            <TextField
              label="Amount"
              name="amount"
              inputMode="decimal"
              value={amount}
              onChange={setAmount}
              error={errors.amount}
              helpText={`In ${currencyCode}, like 250.00.`}
              suffix={currencyCode}
              autoComplete="off"
            />
          )}
          <TextField
            label="Description"
            name="description"
            value={description}
            onChange={setDescription}
            error={errors.description}
            placeholder={kind === "FLAT_FEE" ? "Launch video fee" : "Spring samples"}
            maxLength={200}
            autoComplete="off"
          />
        </FormLayout>
        <InlineStack align="end">
          <Button submit variant="primary" loading={adding}>
            Add cost
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
