import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { RecoveringPrismaSessionStorage } from "./utils/session-storage.server";
import { prisma } from "./db.server";
import { installShop } from "./models/shop.server";
import { env } from "./utils/env.server";
import { SHOP_DETAILS_QUERY } from "./shopify/admin-operations";

// The one Shopify API version of the app: shopify.app.toml and the checkout extension use the same.
export const SHOPIFY_API_VERSION = ApiVersion.July26;

const config = env();

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: SHOPIFY_API_VERSION,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new RecoveringPrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      const response = await admin.graphql(SHOP_DETAILS_QUERY);
      const { data } = (await response.json()) as {
        data: { shop: { name: string; currencyCode: string; ianaTimezone: string; primaryDomain: { url: string } | null } };
      };
      await installShop({
        domain: session.shop,
        name: data.shop.name,
        currencyCode: data.shop.currencyCode,
        timezone: data.shop.ianaTimezone,
        storefrontUrl: data.shop.primaryDomain?.url ?? null,
      });
    },
  },
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const sessionStorage = shopify.sessionStorage;
