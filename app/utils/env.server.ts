import { z } from "zod";

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: z.string().url(),
  SCOPES: z.string().default("read_orders,read_discounts,write_discounts,read_customers,read_products"),
  // Namespaces BullMQ keys so that tests, demos and deployments can share one Redis.
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("creator-ledger"),
  // Only set against the local admin harness. The same variable shopify-app-remix reads for the pages it renders
  // itself (session-token bounce, exit-iframe); unset, App Bridge comes from Shopify's CDN.
  APP_BRIDGE_URL: z.string().url().optional(),
  // How long a stopping worker lets running jobs finish before leaving them to the queue (below the ~30 s most
  // orchestrators wait between SIGTERM and SIGKILL).
  WORKER_SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(0).default(25_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Creator statements go out over SMTP: either SMTP_URL (smtp://user:pass@host:587, smtps://… for implicit TLS)
  // or SMTP_HOST with SMTP_PORT, SMTP_USER, SMTP_PASS and SMTP_SECURE. STATEMENTS_FROM is the sender's address.
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "SMTP_URL must look like smtp://user:pass@host:587 or smtps://…" }).optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASS: z.string().min(1).optional(),
  SMTP_SECURE: z.enum(["true", "false"]).transform((value) => value === "true").optional(),
  STATEMENTS_FROM: z.email("STATEMENTS_FROM must be an email address, like statements@example.com").optional(),
}).superRefine((value, ctx) => {
  const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (value.SMTP_URL && value.SMTP_HOST) problem("SMTP_HOST", "set either SMTP_URL or SMTP_HOST, not both");
  if ((value.SMTP_URL || value.SMTP_HOST) && !value.STATEMENTS_FROM) problem("STATEMENTS_FROM", "required with SMTP: the address statements are sent from");
  if (Boolean(value.SMTP_USER) !== Boolean(value.SMTP_PASS)) problem("SMTP_PASS", "SMTP_USER and SMTP_PASS go together");
  if (!value.SMTP_HOST && (value.SMTP_PORT || value.SMTP_USER)) problem("SMTP_HOST", "SMTP_PORT, SMTP_USER and SMTP_PASS need SMTP_HOST");
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Reads an environment; throws one error that lists every problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment (see .env.example):\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
