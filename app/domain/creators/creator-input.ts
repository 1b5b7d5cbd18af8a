// What a creator is made of, as the add and edit forms and the CSV import check it: one set of rules and messages
// for every way a creator comes in. Pure (zod only), so the import's parsing stays in the domain.
import { z } from "zod";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { FUNNEL_STAGE_LABELS, PLATFORM_LABELS, type CreatorPlatform, type FunnelStage } from "~/domain/metrics/segment-labels";
import { fieldErrorsOf } from "~/utils/field-errors";

/** A creator's handle: the `ref` of their links and the default utm_campaign. Lower-case, 1–40 characters. */
export const HANDLE_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const MAX_REFERRER_DOMAINS = 20;

const HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])$/;

/**
 * A site or profile the creator sends shoppers from, as attribution matches it: lower-case host and optional path,
 * without scheme, leading "www.", query, fragment or trailing slash ("https://www.MayaFit.com/" → "mayafit.com",
 * "instagram.com/maya/" → "instagram.com/maya"). Null when the entry is not a web address.
 */
export function normalizeReferrerDomain(entry: string): string | null {
  const value = entry
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  if (value === "" || value.length > 255 || /[\s\\]/.test(value) || value.startsWith("/")) return null;
  let url: URL;
  try {
    url = new URL(`https://${value}`);
  } catch {
    return null;
  }
  // "maya@gmail.com" is an email address, not a site (tiktok.com/@maya is fine: the @ is in the path).
  if (url.port !== "" || url.username !== "" || url.password !== "") return null;
  const host = url.hostname.replace(/^www\./, "");
  if (host.length > 253 || !HOST_PATTERN.test(host)) return null;
  return host + url.pathname.replace(/\/+$/, "");
}

/** "gid://shopify/Customer/123", "123" or the customer's admin page address → "gid://shopify/Customer/123"; else null. */
export function parseCustomerGid(value: string): string | null {
  const id =
    /^(?:gid:\/\/shopify\/Customer\/)?([1-9]\d{0,19})$/.exec(value)?.[1] ??
    /^https:\/\/[a-z0-9.-]+\/[^?#]*\/customers\/([1-9]\d{0,19})(?:[/?#].*)?$/i.exec(value)?.[1];
  return id ? `gid://shopify/Customer/${id}` : null;
}

/** A form posts text; tests and seeds may pass nothing (optional fields) or a list (referrer domains). */
// preprocess, not a union with undefined: zod only lets an object key be missing when its schema starts this way.
const optionalText = z
  .preprocess((value) => value ?? "", z.union([z.string(), z.array(z.string())]))
  .transform((value) => (Array.isArray(value) ? value.join("\n") : value));

const referrerDomainsSchema = optionalText.pipe(
  z
    .string()
    .max(10_000, "Enter at most 20 sites, one per line")
    .transform((text, ctx) => {
      const lines = text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== "");
      const invalid = lines.filter((line) => normalizeReferrerDomain(line) === null);
      if (invalid.length > 0) {
        const first = invalid[0]!.length > 60 ? `${invalid[0]!.slice(0, 57)}…` : invalid[0]!;
        const more = invalid.length > 1 ? ` (and ${invalid.length - 1} more)` : "";
        ctx.addIssue({
          code: "custom",
          message: `“${first}”${more} is not a site address. Enter one per line, like mayafit.com or instagram.com/maya`,
        });
        return z.NEVER;
      }
      const domains = [...new Set(lines.map((line) => normalizeReferrerDomain(line)!))];
      if (domains.length > MAX_REFERRER_DOMAINS) {
        ctx.addIssue({
          code: "custom",
          message: `Enter at most ${MAX_REFERRER_DOMAINS} sites (there are ${domains.length}): keep the ones the creator posts from most`,
        });
        return z.NEVER;
      }
      return domains;
    }),
);

const customerGidSchema = optionalText.pipe(
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      if (value === "") return null;
      const gid = parseCustomerGid(value);
      if (!gid) {
        ctx.addIssue({
          code: "custom",
          message:
            "Enter the customer ID from their customer page in Shopify (the number at the end of its address, like 7421983321), or leave it blank",
        });
        return z.NEVER;
      }
      return gid;
    }),
);

/** Niche is a free-text segment tag ("running", "vegan baking"): short enough to read as a badge. */
export const NICHE_MAX_LENGTH = 60;

/** A select posts "" for "not set"; seeds and tests may leave the field out. Both mean no value. */
function optionalChoice<T extends string>(values: readonly [T, ...T[]], message: string) {
  return z.preprocess((value) => (value === "" || value === undefined ? null : value), z.enum(values, { error: message }).nullable());
}

/** The database enums' values (CreatorPlatform, FunnelStage), in the order the forms list them. */
export const CREATOR_PLATFORMS = Object.keys(PLATFORM_LABELS) as [CreatorPlatform, ...CreatorPlatform[]];
export const FUNNEL_STAGES = Object.keys(FUNNEL_STAGE_LABELS) as [FunnelStage, ...FunnelStage[]];

/** Segment tags the leaderboard and dashboard filter and break down by; each one optional. */
const segmentSchema = {
  platform: optionalChoice(CREATOR_PLATFORMS, "Choose where the creator publishes from the list"),
  funnelStage: optionalChoice(FUNNEL_STAGES, "Choose a funnel stage from the list"),
  niche: optionalText.pipe(
    z
      .string()
      .trim()
      .max(NICHE_MAX_LENGTH, `Keep the niche to ${NICHE_MAX_LENGTH} characters or fewer, like running or vegan baking`)
      .transform((value) => (value === "" ? null : value)),
  ),
};

export const creatorInputSchema = z.object({
  name: z.string({ error: "Enter the creator's name" }).trim().min(1, "Enter the creator's name").max(100, "Keep the name under 100 characters"),
  email: z
    .string({ error: "Enter the creator's email address, or leave it blank" })
    .trim()
    .max(254, "Email is too long")
    .transform((value) => (value === "" ? null : value.toLowerCase()))
    .pipe(z.email("Enter a valid email address, like name@example.com").nullable()),
  handle: optionalText.pipe(
    z
      .string()
      .trim()
      .toLowerCase()
      .min(1, "Enter a handle, like maya-fit")
      .max(40, "Keep the handle to 40 characters or fewer")
      .regex(HANDLE_PATTERN, "Use lower-case letters, digits and hyphens, starting and ending with a letter or digit, like maya-fit"),
  ),
  referrerDomains: referrerDomainsSchema,
  customerGid: customerGidSchema,
  // A checkbox: sent as "on" when ticked, absent otherwise.
  statementsOptOut: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
  discountCode: z
    .string({ error: "Enter the creator's discount code" })
    .trim()
    .min(1, "Enter the discount code this creator shares")
    .max(255, "Shopify discount codes are at most 255 characters")
    .refine((code) => normalizeDiscountCode(code).length > 0, "Enter the discount code this creator shares"),
  revenueSharePercent: z
    .string({ error: "Enter the revenue share, like 10" })
    .trim()
    .regex(/^\d{1,3}(\.\d{1,2})?$/, "Enter a percentage like 10 or 12.5 (at most two decimals)")
    .refine((value) => Number(value) <= 100, "Revenue share cannot exceed 100%"),
  ...segmentSchema,
});

/** Editing changes who the creator is; how they are paid lives on their contract (app/models/contract.server.ts). */
export const creatorEditSchema = creatorInputSchema.omit({ revenueSharePercent: true });

export type CreatorInput = z.input<typeof creatorInputSchema>;
export type CreatorFieldErrors = Partial<Record<keyof CreatorInput, string>>;
/** A creator as checked: trimmed, lower-cased where it matters, sites normalized, blanks as null. */
export type CreatorInputValues = z.output<typeof creatorInputSchema>;

export function validateCreatorInput(
  raw: Record<string, unknown>,
): { ok: true; input: CreatorInputValues } | { ok: false; fieldErrors: CreatorFieldErrors } {
  const parsed = creatorInputSchema.safeParse(raw);
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}

export function validateCreatorEdit(
  raw: Record<string, unknown>,
): { ok: true; input: z.output<typeof creatorEditSchema> } | { ok: false; fieldErrors: CreatorFieldErrors } {
  const parsed = creatorEditSchema.safeParse(raw);
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}
