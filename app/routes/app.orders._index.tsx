import { useEffect, useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { AttributionMethod, ReviewStatus } from "@prisma/client";
import {
  Badge,
  Card,
  ChoiceList,
  EmptySearchResult,
  EmptyState,
  Filters,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import { METHOD_LABELS, REVIEW_BADGES, flagLabel } from "~/components/attribution-labels";
import { EMPTY_STATE_IMAGE } from "~/components/empty-state-image";
import {
  ATTRIBUTION_METHODS,
  NO_CREATOR,
  REVIEW_STATUSES,
  listCreatorOptions,
  listOrders,
  parseOrderListQuery,
} from "~/models/order.server";
import { authenticateShop } from "~/utils/authenticate-shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateShop(request);
  const query = parseOrderListQuery(new URL(request.url).searchParams);
  const [page, creators] = await Promise.all([listOrders(shop.id, shop.timezone, query), listCreatorOptions(shop.id)]);
  return {
    page,
    creators,
    filters: { creator: query.creator, method: query.method, review: query.review, search: query.search },
    // What the filters offer (the model's words, so the URL it parses is the one the page writes).
    choices: { methods: ATTRIBUTION_METHODS, reviewStatuses: REVIEW_STATUSES, noCreator: NO_CREATOR },
  };
};

const REVIEW_FILTER_LABELS: Record<ReviewStatus, string> = {
  PENDING: "Needs review",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  NOT_NEEDED: "No review needed",
};

/** Filters live in the URL (shareable, back button); changing one starts again from the newest orders. */
function useListParams() {
  const [, setSearchParams] = useSearchParams();
  return (changes: Record<string, string | null>, options: { keepCursor?: boolean } = {}) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (!options.keepCursor) {
          next.delete("after");
          next.delete("before");
        }
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === "") next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { preventScrollReset: true },
    );
}

export default function OrdersPage() {
  const { page, creators, filters, choices } = useLoaderData<typeof loader>();
  const { methods, reviewStatuses, noCreator } = choices;
  const setParams = useListParams();
  const loading = useNavigation().state === "loading";
  const [search, setSearch] = useState(filters.search);

  // Typing searches once the merchant pauses.
  useEffect(() => {
    if (search.trim() === filters.search) return;
    const timer = setTimeout(() => setParams({ q: search.trim() }), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search, filters.search]);

  const creatorLabel = (id: string) =>
    id === noCreator ? "Nobody" : creators.find((c) => c.id === id)?.name ?? "Creator";
  const appliedFilters = [
    ...(filters.creator
      ? [
          {
            key: "creator",
            label: `Creator: ${creatorLabel(filters.creator)}`,
            onRemove: () => setParams({ creator: null }),
          },
        ]
      : []),
    ...(filters.method
      ? [
          {
            key: "method",
            label: `Method: ${METHOD_LABELS[filters.method]}`,
            onRemove: () => setParams({ method: null }),
          },
        ]
      : []),
    ...(filters.review
      ? [{ key: "review", label: REVIEW_FILTER_LABELS[filters.review], onRemove: () => setParams({ review: null }) }]
      : []),
  ];

  if (!page.shopHasOrders) {
    return (
      <Page title="Orders">
        <Card>
          <EmptyState
            heading="No orders yet"
            action={{ content: "Import past orders", url: "/app/orders/import" }}
            image={EMPTY_STATE_IMAGE}
          >
            <p>
              Orders appear here moments after they are placed: Shopify sends each new order, edit, refund and
              cancellation to the app. Orders placed before the app was installed appear once you import them.
            </p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  return (
    <Page
      title="Orders"
      subtitle="Who each order credits, and why"
      secondaryActions={[{ content: "Import past orders", url: "/app/orders/import" }]}
    >
      <Card padding="0">
        <Filters
          queryValue={search}
          queryPlaceholder="Search by order name, like #1001"
          onQueryChange={setSearch}
          onQueryClear={() => {
            setSearch("");
            setParams({ q: null });
          }}
          onClearAll={() => {
            setSearch("");
            setParams({ q: null, creator: null, method: null, review: null });
          }}
          loading={loading}
          filters={[
            {
              key: "review",
              label: "Review",
              pinned: true,
              filter: (
                <ChoiceList
                  title="Review"
                  titleHidden
                  choices={reviewStatuses.map((status) => ({ value: status, label: REVIEW_FILTER_LABELS[status] }))}
                  selected={filters.review ? [filters.review] : []}
                  onChange={([value]) => setParams({ review: value ? value.toLowerCase() : null })}
                />
              ),
            },
            {
              key: "creator",
              label: "Creator",
              pinned: true,
              filter: (
                <ChoiceList
                  title="Creator"
                  titleHidden
                  choices={[
                    ...creators.map((creator) => ({ value: creator.id, label: creator.name })),
                    { value: noCreator, label: "Nobody (no creator credited)" },
                  ]}
                  selected={filters.creator ? [filters.creator] : []}
                  onChange={([value]) => setParams({ creator: value ?? null })}
                />
              ),
            },
            {
              key: "method",
              label: "Method",
              pinned: true,
              filter: (
                <ChoiceList
                  title="Method"
                  titleHidden
                  choices={methods.map((method) => ({ value: method, label: METHOD_LABELS[method] }))}
                  selected={filters.method ? [filters.method] : []}
                  onChange={([value]) => setParams({ method: value ? value.toLowerCase() : null })}
                />
              ),
            },
          ]}
          appliedFilters={appliedFilters}
        />
        <IndexTable
          resourceName={{ singular: "order", plural: "orders" }}
          itemCount={page.orders.length}
          selectable={false}
          loading={loading}
          emptyState={
            <EmptySearchResult
              title="No orders match"
              description="Try another name, or remove a filter."
              withIllustration
            />
          }
          headings={[
            { title: "Order" },
            { title: "Date" },
            { title: "Net merchandise", alignment: "end" },
            { title: "Creator" },
            { title: "Method" },
            { title: "Confidence", alignment: "end" },
            { title: "Flags" },
            { title: "Review" },
          ]}
          pagination={{
            hasPrevious: page.previousCursor !== null,
            hasNext: page.nextCursor !== null,
            onPrevious: () => setParams({ before: page.previousCursor, after: null }, { keepCursor: true }),
            onNext: () => setParams({ after: page.nextCursor, before: null }, { keepCursor: true }),
          }}
        >
          {page.orders.map((order, index) => (
            <IndexTable.Row id={order.id} key={order.id} position={index}>
              <IndexTable.Cell>
                <InlineStack gap="200" blockAlign="center" wrap={false}>
                  <Link url={`/app/orders/${order.id}`} removeUnderline dataPrimaryLink>
                    <Text as="span" fontWeight="semibold">
                      {order.name}
                    </Text>
                  </Link>
                  {order.cancelled ? <Badge tone="critical">Cancelled</Badge> : null}
                  {order.test ? <Badge>Test</Badge> : null}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>{order.processedAt}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {order.netMerchandise}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {order.creator ? (
                  order.creator.name
                ) : (
                  <Text as="span" tone="subdued">
                    Nobody
                  </Text>
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>
                <MethodBadge method={order.method} overridden={order.overridden} />
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {order.confidence === null || order.method === "NONE" ? "—" : `${order.confidence}%`}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {order.flags.length > 0 ? (
                  <InlineStack gap="100" wrap={false}>
                    {order.flags.map((flag) => (
                      <Badge key={flag} tone="attention">
                        {flagLabel(flag)}
                      </Badge>
                    ))}
                  </InlineStack>
                ) : (
                  "—"
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>
                {order.reviewStatus && order.reviewStatus !== "NOT_NEEDED" ? (
                  <Badge tone={REVIEW_BADGES[order.reviewStatus].tone}>{REVIEW_BADGES[order.reviewStatus].label}</Badge>
                ) : (
                  "—"
                )}
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}

function MethodBadge({ method, overridden }: { method: AttributionMethod | null; overridden: boolean }) {
  if (method === null)
    return (
      <Text as="span" tone="subdued">
        Not attributed yet
      </Text>
    );
  if (overridden || method === "MANUAL_OVERRIDE") return <Badge tone="info">Override</Badge>;
  if (method === "NONE")
    return (
      <Text as="span" tone="subdued">
        —
      </Text>
    );
  return <Badge>{METHOD_LABELS[method]}</Badge>;
}
