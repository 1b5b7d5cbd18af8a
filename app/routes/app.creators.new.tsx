import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { CreatorForm, EMPTY_CREATOR_FORM } from "~/components/CreatorForm";
import { createCreator } from "~/models/creator.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticateShop(request);
  return null;
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const formData = await readAdminForm(request);
  const result = await createCreator(shop.id, Object.fromEntries(formData));
  if (!result.ok) return data({ fieldErrors: result.fieldErrors }, { status: 400 });
  return redirect("/app/creators?saved=created");
};

export default function NewCreatorPage() {
  const actionData = useActionData<typeof action>();
  return (
    <Page title="Add creator" backAction={{ content: "Creators", url: "/app/creators" }} narrowWidth>
      <CreatorForm mode="create" defaultValues={EMPTY_CREATOR_FORM} fieldErrors={actionData?.fieldErrors} />
    </Page>
  );
}
