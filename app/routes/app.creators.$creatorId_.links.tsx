import { useEffect, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { z } from "zod";
import { creatorNotFound } from "~/components/CreatorErrorBoundary";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { getCreator, listCreatorDiscountCodes } from "~/models/creator.server";
import { requireShop } from "~/models/shop.server";
import {
  createTrackingLink,
  listTrackingLinks,
  setTrackingLinkArchived,
  type Platform,
  type TrackingLinkFieldErrors,
} from "~/models/tracking-link.server";
import { storefrontBase } from "~/services/follow-tracking-link.server";
import { authenticate } from "~/shopify.server";

/** Every platform a link can be shared on (its utm_source), as merchants read it. */
const PLATFORM_LABELS: Record<Platform, string> = {
  instagram: "Instagram",
  tiktok: "TikTok",
  youtube: "YouTube",
  x: "X (Twitter)",
  facebook: "Facebook",
  pinterest: "Pinterest",
  snapchat: "Snapchat",
  twitch: "Twitch",
  newsletter: "Newsletter",
  blog: "Blog",
  other: "Other",
};
const PLATFORM_OPTIONS = (Object.entries(PLATFORM_LABELS) as [Platform, string][]).map(([value, label]) => ({ value, label }));

const ORIGIN_LABELS = { CREATED_IN_APP: "Created in Creator Ledger", LINKED: "Existing Shopify code" } as const;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireShop(session.shop);
  // Scoped by shop: another shop's creator id is as unknown as a made-up one.
  const creator = await getCreator(shop.id, params.creatorId ?? "");
  if (!creator) throw creatorNotFound();
  const [links, codes] = await Promise.all([listTrackingLinks(shop.id, creator.id), listCreatorDiscountCodes(shop.id, creator.id)]);
  const day = (date: Date) => format(new TZDate(date.getTime(), shop.timezone), "MMM d, yyyy");
  return {
    creator: { id: creator.id, name: creator.name, handle: creator.handle },
    storefront: storefrontBase({ storefrontUrl: shop.storefrontUrl, shopDomain: shop.domain }).replace(/^https?:\/\//, ""),
    links: links.map((link) => ({
      id: link.id,
      label: link.label,
      url: link.url,
      platform: link.utmSource,
      destinationPath: link.destinationPath,
      campaign: link.utmCampaign,
      archived: link.archivedAt !== null,
      createdOn: day(link.createdAt),
      clicksLast30Days: link.clicksLast30Days,
      clicksTotal: link.clicksTotal,
    })),
    codes: codes.map((code) => ({
      id: code.id,
      code: code.code,
      origin: ORIGIN_LABELS[code.origin],
      createdOn: day(code.createdAt),
      retired: code.retiredAt !== null,
    })),
  };
};

const archiveSchema = z.object({
  intent: z.enum(["archive", "unarchive"]),
  linkId: z.string().min(1),
});

type ActionData =
  | { intent: "create"; fieldErrors: TrackingLinkFieldErrors }
  | { intent: "create"; created: { id: string; label: string; url: string } }
  | { intent: "archive" | "unarchive"; changed: { id: string; label: string; archived: boolean } }
  | { intent: string; error: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireShop(session.shop);
  const creator = await getCreator(shop.id, params.creatorId ?? "");
  if (!creator) throw creatorNotFound();
  const raw = Object.fromEntries(await request.formData());

  if (raw.intent === "create") {
    const result = await createTrackingLink(shop.id, creator.id, raw);
    if (!result) throw creatorNotFound();
    if (!result.ok) return data<ActionData>({ intent: "create", fieldErrors: result.fieldErrors }, { status: 400 });
    return data<ActionData>({ intent: "create", created: result.link });
  }

  const parsed = archiveSchema.safeParse(raw);
  if (!parsed.success) {
    return data<ActionData>({ intent: String(raw.intent ?? ""), error: "That action is not available on this page. Reload it and try again." }, { status: 400 });
  }
  const { intent, linkId } = parsed.data;
  const link = await setTrackingLinkArchived(shop.id, creator.id, linkId, intent === "archive");
  if (!link) return data<ActionData>({ intent, error: `This link is not one of ${creator.name}'s links. Reload the page.` }, { status: 404 });
  return data<ActionData>({ intent, changed: { id: link.id, label: link.label, archived: link.archivedAt !== null } });
};

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type LinkRow = LoaderData["links"][number];
type CodeRow = LoaderData["codes"][number];

export default function CodesAndLinksPage() {
  const { creator, storefront, links, codes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const fieldErrors = actionData && "fieldErrors" in actionData ? actionData.fieldErrors : undefined;
  const created = actionData && "created" in actionData ? actionData.created : null;
  const error = actionData && "error" in actionData ? actionData.error : null;
  const toastedFor = useRef<string | null>(null);

  useEffect(() => {
    // App Bridge is absent outside Shopify admin and its harness: then the banner alone tells the merchant.
    if (!created || toastedFor.current === created.id) return;
    toastedFor.current = created.id;
    window.shopify?.toast?.show("Link created");
  }, [created]);

  return (
    <Page
      title="Codes and links"
      subtitle={creator.name}
      backAction={{ content: creator.name, url: `/app/creators/${creator.id}` }}
    >
      <BlockStack gap="400">
        {created ? (
          <Banner tone="success" title={`Link created: ${created.label}`}>
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              <Text as="span" breakWord>
                {created.url}
              </Text>
              <CopyButton url={created.url} label={created.label} />
            </InlineStack>
          </Banner>
        ) : null}
        {fieldErrors ? (
          <Banner tone="critical" title="The link was not created">
            <p>Check the fields marked below.</p>
          </Banner>
        ) : null}
        {error ? <Banner tone="critical" title={error} /> : null}

        <TrackingLinksCard creatorName={creator.name} links={links} />
        {/* A new form after each link, so the fields start over. */}
        <NewLinkForm key={created?.id ?? "new"} handle={creator.handle} storefront={storefront} fieldErrors={fieldErrors} />
        <DiscountCodesCard creatorName={creator.name} codes={codes} />
      </BlockStack>
    </Page>
  );
}

function TrackingLinksCard({ creatorName, links }: { creatorName: string; links: LinkRow[] }) {
  const heading = (
    <BlockStack gap="100">
      <Text as="h2" variant="headingMd">
        Tracking links
      </Text>
      <Text as="p" tone="subdued">
        Each link counts the people who follow it and sends them to your store with the creator&apos;s ref and UTM
        parameters. Archived links keep working, so old posts never break.
      </Text>
    </BlockStack>
  );
  if (links.length === 0) {
    return (
      <Card>
        <BlockStack gap="200">
          {heading}
          <EmptyState heading="No links yet" image={EMPTY_STATE_IMAGE}>
            <p>Create a link for each place {creatorName} posts, and see how many people each one brings.</p>
          </EmptyState>
        </BlockStack>
      </Card>
    );
  }
  return (
    <Card padding="0">
      <Box padding="400">{heading}</Box>
      <IndexTable
        resourceName={{ singular: "link", plural: "links" }}
        itemCount={links.length}
        selectable={false}
        headings={[
          { title: "Link" },
          { title: "Platform" },
          { title: "Destination" },
          { title: "Clicks, 30 days", alignment: "end" },
          { title: "All time", alignment: "end" },
          { title: "Actions", hidden: true },
        ]}
      >
        {links.map((link, index) => (
          <LinkRowView key={link.id} link={link} position={index} />
        ))}
      </IndexTable>
    </Card>
  );
}

function LinkRowView({ link, position }: { link: LinkRow; position: number }) {
  const fetcher = useFetcher<ActionData>();
  const busy = fetcher.state !== "idle";
  const failure = fetcher.data && "error" in fetcher.data ? fetcher.data.error : null;
  return (
    <IndexTable.Row id={link.id} position={position}>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" fontWeight="semibold">
              {link.label}
            </Text>
            {link.archived ? <Badge>Archived</Badge> : null}
          </InlineStack>
          <InlineStack gap="200" blockAlign="center" wrap={false}>
            <Text as="span" tone="subdued" variant="bodySm">
              {link.url}
            </Text>
            <CopyButton url={link.url} label={link.label} />
          </InlineStack>
          {failure ? (
            <Text as="p" tone="critical">
              {failure}
            </Text>
          ) : null}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>{PLATFORM_LABELS[link.platform as Platform] ?? link.platform}</IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <Text as="span" breakWord>
            {link.destinationPath}
          </Text>
          <Text as="span" tone="subdued" variant="bodySm">
            Campaign {link.campaign}
          </Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {link.clicksLast30Days.toLocaleString("en-US")}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {link.clicksTotal.toLocaleString("en-US")}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value={link.archived ? "unarchive" : "archive"} />
          <input type="hidden" name="linkId" value={link.id} />
          <Button submit size="slim" loading={busy} accessibilityLabel={`${link.archived ? "Unarchive" : "Archive"} ${link.label}`}>
            {link.archived ? "Unarchive" : "Archive"}
          </Button>
        </fetcher.Form>
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

function CopyButton({ url, label }: { url: string; label: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      window.shopify?.toast?.show("Link copied");
    } catch {
      window.shopify?.toast?.show("Could not copy: select the link and copy it", { isError: true });
    }
  };
  return (
    <Button variant="plain" onClick={copy} accessibilityLabel={`Copy the link ${label}`}>
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}

function NewLinkForm({
  handle,
  storefront,
  fieldErrors = {},
}: {
  handle: string;
  storefront: string;
  fieldErrors?: TrackingLinkFieldErrors;
}) {
  const [values, setValues] = useState({ label: "", utmSource: "", destinationPath: "/", utmCampaign: "" });
  const navigation = useNavigation();
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "create";
  const set = (field: keyof typeof values) => (value: string) => setValues((current) => ({ ...current, [field]: value }));

  return (
    // noValidate: the server's messages are the ones merchants see, inline, not the browser's bubbles.
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="create" />
      <Card>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Create a link
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label="Label"
                name="label"
                value={values.label}
                onChange={set("label")}
                error={fieldErrors.label}
                helpText="For you: where this link is used, like “Instagram bio” or “Summer reel”."
                autoComplete="off"
                requiredIndicator
              />
              <Select
                label="Platform"
                name="utmSource"
                options={PLATFORM_OPTIONS}
                placeholder="Choose where it is shared"
                value={values.utmSource}
                onChange={set("utmSource")}
                error={fieldErrors.utmSource}
                helpText="Shopify's reports show it as the source of the visit."
                requiredIndicator
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField
                label="Destination"
                name="destinationPath"
                value={values.destinationPath}
                onChange={set("destinationPath")}
                error={fieldErrors.destinationPath}
                prefix={storefront}
                helpText="The page of your store the link opens: / for the home page, or a path like /products/serum."
                autoComplete="off"
                requiredIndicator
              />
              <TextField
                label="Campaign"
                name="utmCampaign"
                value={values.utmCampaign}
                onChange={set("utmCampaign")}
                error={fieldErrors.utmCampaign}
                placeholder={handle}
                helpText={`How Shopify's reports group these visits. Leave blank to use the creator's handle, ${handle}.`}
                autoComplete="off"
              />
            </FormLayout.Group>
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={saving}>
              Create link
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Form>
  );
}

/** The creator's discount codes. Read-only here: codes are added or changed on the creator's page. */
function DiscountCodesCard({ creatorName, codes }: { creatorName: string; codes: CodeRow[] }) {
  const anyRetired = codes.some((code) => code.retired);
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Discount codes
          </Text>
          <Text as="p" tone="subdued">
            Orders that use these codes are credited to {creatorName}.
            {anyRetired ? " Retired codes no longer exist in Shopify; orders that used them stay credited." : ""}
          </Text>
        </BlockStack>
      </Box>
      {codes.length === 0 ? (
        <Box padding="400" paddingBlockStart="0">
          <Text as="p">No discount codes yet.</Text>
        </Box>
      ) : (
        <IndexTable
          resourceName={{ singular: "discount code", plural: "discount codes" }}
          itemCount={codes.length}
          selectable={false}
          headings={[{ title: "Code" }, { title: "Origin" }, { title: "Added" }]}
        >
          {codes.map((code, index) => (
            <IndexTable.Row id={code.id} key={code.id} position={index}>
              <IndexTable.Cell>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" fontWeight="semibold">
                    {code.code}
                  </Text>
                  {code.retired ? <Badge tone="warning">Retired</Badge> : null}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>{code.origin}</IndexTable.Cell>
              <IndexTable.Cell>{code.createdOn}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      )}
    </Card>
  );
}

export { CreatorErrorBoundary as ErrorBoundary } from "~/components/CreatorErrorBoundary";
