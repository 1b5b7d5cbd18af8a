// Reads a merchant's creators CSV: each row checked by the add form's own rules (creator-input.ts), each problem
// named by row, column and reason. Never throws on what a file contains; a file that cannot be read as creators at
// all (not text, no header, too big) is refused with one reason.
import { CsvError, parse } from "csv-parse/sync";
import { normalizeDiscountCode } from "~/domain/attribution/normalize-discount-code";
import { FUNNEL_STAGE_LABELS, PLATFORM_LABELS } from "~/domain/metrics/segment-labels";
import { validateCreatorInput, type CreatorInputValues } from "./creator-input";
import {
  columnKey,
  CREATORS_CSV_COLUMNS,
  CREATORS_CSV_MAX_BYTES,
  CREATORS_CSV_MAX_ROWS,
  CREATORS_CSV_TOO_LARGE,
  type CreatorsCsvColumn,
  type CreatorsCsvField,
} from "./creators-csv-columns";
import { suggestHandle } from "./suggest-handle";
import { startsLikeFormula } from "../spreadsheet-text";

export interface CreatorsCsvProblem {
  /** The row as a spreadsheet numbers it: the column names are row 1. */
  row: number;
  /** The column as the template names it; null when the row as a whole is wrong (its number of values). */
  column: string | null;
  reason: string;
}

export interface CreatorsCsvRow {
  row: number;
  /** The creator as the add form would save it; null when one of the row's values is wrong. */
  creator: CreatorInputValues | null;
  /** The handle cell was blank and the handle was made from the name. */
  handleSuggested: boolean;
  /**
   * The discount code (as written, and as orders match it) and the handle, whenever they are valid by themselves,
   * even on a row with other problems: a code or handle another row or creator has is then reported in the same pass.
   */
  discountCode: { code: string; normalized: string } | null;
  handle: string | null;
  problems: CreatorsCsvProblem[];
}

export type CreatorsCsv =
  | { ok: false; reason: string }
  | {
      ok: true;
      rows: CreatorsCsvRow[];
      /** Column names the file has that the import does not read, as the file writes them. */
      ignoredColumns: string[];
    };

const DELIMITERS = [",", ";", "\t"] as const;
const DELIMITER_NAMES: Record<(typeof DELIMITERS)[number], string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

const COLUMN_BY_KEY = new Map<string, CreatorsCsvColumn>(
  CREATORS_CSV_COLUMNS.flatMap((column) => [
    [columnKey(column.header), column],
    [columnKey(column.field), column],
  ]),
);

const PLATFORM_BY_KEY = choiceKeys(PLATFORM_LABELS);
const FUNNEL_STAGE_BY_KEY = choiceKeys(FUNNEL_STAGE_LABELS);

export function readCreatorsCsv(bytes: Uint8Array): CreatorsCsv {
  if (bytes.byteLength > CREATORS_CSV_MAX_BYTES) {
    return refuse(CREATORS_CSV_TOO_LARGE);
  }
  let text: string;
  try {
    // fatal: a file in another encoding (Excel's "CSV" on Windows is Windows-1252) would otherwise import mangled
    // names. The decoder drops a UTF-8 byte order mark.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return refuse("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”; Google Sheets and Numbers export CSV as UTF-8");
  }
  if (text.includes("\u0000")) {
    // UTF-16 text ("Unicode text" in Excel) without its byte order mark decodes as UTF-8 with a NUL in every other
    // byte; no creator's value can hold one either (PostgreSQL text cannot).
    return refuse("The file holds NUL characters, as UTF-16 text does. In Excel, save it as “CSV UTF-8”");
  }
  if (text.trim() === "") return refuse("The file is empty. Start from the template: its first row names the columns");

  const delimiter = detectDelimiter(text);
  let header: string[] | null = null;
  let dataRows = 0;
  const records: { row: number; cells: string[] }[] = [];
  try {
    parse(text, {
      delimiter,
      relax_column_count: true,
      // A stray quote inside an unquoted value (5" screen) is kept as written rather than refusing the file.
      relax_quotes: true,
      // The file's size is the limit; a long value is then refused by its column's rule, on its row.
      max_record_size: CREATORS_CSV_MAX_BYTES,
      // Records are kept here rather than returned, so that a file of blank lines costs nothing and reading stops
      // holding rows once there are too many.
      on_record: (cells: string[], context) => {
        if (context.records === 1) header = cells;
        else if (cells.some((cell) => cell.trim() !== "") && ++dataRows <= CREATORS_CSV_MAX_ROWS) {
          records.push({ row: context.records, cells });
        }
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) return refuse(csvErrorReason(error));
    throw error;
  }
  if (dataRows > CREATORS_CSV_MAX_ROWS) {
    return refuse(
      `The file has ${dataRows.toLocaleString("en-US")} creators; import at most ${CREATORS_CSV_MAX_ROWS.toLocaleString("en-US")} at a time: split it into several files`,
    );
  }

  const columns = readHeader(header ?? []);
  if (!columns.ok) return columns;
  if (records.length === 0) return refuse("The file names its columns but has no creators below them");

  const ignoredColumns = [...columns.ignored];
  for (const index of columns.unnamed) {
    if (records.some(({ cells }) => (cells[index] ?? "").trim() !== "")) ignoredColumns.push(`column ${index + 1} (no name)`);
  }
  return {
    ok: true,
    rows: records.map(({ row, cells }) => readRow(row, cells, columns.positions, columns.width, delimiter)),
    ignoredColumns,
  };
}

function refuse(reason: string): CreatorsCsv {
  return { ok: false, reason };
}

/**
 * The delimiter that makes the most of the first row's names known columns (commas, or semicolons where Excel uses
 * a decimal comma, or tabs); ties go to the one giving more columns, then to the comma. Decided on the header alone,
 * with the parser's own quoting rules: csv-parse's `delimiter_auto` scores every character of the first lines and
 * fails on quoted values that contain the delimiter.
 */
function detectDelimiter(text: string): (typeof DELIMITERS)[number] {
  const head = text.slice(0, 64 * 1024);
  let best: { delimiter: (typeof DELIMITERS)[number]; known: number; width: number } = { delimiter: ",", known: -1, width: 0 };
  for (const delimiter of DELIMITERS) {
    let names: string[];
    try {
      names = (parse(head, { delimiter, to: 1, relax_column_count: true, relax_quotes: true }) as string[][])[0] ?? [];
    } catch (error) {
      if (error instanceof CsvError) continue;
      throw error;
    }
    const known = names.filter((name) => COLUMN_BY_KEY.has(columnKey(name))).length;
    if (known > best.known || (known === best.known && names.length > best.width)) best = { delimiter, known, width: names.length };
  }
  return best.delimiter;
}

function csvErrorReason(error: CsvError): string {
  const where = typeof error.lines === "number" ? ` on line ${error.lines.toLocaleString("en-US")}` : "";
  return error.code === "CSV_QUOTE_NOT_CLOSED"
    ? `A value opened with a quote${where} is never closed. A quote inside a quoted value must be doubled ("")`
    : `The file could not be read as CSV${where}: ${error.message}`;
}

type HeaderColumns =
  | { ok: false; reason: string }
  | {
      ok: true;
      positions: Map<CreatorsCsvField, number>;
      /** How many values a row should have: up to the last named column. */
      width: number;
      ignored: string[];
      unnamed: number[];
    };

function readHeader(names: string[]): HeaderColumns {
  const positions = new Map<CreatorsCsvField, number>();
  const ignored: string[] = [];
  const unnamed: number[] = [];
  let width = 0;
  for (const [index, name] of names.entries()) {
    const key = columnKey(name);
    if (name.trim() === "") {
      unnamed.push(index);
      continue;
    }
    width = index + 1;
    const column = COLUMN_BY_KEY.get(key);
    if (!column) {
      ignored.push(shorten(name.trim()));
      continue;
    }
    const earlier = positions.get(column.field);
    if (earlier !== undefined) {
      return {
        ok: false,
        reason: `Columns ${earlier + 1} and ${index + 1} are both “${column.header}”: keep one of them`,
      };
    }
    positions.set(column.field, index);
  }
  const missing = CREATORS_CSV_COLUMNS.filter((column) => column.required && !positions.has(column.field));
  if (missing.length > 0) {
    const found = names.map((name) => name.trim()).filter((name) => name !== "");
    const foundText =
      found.length === 0
        ? "The first row is empty"
        : `The first row has ${found.slice(0, 10).map((name) => `“${shorten(name)}”`).join(", ")}${found.length > 10 ? ` and ${found.length - 10} more` : ""}`;
    return {
      ok: false,
      reason: `The first row must name the columns; ${missing.map((column) => `“${column.header}”`).join(", ")} ${missing.length === 1 ? "is" : "are"} missing. ${foundText}. Start from the template to get every column`,
    };
  }
  return { ok: true, positions, width, ignored, unnamed: unnamed.filter((index) => index < width) };
}

function readRow(
  row: number,
  cells: string[],
  positions: Map<CreatorsCsvField, number>,
  width: number,
  delimiter: (typeof DELIMITERS)[number],
): CreatorsCsvRow {
  const unread: CreatorsCsvRow = { row, creator: null, handleSuggested: false, discountCode: null, handle: null, problems: [] };
  if (cells.length < width || cells.slice(width).some((cell) => cell.trim() !== "")) {
    unread.problems.push({
      row,
      column: null,
      reason: `Has ${cells.length} values where the first row names ${width} columns: a value is missing or extra, or a ${DELIMITER_NAMES[delimiter]} inside a value is not in quotes`,
    });
    return unread;
  }

  const cell = (field: CreatorsCsvField) => {
    const position = positions.get(field);
    return position === undefined ? "" : (cells[position] ?? "").trim();
  };
  const problems = new Map<CreatorsCsvField, string>();
  for (const field of positions.keys()) {
    const value = cell(field);
    if (startsLikeFormula(value)) {
      problems.set(field, `Starts with “${value[0]}”, which spreadsheets run as a formula: remove it`);
    }
  }
  const choice = (field: "platform" | "funnelStage", byKey: Map<string, string>, labels: Record<string, string>, noun: string) => {
    const value = cell(field);
    if (value === "" || problems.has(field)) return "";
    const chosen = byKey.get(columnKey(value));
    if (!chosen) problems.set(field, `${quoted(value)} is not ${noun}: use ${listWithOr(Object.values(labels))}, or leave it blank`);
    return chosen ?? "";
  };

  const name = cell("name");
  const handleCell = cell("handle");
  const handleSuggested = handleCell === "";
  // suggestHandle makes a valid handle or none at all.
  if (handleSuggested && name !== "" && suggestHandle(name) === "") {
    problems.set("handle", "Blank, and the name has no letters or digits to make one from: enter a handle, like maya-fit");
  }
  const raw = {
    name,
    email: cell("email"),
    handle: handleSuggested ? suggestHandle(name) : handleCell,
    discountCode: cell("discountCode"),
    revenueSharePercent: percentText(cell("revenueSharePercent")),
    // Sites cannot hold spaces, commas or semicolons: any of them separates one from the next.
    referrerDomains: cell("referrerDomains").split(/[\s,;|]+/).join("\n"),
    customerGid: "",
    platform: choice("platform", PLATFORM_BY_KEY, PLATFORM_LABELS, "a platform"),
    funnelStage: choice("funnelStage", FUNNEL_STAGE_BY_KEY, FUNNEL_STAGE_LABELS, "a funnel stage"),
    niche: cell("niche"),
  };
  const validation = validateCreatorInput(raw);
  if (!validation.ok) {
    for (const column of CREATORS_CSV_COLUMNS) {
      const message = validation.fieldErrors[column.field];
      if (message && !problems.has(column.field)) {
        problems.set(column.field, message);
      }
    }
  }

  return {
    row,
    creator: validation.ok && problems.size === 0 ? validation.input : null,
    handleSuggested,
    discountCode: problems.has("discountCode") ? null : { code: raw.discountCode, normalized: normalizeDiscountCode(raw.discountCode) },
    handle: problems.has("handle") ? null : raw.handle.toLowerCase(),
    problems: CREATORS_CSV_COLUMNS.filter((column) => problems.has(column.field)).map((column) => ({
      row,
      column: column.header,
      reason: problems.get(column.field)!,
    })),
  };
}

/** "12 %" and "12,5" (a decimal comma) as the form's rule reads them: "12", "12.5". */
function percentText(value: string): string {
  const withoutSign = value.replace(/\s*%$/, "");
  return /^\d+,\d+$/.test(withoutSign) ? withoutSign.replace(",", ".") : withoutSign;
}


/** Each value, and each label as the UI shows it, compared as column names are: "TikTok", "tiktok", "TIKTOK". */
function choiceKeys(labels: Record<string, string>): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const [value, label] of Object.entries(labels)) {
    byKey.set(columnKey(value), value);
    byKey.set(columnKey(label), value);
  }
  return byKey;
}

function quoted(value: string): string {
  return `“${shorten(value)}”`;
}

function shorten(value: string): string {
  return value.length > 40 ? `${value.slice(0, 39)}…` : value;
}

function listWithOr(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
