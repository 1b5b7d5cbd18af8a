import { z } from "zod";

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: z.string().url(),
  SCOPES: z.string().default("read_orders,read_discounts,write_discounts,read_customers"),
  // Namespaces BullMQ keys so that tests, demos and deployments can share one Redis.
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("creator-ledger"),
  // Only set against the local admin harness. The same variable shopify-app-remix reads for the pages it renders
  // itself (session-token bounce, exit-iframe); unset, App Bridge comes from Shopify's CDN.
  APP_BRIDGE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      throw new Error(`Invalid environment (see .env.example):\n  ${problems.join("\n  ")}`);
    }
    cached = parsed.data;
  }
  return cached;
}
