// The catalog as the Admin GraphQL API shows it: products, their variants and collections as plain objects shaped
// like the schema's types (fields with arguments are functions), the list queries with Shopify's search syntax and
// sort keys, and a collection's products paged in the collection's own order.
import type { Catalog, SimCollection, SimProduct, SimVariant } from "./catalog";
import { collectionGid, productGid, variantGid } from "./catalog";
import { paginate, type PageArgs, type SortPosition } from "./connections";
import { formatAmount } from "./money";
import { graphqlDateTime, graphqlDecimal } from "./order-graphql";
import { matchesSearch, parseSearchQuery } from "./search-query";

export interface CatalogListArgs extends PageArgs {
  query?: string | null;
  sortKey?: string | null;
}

export interface CatalogViewContext {
  catalog: Catalog;
  currency: string;
}

/** `products(first:, after:, query:, sortKey:)`: the query searches title, handle, vendor and SKUs by default. */
export function productsConnection(context: CatalogViewContext, args: CatalogListArgs) {
  const search = parseSearchQuery(args.query);
  const matching = context.catalog.products.filter((product) =>
    matchesSearch(search, (field) => productField(context.catalog, product, field)),
  );
  return paginate(matching, (product) => productSortPosition(product, args.sortKey), args, (product) => productNode(product, context));
}

/** `collections(first:, after:, query:, sortKey:)`: the query searches titles by default. */
export function collectionsConnection(context: CatalogViewContext, args: CatalogListArgs) {
  const search = parseSearchQuery(args.query);
  const matching = context.catalog
    .listCollections()
    .filter((collection) => matchesSearch(search, (field) => collectionField(context.catalog, collection, field)));
  return paginate(matching, (collection) => collectionSortPosition(collection, args.sortKey), args, (collection) =>
    collectionNode(collection, context),
  );
}

/**
 * `productVariants(first:, after:, query:, sortKey:)`: the query searches product title, variant title, SKU and
 * vendor by default.
 */
export function productVariantsConnection(context: CatalogViewContext, args: CatalogListArgs) {
  const search = parseSearchQuery(args.query);
  const matching = context.catalog.products.flatMap((product) =>
    product.variants
      .filter((variant) => matchesSearch(search, (field) => variantField(product, variant, field)))
      .map((variant) => ({ product, variant })),
  );
  return paginate(
    matching,
    ({ product, variant }) => variantSortPosition(product, variant, args.sortKey),
    args,
    ({ product, variant }) => productVariantNode(product, variant, context),
  );
}

/** `productVariant(id:)`: null for an unknown id, as Shopify answers. */
export function productVariantById(context: CatalogViewContext, id: string): Record<string, unknown> | null {
  const found = id.startsWith("gid://shopify/ProductVariant/") ? context.catalog.variant(id) : undefined;
  return found ? productVariantNode(found.product, found.variant, context) : null;
}

export function productVariantNode(product: SimProduct, variant: SimVariant, context: CatalogViewContext): Record<string, unknown> {
  const money = (minor: number) => ({ amount: graphqlDecimal(formatAmount(minor, context.currency)), currencyCode: context.currency });
  // Shopify names a product without options' only variant "Default Title"; displayName joins it to the product's.
  const title = variant.title ?? "Default Title";
  const cost = variant.unitCostMinor ?? null;
  return {
    __typename: "ProductVariant",
    id: variantGid(variant),
    legacyResourceId: String(variant.id),
    title,
    displayName: `${product.title} - ${title}`,
    sku: variant.sku,
    barcode: null,
    price: graphqlDecimal(formatAmount(variant.priceMinor, context.currency)),
    compareAtPrice: null,
    position: product.variants.indexOf(variant) + 1,
    availableForSale: true,
    taxable: true,
    inventoryQuantity: 100,
    createdAt: graphqlDateTime(product.createdAt),
    updatedAt: graphqlDateTime(product.updatedAt),
    image: null,
    product: productNode(product, context),
    inventoryItem: {
      __typename: "InventoryItem",
      id: `gid://shopify/InventoryItem/${variant.id}`,
      legacyResourceId: String(variant.id),
      sku: variant.sku,
      tracked: true,
      requiresShipping: true,
      // Shopify keeps the cost in the shop's currency; null when the merchant never entered one.
      unitCost: cost === null ? null : money(cost),
      createdAt: graphqlDateTime(product.createdAt),
      updatedAt: graphqlDateTime(product.updatedAt),
    },
  };
}

export function productNode(product: SimProduct, context: CatalogViewContext): Record<string, unknown> {
  const prices = product.variants.map((variant) => variant.priceMinor);
  const money = (minor: number) => ({ amount: graphqlDecimal(formatAmount(minor, context.currency)), currencyCode: context.currency });
  return {
    __typename: "Product",
    id: productGid(product),
    legacyResourceId: String(product.id),
    title: product.title,
    handle: product.handle,
    vendor: product.vendor,
    productType: "",
    status: "ACTIVE",
    tags: [],
    description: "",
    descriptionHtml: "",
    isGiftCard: false,
    hasOnlyDefaultVariant: product.variants.length === 1 && product.variants[0]!.title === null,
    totalInventory: 100,
    tracksInventory: true,
    onlineStoreUrl: null,
    createdAt: graphqlDateTime(product.createdAt),
    updatedAt: graphqlDateTime(product.updatedAt),
    publishedAt: graphqlDateTime(product.createdAt),
    featuredMedia: null,
    priceRangeV2: { maxVariantPrice: money(Math.max(...prices)), minVariantPrice: money(Math.min(...prices)) },
    variantsCount: { count: product.variants.length, precision: "EXACT" },
    collections: (args: CatalogListArgs) => {
      const collections = context.catalog.collectionsOf(product);
      return paginate(collections, (collection) => collectionSortPosition(collection, args.sortKey), args, (collection) =>
        collectionNode(collection, context),
      );
    },
    inCollection: ({ id }: { id: string }) => context.catalog.collectionsOf(product).some((collection) => collectionGid(collection) === id),
  };
}

export function collectionNode(collection: SimCollection, context: CatalogViewContext): Record<string, unknown> {
  const members = () => context.catalog.productsOf(collection);
  return {
    __typename: "Collection",
    id: collectionGid(collection),
    legacyResourceId: String(collection.id),
    title: collection.title,
    handle: collection.handle,
    description: "",
    descriptionHtml: "",
    sortOrder: "MANUAL",
    templateSuffix: null,
    ruleSet: null,
    image: null,
    seo: { title: null, description: null },
    updatedAt: graphqlDateTime(collection.updatedAt),
    productsCount: { count: collection.members.length, precision: "EXACT" },
    hasProduct: ({ id }: { id: string }) => members().some((product) => productGid(product) === id),
    // COLLECTION_DEFAULT (and MANUAL) is the merchant's order: positions only grow, so a cursor stays meaningful
    // when products are added or removed between pages.
    products: (args: CatalogListArgs) =>
      paginate(
        members(),
        (product) => collectionProductPosition(context.catalog, collection, product, args.sortKey),
        args,
        (product) => productNode(product, context),
      ),
  };
}

function productField(catalog: Catalog, product: SimProduct, field: string | null): (string | number)[] | undefined {
  switch (field) {
    case null:
      return [product.title, product.handle, product.vendor, ...product.variants.map((variant) => variant.sku)];
    case "title":
      return [product.title];
    case "handle":
      return [product.handle];
    case "vendor":
      return [product.vendor];
    case "sku":
      return product.variants.map((variant) => variant.sku);
    case "id":
      return [product.id];
    case "collection_id":
      return catalog.collectionsOf(product).map((collection) => collection.id);
    default:
      return undefined;
  }
}

function variantField(product: SimProduct, variant: SimVariant, field: string | null): (string | number)[] | undefined {
  switch (field) {
    case null:
      return [product.title, variant.title ?? "Default Title", variant.sku, product.vendor];
    case "title":
      return [variant.title ?? "Default Title"];
    case "sku":
      return [variant.sku];
    case "vendor":
      return [product.vendor];
    case "id":
      return [variant.id];
    case "product_id":
      return [product.id];
    default:
      return undefined;
  }
}

function variantSortPosition(product: SimProduct, variant: SimVariant, sortKey: string | null | undefined): SortPosition {
  switch (sortKey) {
    case "FULL_TITLE":
      return [`${product.title} - ${variant.title ?? "Default Title"}`.toLowerCase(), variant.id];
    case "TITLE":
      return [(variant.title ?? "Default Title").toLowerCase(), variant.id];
    case "SKU":
      return [variant.sku.toLowerCase(), variant.id];
    default:
      return [variant.id, variant.id];
  }
}

function collectionField(catalog: Catalog, collection: SimCollection, field: string | null): (string | number)[] | undefined {
  switch (field) {
    case null:
    case "title":
      return [collection.title];
    case "handle":
      return [collection.handle];
    case "id":
      return [collection.id];
    case "product_id":
      return catalog.productsOf(collection).map((product) => product.id);
    case "collection_type":
      return ["custom"];
    default:
      return undefined;
  }
}

function productSortPosition(product: SimProduct, sortKey: string | null | undefined): SortPosition {
  switch (sortKey) {
    case "TITLE":
      return [product.title.toLowerCase(), product.id];
    case "VENDOR":
      return [product.vendor.toLowerCase(), product.id];
    case "CREATED_AT":
      return [product.createdAt.getTime(), product.id];
    case "UPDATED_AT":
      return [product.updatedAt.getTime(), product.id];
    default:
      return [product.id, product.id];
  }
}

function collectionSortPosition(collection: SimCollection, sortKey: string | null | undefined): SortPosition {
  switch (sortKey) {
    case "TITLE":
      return [collection.title.toLowerCase(), collection.id];
    case "UPDATED_AT":
      return [collection.updatedAt.getTime(), collection.id];
    default:
      return [collection.id, collection.id];
  }
}

function collectionProductPosition(catalog: Catalog, collection: SimCollection, product: SimProduct, sortKey: string | null | undefined): SortPosition {
  switch (sortKey) {
    case "TITLE":
      return [product.title.toLowerCase(), product.id];
    case "ID":
      return [product.id, product.id];
    case "CREATED":
      return [product.createdAt.getTime(), product.id];
    default:
      return [catalog.positionIn(collection, product), product.id];
  }
}
