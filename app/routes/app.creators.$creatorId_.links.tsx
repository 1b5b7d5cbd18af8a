import { useEffect, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useSubmitting } from "~/components/use-submitting";
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
import {
  createTrackingLink,
  listTrackingLinks,
  setTrackingLinkArchived,
  type Platform,
  type TrackingLinkFieldErrors,
} from "~/models/tracking-link.server";
import { AdminApiThrottledError, adminGraphqlFrom } from "~/services/admin-api.server";
import { createCodeInShopify, linkExistingCode } from "~/services/discount-codes.server";
import { storefrontBase } from "~/services/follow-tracking-link.server";
import { readAdminForm } from "~/utils/admin-form.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

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
const PLATFORM_OPTIONS = (Object.entries(PLATFORM_LABELS) as [Platform, string][]).map(([value, label]) => ({
  value,
  label,
}));

const ORIGIN_LABELS = { CREATED_IN_APP: "Created in Creator Ledger", LINKED: "Existing Shopify code" } as const;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  // Scoped by shop: another shop's creator id is as unknown as a made-up one.
  const creator = await getCreator(shop.id, params.creatorId ?? "");
  if (!creator) throw creatorNotFound();
  const [links, codes] = await Promise.all([
    listTrackingLinks(shop.id, creator.id),
    listCreatorDiscountCodes(shop.id, creator.id),
  ]);
  const day = (date: Date) => format(new TZDate(date.getTime(), shop.timezone), "MMM d, yyyy");
  return {
    creator: { id: creator.id, name: creator.name, handle: creator.handle },
    storefront: storefrontBase({ storefrontUrl: shop.storefrontUrl, shopDomain: shop.domain }).replace(
      /^https?:\/\//,
      ""
    ),
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

type CodeFieldErrors = Partial<Record<"code" | "percentOff" | "title", string>>;

type ActionData =
  | { intent: "create-code" | "link-code"; codeFieldErrors: CodeFieldErrors }
  | { intent: "create-code" | "link-code"; codeAdded: string }
  | { intent: "create"; fieldErrors: TrackingLinkFieldErrors }
  | { intent: "create"; created: { id: string; label: string; url: string } }
  | { intent: "archive" | "unarchive"; changed: { id: string; label: string; archived: boolean } }
  | { intent: string; error: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, admin } = await authenticateShop(request);
  const creator = await getCreator(shop.id, params.creatorId ?? "");
  if (!creator) throw creatorNotFound();
  const raw = Object.fromEntries(await readAdminForm(request));

  if (raw.intent === "create-code" || raw.intent === "link-code") {
    const intent = raw.intent;
    try {
      const result =
        intent === "create-code"
          ? await createCodeInShopify(adminGraphqlFrom(admin), shop, creator.id, raw)
          : await linkExistingCode(adminGraphqlFrom(admin), shop, creator.id, raw);
      if (!result.ok) return data<ActionData>({ intent, codeFieldErrors: result.fieldErrors }, { status: 400 });
      return data<ActionData>({ intent, codeAdded: result.discountCode.code });
    } catch (error) {
      if (!(error instanceof AdminApiThrottledError)) throw error;
      return data<ActionData>(
        { intent, error: "Shopify is busy right now. Try again in a few seconds." },
        { status: 503 }
      );
    }
  }

  if (raw.intent === "create") {
    const result = await createTrackingLink(shop.id, creator.id, raw);
    if (!result) throw creatorNotFound();
    if (!result.ok) return data<ActionData>({ intent: "create", fieldErrors: result.fieldErrors }, { status: 400 });
    return data<ActionData>({ intent: "create", created: result.link });
  }

  const parsed = archiveSchema.safeParse(raw);
  if (!parsed.success) {
    return data<ActionData>(
      {
        intent: String(raw.intent ?? ""),
        error: "That action is not available on this page. Reload it and try again.",
      },
      { status: 400 }
    );
  }
  const { intent, linkId } = parsed.data;
  const link = await setTrackingLinkArchived(shop.id, creator.id, linkId, intent === "archive");
  if (!link)
    return data<ActionData>(
      { intent, error: `This link is not one of ${creator.name}'s links. Reload the page.` },
      { status: 404 }
    );
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
        <NewLinkForm
          key={created?.id ?? "new"}
          handle={creator.handle}
          storefront={storefront}
          fieldErrors={fieldErrors}
        />
        <DiscountCodesCard
          creatorName={creator.name}
          codes={codes}
          codeFieldErrors={actionData && "codeFieldErrors" in actionData ? actionData.codeFieldErrors : undefined}
          codeAdded={actionData && "codeAdded" in actionData ? actionData.codeAdded : null}
          handle={creator.handle}
        />
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
          <Button
            submit
            size="slim"
            loading={busy}
            accessibilityLabel={`${link.archived ? "Unarchive" : "Archive"} ${link.label}`}
          >
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
  const saving = useSubmitting("create");
  const set = (field: keyof typeof values) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));

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
function DiscountCodesCard({
  creatorName,
  codes,
  codeFieldErrors,
  codeAdded,
  handle,
}: {
  creatorName: string;
  codes: CodeRow[];
  codeFieldErrors: CodeFieldErrors | undefined;
  codeAdded: string | null;
  handle: string;
}) {
  const anyRetired = codes.some((code) => code.retired);
  return (
    <BlockStack gap="400">
      {codeAdded ? <Banner tone="success" title={`${codeAdded} now credits ${creatorName}`} /> : null}
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
      <NewCodeForm key={codeAdded ?? "new-code"} handle={handle} fieldErrors={codeFieldErrors} />
    </BlockStack>
  );
}

/** Either a new percentage-off code made in Shopify, or a code the shop already has, linked to the creator. */
function NewCodeForm({ handle, fieldErrors }: { handle: string; fieldErrors: CodeFieldErrors | undefined }) {
  const [mode, setMode] = useState<"create-code" | "link-code">("create-code");
  const [code, setCode] = useState(handle.replace(/-/g, "").toUpperCase().slice(0, 20) + "10");
  const [percentOff, setPercentOff] = useState("10");
  const submitting = useSubmitting(mode);
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value={mode} />
        <FormLayout>
          <Text as="h2" variant="headingMd">
            Add a discount code
          </Text>
          <Select
            label="How"
            options={[
              { label: "Create a new code in Shopify", value: "create-code" },
              { label: "Link a code that already exists in Shopify", value: "link-code" },
            ]}
            value={mode}
            onChange={(value) => setMode(value as typeof mode)}
          />
          <FormLayout.Group>
            <TextField
              label="Code"
              name="code"
              value={code}
              onChange={setCode}
              error={fieldErrors?.code}
              autoComplete="off"
              helpText={
                mode === "create-code"
                  ? "Shoppers type this at checkout."
                  : "Exactly as it exists in Shopify (any case)."
              }
            />
            {mode === "create-code" ? (
              <TextField
                label="Discount"
                name="percentOff"
                type="number"
                min={1}
                max={100}
                suffix="%"
                value={percentOff}
                onChange={setPercentOff}
                error={fieldErrors?.percentOff}
                autoComplete="off"
                helpText="Off every product, no minimum; edit it in Shopify's Discounts page afterwards if you need more."
              />
            ) : null}
          </FormLayout.Group>
          <InlineStack align="end">
            <Button submit variant="primary" loading={submitting}>
              {mode === "create-code" ? "Create code in Shopify" : "Link code"}
            </Button>
          </InlineStack>
        </FormLayout>
      </Form>
    </Card>
  );
}

export { CreatorErrorBoundary as ErrorBoundary } from "~/components/CreatorErrorBoundary";
