/** What the app keeps of a Shopify order: enough to attribute it and to pay for it, and no more. */
export interface OrderFacts {
  shopifyOrderGid: string;
  name: string;
  confirmationNumber: string | null;
  customerGid: string | null;
  currencyCode: string;
  presentmentCurrency: string;
  discountCodes: string[];
  landingSite: string | null;
  referringSite: string | null;
  /** Cart attributes the storefront set (note_attributes / customAttributes). */
  noteAttributes: NoteAttribute[];
  /** hashEmail of the buyer's email: enough to recognise a creator buying with their own code. */
  customerEmailHash: string | null;
  /** Integer minor units of the shop currency. */
  subtotalMinor: bigint;
  totalTaxMinor: bigint;
  shippingMinor: bigint;
  /** Merchandise after discounts, edits and refunds; without shipping, taxes, tips or duties. */
  netMerchandiseMinor: bigint;
  /** netMerchandiseMinor in the shopper's currency, for reporting. */
  presentmentNetMerchandiseMinor: bigint;
  /** The lines' shares of netMerchandiseMinor (they add up to it), for product-specific rates. */
  lines: OrderLine[];
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  financialStatus: string | null;
  /** Where it ships ("US-CA", or "DE" without a province; see shippingRegionOf); null when nothing ships. */
  shippingRegion: string | null;
  test: boolean;
}

export interface OrderLine {
  productGid: string | null;
  netMinor: bigint;
}

export interface NoteAttribute {
  name: string;
  value: string;
}
