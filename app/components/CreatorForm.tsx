import { useState } from "react";
import { Form, useNavigation, useParams } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, InlineStack, Link, Text, TextField } from "@shopify/polaris";

export interface CreatorFormValues {
  name: string;
  email: string;
  discountCode: string;
  /** Only asked when adding a creator: it becomes their first contract. Ignored when editing. */
  revenueSharePercent?: string;
}

/** Messages per form field, as the creator model's `fieldErrors` returns them. */
export type CreatorFormErrors = Partial<Record<keyof CreatorFormValues, string>>;

export const EMPTY_CREATOR_FORM: CreatorFormValues = { name: "", email: "", discountCode: "", revenueSharePercent: "" };

interface CreatorFormProps {
  defaultValues: CreatorFormValues;
  fieldErrors?: CreatorFormErrors;
  /** "create" asks for the revenue share of the creator's first contract; "edit" does not (the contract page does). */
  mode: "create" | "edit";
}

/**
 * The add and edit forms of a creator. Posts `name`, `email`, `discountCode` (and, when adding, `revenueSharePercent`)
 * to the current route's action, which validates them and answers 400 with `fieldErrors` shown next to each field.
 */
export function CreatorForm({ defaultValues, fieldErrors = {}, mode }: CreatorFormProps) {
  const { creatorId } = useParams();
  const editing = mode === "edit";
  const [values, setValues] = useState(defaultValues);
  const navigation = useNavigation();
  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";
  const set = (field: keyof CreatorFormValues) => (value: string) => setValues((current) => ({ ...current, [field]: value }));

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
              onChange={set("name")}
              error={fieldErrors.name}
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
          </FormLayout>
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
