import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Page, TextField } from "@shopify/polaris";
import { useState } from "react";
import { updateShopSettings, type ShopSettingsErrors } from "~/models/shop.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  return { holdDays: shop.holdDays, timezone: shop.timezone, currencyCode: shop.currencyCode };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const result = await updateShopSettings(shop.id, Object.fromEntries(await readAdminForm(request)));
  if (!result.ok) return data({ saved: false as const, fieldErrors: result.fieldErrors }, { status: 400 });
  return { saved: true as const, fieldErrors: {} as ShopSettingsErrors };
};

export default function SettingsPage() {
  const settings = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [holdDays, setHoldDays] = useState(String(settings.holdDays));
  const saving = useNavigation().state === "submitting";
  return (
    <Page title="Settings" narrowWidth>
      <BlockStack gap="400">
        {result?.saved ? <Banner tone="success" title="Settings saved" /> : null}
        <Form method="post">
          <BlockStack gap="400">
            <Card>
              <FormLayout>
                <TextField
                  label="Hold days"
                  name="holdDays"
                  type="number"
                  min={0}
                  max={365}
                  value={holdDays}
                  onChange={setHoldDays}
                  error={result?.fieldErrors.holdDays}
                  helpText="Commissions become payable this many days after the order (your return window). Applies to commissions posted from now on."
                  autoComplete="off"
                />
                <TextField
                  label="Pay periods"
                  value={`Calendar months in ${settings.timezone}; amounts in ${settings.currencyCode}`}
                  disabled
                  autoComplete="off"
                />
              </FormLayout>
            </Card>
            <InlineStack align="end">
              <Button submit variant="primary" loading={saving}>
                Save
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </BlockStack>
    </Page>
  );
}
