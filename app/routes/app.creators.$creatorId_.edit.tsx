import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { creatorNotFound } from "~/components/CreatorErrorBoundary";
import { CreatorForm } from "~/components/CreatorForm";
import { getCreator, updateCreator } from "~/models/creator.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  // Scoped by shop: another shop's creator id is as unknown as a made-up one.
  const creator = await getCreator(shop.id, params.creatorId ?? "");
  if (!creator) throw creatorNotFound();
  return { creator };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const formData = await readAdminForm(request);
  const result = await updateCreator(shop.id, params.creatorId ?? "", Object.fromEntries(formData));
  if (!result) throw creatorNotFound();
  if (!result.ok) return data({ fieldErrors: result.fieldErrors }, { status: 400 });
  return redirect(`/app/creators/${result.creatorId}?saved=updated`);
};

export default function EditCreatorPage() {
  const { creator } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Page
      title={`Edit ${creator.name}`}
      backAction={{ content: creator.name, url: `/app/creators/${creator.id}` }}
      secondaryActions={[
        { content: "Contract", url: `/app/creators/${creator.id}/contract` },
        { content: "Codes and links", url: `/app/creators/${creator.id}/links` },
        { content: "Ledger", url: `/app/creators/${creator.id}/ledger` },
      ]}
      narrowWidth
    >
      <CreatorForm
        mode="edit"
        // A different creator (or fresh data after saving) starts the form over.
        key={creator.id}
        defaultValues={{
          name: creator.name,
          email: creator.email ?? "",
          handle: creator.handle,
          referrerDomains: creator.referrerDomains.join("\n"),
          // The number the merchant sees in Shopify admin; the form accepts it or the full gid.
          customerGid: creator.customerGid?.replace("gid://shopify/Customer/", "") ?? "",
          discountCode: creator.discountCodes[0] ?? "",
          statementsOptOut: creator.statementsOptOut,
          revenueSharePercent: "",
          platform: creator.platform ?? "",
          funnelStage: creator.funnelStage ?? "",
          niche: creator.niche ?? "",
        }}
        fieldErrors={actionData?.fieldErrors}
      />
    </Page>
  );
}

export { CreatorErrorBoundary as ErrorBoundary } from "~/components/CreatorErrorBoundary";
