// The columns of the creators CSV the import reads and the template offers, with the words the import page explains
// them in. Kept apart from the parser so the page can build the template in the browser without bundling csv-parse.
import { FUNNEL_STAGE_LABELS, PLATFORM_LABELS } from "~/domain/metrics/segment-labels";
import { MAX_REFERRER_DOMAINS, NICHE_MAX_LENGTH } from "./creator-input";

/** The creator fields a CSV can fill: those of the add form, except the customer account and statements opt-out. */
export type CreatorsCsvField =
  | "name"
  | "email"
  | "handle"
  | "discountCode"
  | "revenueSharePercent"
  | "referrerDomains"
  | "platform"
  | "funnelStage"
  | "niche";

export interface CreatorsCsvColumn {
  field: CreatorsCsvField;
  /** As the template writes it: the add form's label. */
  header: string;
  required: boolean;
  /** What the import page says about the column's values. */
  help: string;
}

export const CREATORS_CSV_MAX_BYTES = 5 * 1024 * 1024;
export const CREATORS_CSV_MAX_ROWS = 10_000;
export const CREATORS_CSV_TOO_LARGE = `The file is larger than ${CREATORS_CSV_MAX_BYTES / (1024 * 1024)} MB: split it into several files`;

export const CREATORS_CSV_COLUMNS: readonly CreatorsCsvColumn[] = [
  { field: "name", header: "Name", required: true, help: "Up to 100 characters." },
  { field: "email", header: "Email", required: false, help: "Where statements are sent. May be blank." },
  {
    field: "handle",
    header: "Handle",
    required: false,
    help: "Lower-case letters, digits and hyphens, like maya-fit. Blank: made from the name, as the add form does.",
  },
  { field: "discountCode", header: "Discount code", required: true, help: "The code the creator shares; one per creator." },
  {
    field: "revenueSharePercent",
    header: "Revenue share (%)",
    required: true,
    help: "Of net merchandise revenue, like 10 or 12.5 (a % sign and a decimal comma are fine).",
  },
  {
    field: "referrerDomains",
    header: "Sites and profiles",
    required: false,
    help: `Where the creator posts, like instagram.com/maya and mayafit.com, separated by spaces, commas or semicolons (up to ${MAX_REFERRER_DOMAINS}).`,
  },
  { field: "platform", header: "Platform", required: false, help: `${Object.values(PLATFORM_LABELS).join(", ")}, or blank.` },
  { field: "funnelStage", header: "Funnel stage", required: false, help: `${Object.values(FUNNEL_STAGE_LABELS).join(", ")}, or blank.` },
  { field: "niche", header: "Niche", required: false, help: `A word or two, up to ${NICHE_MAX_LENGTH} characters, or blank.` },
];

/**
 * How a column name is compared: case, spaces and punctuation aside, so "Discount code", "discount_code" and
 * "DiscountCode" name the same column, and "Revenue share (%)" matches "revenue share %".
 */
export function columnKey(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** The template: the columns' names, one row, as a spreadsheet expects a CSV (CRLF). */
export function creatorsCsvTemplate(): string {
  return `${CREATORS_CSV_COLUMNS.map((column) => column.header).join(",")}\r\n`;
}

/** The column's name as the template writes it. */
export function headerOf(field: CreatorsCsvField): string {
  return CREATORS_CSV_COLUMNS.find((column) => column.field === field)!.header;
}
