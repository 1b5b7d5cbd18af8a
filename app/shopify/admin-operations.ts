// Every Admin GraphQL document the app sends. test/shopify-admin-schema.test.ts validates each one against
// Shopify's published Admin schema for the app's API version, so a renamed field fails the build, not a shop.

const MONEY_BAG = `#graphql
  fragment MoneyBagFields on MoneyBag {
    shopMoney { amount currencyCode }
    presentmentMoney { amount currencyCode }
  }`;

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

/** Everything parseGraphqlOrder reads: the same facts an orders/updated webhook carries, plus the journey. */
const SYNCED_ORDER = `#graphql
  fragment SyncedOrderFields on Order {
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
    discountCodes
    customAttributes { key value }
    subtotalPriceSet { ...MoneyBagFields }
    currentSubtotalPriceSet { ...MoneyBagFields }
    totalTaxSet { ...MoneyBagFields }
    currentTotalTaxSet { ...MoneyBagFields }
    totalShippingPriceSet { ...MoneyBagFields }
    shippingLines(first: 20) {
      nodes { taxLines { priceSet { ...MoneyBagFields } } }
    }
    lineItems(first: 250) {
      nodes {
        product { id }
        quantity
        currentQuantity
        originalUnitPriceSet { ...MoneyBagFields }
        discountAllocations { allocatedAmountSet { ...MoneyBagFields } }
      }
    }
    customerJourneySummary { ...JourneySummaryFields }
  }
  ${MONEY_BAG}
  ${JOURNEY_SUMMARY}`;

export const ORDERS_PAGE_QUERY = `#graphql
  query OrdersPage($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes { ...SyncedOrderFields }
      pageInfo { hasNextPage endCursor }
    }
  }
  ${SYNCED_ORDER}`;

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

export const ADMIN_OPERATIONS = {
  SHOP_DETAILS_QUERY,
  ORDER_JOURNEY_QUERY,
  ORDERS_PAGE_QUERY,
  ORDERS_COUNT_QUERY,
  DISCOUNT_CODE_BASIC_CREATE_MUTATION,
  CODE_DISCOUNT_BY_CODE_QUERY,
  CODE_DISCOUNT_NODE_QUERY,
} as const;
