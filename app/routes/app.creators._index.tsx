import { useEffect, useRef } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Card, EmptyState, IndexTable, Link, Page, Text } from "@shopify/polaris";
import { listCreators } from "~/models/creator.server";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import { CreatorSegmentBadges } from "~/components/CreatorSegmentBadges";
import { authenticateShop } from "~/utils/authenticate-shop.server";


/** `?saved=` values the creator forms redirect with, and what the list then says. */
const SAVED_MESSAGES: Record<string, string> = {
  created: "Creator added",
  updated: "Creator updated",
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  return { creators: await listCreators(shop.id) };
};

export default function CreatorsPage() {
  const { creators } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const savedMessage = SAVED_MESSAGES[searchParams.get("saved") ?? ""] ?? importedMessage(searchParams.get("imported"));
  const location = useLocation();
  const toastedFor = useRef<string | null>(null);

  useEffect(() => {
    // Once per visit (effects can run twice in development). App Bridge is absent outside Shopify admin and its
    // harness: then the banner alone tells the merchant.
    if (!savedMessage || toastedFor.current === location.key) return;
    toastedFor.current = location.key;
    window.shopify?.toast?.show(savedMessage);
  }, [savedMessage, location.key]);

  const dismissSaved = () =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        next.delete("saved");
        next.delete("imported");
        return next;
      },
      { replace: true, preventScrollReset: true },
    );

  return (
    <Page
      title="Creators"
      primaryAction={{ content: "Add creator", url: "/app/creators/new" }}
      secondaryActions={[{ content: "Import", url: "/app/creators/import" }]}
    >
      <BlockStack gap="400">
        {savedMessage ? <Banner tone="success" title={savedMessage} onDismiss={dismissSaved} /> : null}
        {creators.length === 0 ? (
          <Card>
            <EmptyState
              heading="No creators yet"
              action={{ content: "Add creator", url: "/app/creators/new" }}
              image={EMPTY_STATE_IMAGE}
            >
              <p>Add a creator with the discount code they share, and their orders and commissions will follow.</p>
            </EmptyState>
          </Card>
        ) : (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "creator", plural: "creators" }}
              itemCount={creators.length}
              selectable={false}
              headings={[
                { title: "Name" },
                { title: "Handle" },
                { title: "Segments" },
                { title: "Email" },
                { title: "Discount code" },
                { title: "Revenue share", alignment: "end" },
              ]}
            >
              {creators.map((creator, index) => (
                <IndexTable.Row id={creator.id} key={creator.id} position={index}>
                  <IndexTable.Cell>
                    <Link url={`/app/creators/${creator.id}`} removeUnderline dataPrimaryLink>
                      <Text as="span" fontWeight="semibold">
                        {creator.name}
                      </Text>
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{creator.handle}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {creator.platform || creator.funnelStage || creator.niche ? <CreatorSegmentBadges segments={creator} /> : "—"}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{creator.email ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{creator.discountCodes.length > 0 ? creator.discountCodes.join(", ") : "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {creator.revenueSharePercent === null ? "—" : `${trimPercent(creator.revenueSharePercent)}%`}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        )}
      </BlockStack>
    </Page>
  );
}

/** `?imported=` is how many creators the CSV import created: "1 creator imported", "250 creators imported". */
function importedMessage(imported: string | null): string | undefined {
  if (!imported || !/^[1-9]\d{0,5}$/.test(imported)) return undefined;
  const count = Number(imported);
  return `${count.toLocaleString("en-US")} ${count === 1 ? "creator" : "creators"} imported`;
}

/** "10.00" → "10", "12.50" → "12.5": the stored decimal, without trailing zeros. */
function trimPercent(percent: string): string {
  return percent.includes(".") ? percent.replace(/\.?0+$/, "") : percent;
}
