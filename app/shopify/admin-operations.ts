// Every Admin GraphQL document the app sends. test/shopify-admin-schema.test.ts validates each one against
// Shopify's published Admin schema for the app's API version, so a renamed field fails the build, not a shop.

const JOURNEY_VISIT = `#graphql
  fragment JourneyVisitFields on CustomerVisit {
    occurredAt
    landingPage
    referrerUrl
    referralCode
    source
    utmParameters { source medium campaign content term }
  }`;

const JOURNEY_SUMMARY = `#graphql
  fragment JourneySummaryFields on CustomerJourneySummary {
    ready
    firstVisit { ...JourneyVisitFields }
    lastVisit { ...JourneyVisitFields }
  }
  ${JOURNEY_VISIT}`;

export const SHOP_DETAILS_QUERY = `#graphql
  query ShopDetails {
    shop {
      name
      currencyCode
      ianaTimezone
      primaryDomain { url }
    }
  }`;

export const ORDER_JOURNEY_QUERY = `#graphql
  query OrderJourney($id: ID!) {
    order(id: $id) {
      id
      customerJourneySummary { ...JourneySummaryFields }
    }
  }
  ${JOURNEY_SUMMARY}`;

const MONEY_BAG_FIELDS = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }";
const VISIT_FIELDS =
  "occurredAt landingPage referrerUrl referralCode source utmParameters { source medium campaign content term }";

/**
 * The inner query of the orders bulk operation: everything parseGraphqlOrder reads (the facts an orders/updated
 * webhook carries, plus the journey). Bulk queries take no variables, so the search filter is written into the text;
 * nested connections come back as their own JSONL lines (with __parentId), grouped after their order because the
 * mutation asks for groupObjects (so the result streams order by order).
 */
export function bulkOrdersQuery(search: string | null): string {
  const args = search === null ? "sortKey: UPDATED_AT" : `query: ${JSON.stringify(search)}, sortKey: UPDATED_AT`;
  return `#graphql
  {
    orders(${args}) {
      edges {
        node {
          id
          name
          confirmationNumber
          createdAt
          processedAt
          updatedAt
          cancelledAt
          test
          currencyCode
          presentmentCurrencyCode
          taxesIncluded
          displayFinancialStatus
          email
          customer { id }
          shippingAddress { countryCodeV2 provinceCode }
          discountCodes
          customAttributes { key value }
          subtotalPriceSet { ${MONEY_BAG_FIELDS} }
          currentSubtotalPriceSet { ${MONEY_BAG_FIELDS} }
          totalTaxSet { ${MONEY_BAG_FIELDS} }
          currentTotalTaxSet { ${MONEY_BAG_FIELDS} }
          totalShippingPriceSet { ${MONEY_BAG_FIELDS} }
          customerJourneySummary {
            ready
            firstVisit { ${VISIT_FIELDS} }
            lastVisit { ${VISIT_FIELDS} }
          }
          shippingLines {
            edges { node { id taxLines { priceSet { ${MONEY_BAG_FIELDS} } } } }
          }
          lineItems {
            edges {
              node {
                id
                product { id }
                quantity
                currentQuantity
                originalUnitPriceSet { ${MONEY_BAG_FIELDS} }
                discountAllocations { allocatedAmountSet { ${MONEY_BAG_FIELDS} } }
              }
            }
          }
        }
      }
    }
  }`;
}

export const BULK_OPERATION_RUN_QUERY_MUTATION = `#graphql
  mutation OrdersBulkQuery($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: true) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }`;

export const BULK_OPERATION_QUERY = `#graphql
  query OrdersBulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      url
      partialDataUrl
    }
  }`;

export const ORDERS_COUNT_QUERY = `#graphql
  query OrdersCount($query: String) {
    ordersCount(query: $query, limit: null) { count precision }
  }`;

const CODE_DISCOUNT = `#graphql
  fragment CodeDiscountFields on DiscountCodeNode {
    id
    codeDiscount {
      ... on DiscountCodeBasic {
        title
        status
        codes(first: 250) { nodes { code } }
      }
      ... on DiscountCodeBxgy {
        title
        status
        codes(first: 250) { nodes { code } }
      }
      ... on DiscountCodeFreeShipping {
        title
        status
        codes(first: 250) { nodes { code } }
      }
    }
  }`;

export const DISCOUNT_CODE_BASIC_CREATE_MUTATION = `#graphql
  mutation CreatorDiscountCodeCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode { ...CodeDiscountFields }
      userErrors { field message code }
    }
  }
  ${CODE_DISCOUNT}`;

export const CODE_DISCOUNT_BY_CODE_QUERY = `#graphql
  query CodeDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) { ...CodeDiscountFields }
  }
  ${CODE_DISCOUNT}`;

export const CODE_DISCOUNT_NODE_QUERY = `#graphql
  query CodeDiscountNode($id: ID!) {
    codeDiscountNode(id: $id) { ...CodeDiscountFields }
  }
  ${CODE_DISCOUNT}`;

/** Products whose title matches what the merchant typed (search syntax: app/shopify/search-syntax.ts), for a picker. */
export const CATALOG_PRODUCTS_QUERY = `#graphql
  query CatalogProducts($query: String, $first: Int!) {
    products(first: $first, query: $query, sortKey: TITLE) {
      nodes { id title status }
    }
  }`;

/** Collections whose title matches what the merchant typed, with how many products each holds, for a picker. */
export const CATALOG_COLLECTIONS_QUERY = `#graphql
  query CatalogCollections($query: String, $first: Int!) {
    collections(first: $first, query: $query, sortKey: TITLE) {
      nodes { id title productsCount { count precision } }
    }
  }`;

/**
 * One page of a collection's products (250, the most a page holds), in the collection's own order; null when the
 * collection no longer exists. The sync follows endCursor page by page.
 */
export const COLLECTION_PRODUCTS_QUERY = `#graphql
  query CollectionProducts($id: ID!, $after: String) {
    collection(id: $id) {
      id
      title
      products(first: 250, after: $after) {
        nodes { id }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

// The fields a seeding cost reads, the same whether the variant was searched or looked up by id.
const COST_VARIANT_FIELDS = `#graphql
  fragment CostVariantFields on ProductVariant {
    id
    title
    displayName
    sku
    image { url }
    product { id title featuredMedia { preview { image { url } } } }
    inventoryItem { unitCost { amount currencyCode } }
  }`;

/**
 * Variants whose product title, variant title or SKU have words starting with each word typed (Shopify's default
 * search fields), by full title, with their cost per item for a seeding cost.
 */
export const CATALOG_VARIANTS_QUERY = `#graphql
  query CatalogVariants($query: String, $first: Int!) {
    productVariants(first: $first, query: $query, sortKey: FULL_TITLE) {
      nodes { ...CostVariantFields }
    }
  }
  ${COST_VARIANT_FIELDS}`;

/** One variant's cost per item as Shopify holds it now, read again when a seeding cost is saved; null when deleted. */
export const VARIANT_UNIT_COST_QUERY = `#graphql
  query VariantUnitCost($id: ID!) {
    productVariant(id: $id) { ...CostVariantFields }
  }
  ${COST_VARIANT_FIELDS}`;

export const ADMIN_OPERATIONS = {
  SHOP_DETAILS_QUERY,
  ORDER_JOURNEY_QUERY,
  BULK_ORDERS_QUERY: bulkOrdersQuery("updated_at:>='2026-11-01T00:00:00.000Z'"),
  BULK_ORDERS_QUERY_ALL_HISTORY: bulkOrdersQuery(null),
  BULK_OPERATION_RUN_QUERY_MUTATION,
  BULK_OPERATION_QUERY,
  ORDERS_COUNT_QUERY,
  DISCOUNT_CODE_BASIC_CREATE_MUTATION,
  CODE_DISCOUNT_BY_CODE_QUERY,
  CODE_DISCOUNT_NODE_QUERY,
  CATALOG_PRODUCTS_QUERY,
  CATALOG_COLLECTIONS_QUERY,
  COLLECTION_PRODUCTS_QUERY,
  CATALOG_VARIANTS_QUERY,
  VARIANT_UNIT_COST_QUERY,
} as const;
