// What importing a read creators CSV would do: the creators to create, and the rows that stop the import — wrong
// values, and discount codes or handles another creator of the shop has or another row repeats. The import is all or
// nothing: it goes ahead only when no row has a problem.
import type { CreatorInputValues } from "./creator-input";
import { headerOf } from "./creators-csv-columns";
import type { CreatorsCsvProblem, CreatorsCsvRow } from "./read-creators-csv";

/** The shop's creators that hold the file's codes and handles (only those: the service looks them up). */
export interface TakenInShop {
  /** By normalized code: the code as saved and its creator's name. */
  codes: ReadonlyMap<string, { code: string; creatorName: string }>;
  /** By handle: the creator's name. */
  handles: ReadonlyMap<string, string>;
}

export interface CreatorToImport {
  row: number;
  creator: CreatorInputValues;
  handleSuggested: boolean;
}

export interface CreatorImportPlan {
  toCreate: CreatorToImport[];
  /** Values a creator cannot have, row by row. */
  errors: CreatorsCsvProblem[];
  /** Codes and handles already taken in the shop or repeated in the file. */
  duplicates: CreatorsCsvProblem[];
  /** Rows with at least one problem of either kind. */
  rowsWithProblems: number;
  ignoredColumns: string[];
}

/** The codes (normalized) and handles the file names, each once: what to look up among the shop's creators. */
export function valuesToLookUp(rows: readonly CreatorsCsvRow[]): { normalizedCodes: string[]; handles: string[] } {
  return {
    normalizedCodes: [...new Set(rows.flatMap((row) => (row.discountCode ? [row.discountCode.normalized] : [])))],
    handles: [...new Set(rows.flatMap((row) => (row.handle ? [row.handle] : [])))],
  };
}

export function planCreatorImport(rows: readonly CreatorsCsvRow[], taken: TakenInShop, ignoredColumns: string[] = []): CreatorImportPlan {
  const firstRowOfCode = new Map<string, number>();
  const firstRowOfHandle = new Map<string, number>();
  const toCreate: CreatorToImport[] = [];
  const errors: CreatorsCsvProblem[] = [];
  const duplicates: CreatorsCsvProblem[] = [];
  let rowsWithProblems = 0;

  for (const row of rows) {
    const rowDuplicates: CreatorsCsvProblem[] = [];
    if (row.discountCode) {
      const { code, normalized } = row.discountCode;
      const owner = taken.codes.get(normalized);
      const earlierRow = firstRowOfCode.get(normalized);
      if (owner) {
        rowDuplicates.push({ row: row.row, column: headerOf("discountCode"), reason: `${owner.code} already belongs to ${owner.creatorName}` });
      } else if (earlierRow !== undefined) {
        rowDuplicates.push({ row: row.row, column: headerOf("discountCode"), reason: `Row ${earlierRow} has the same discount code (${code})` });
      }
      if (earlierRow === undefined) firstRowOfCode.set(normalized, row.row);
    }
    if (row.handle) {
      const handle = row.handle;
      const made = row.handleSuggested ? " (made from the name: enter another handle)" : ": choose another";
      const ownerName = taken.handles.get(handle);
      const earlierRow = firstRowOfHandle.get(handle);
      if (ownerName !== undefined) {
        rowDuplicates.push({ row: row.row, column: headerOf("handle"), reason: `${handle} is already the handle of ${ownerName}${made}` });
      } else if (earlierRow !== undefined) {
        rowDuplicates.push({
          row: row.row,
          column: headerOf("handle"),
          reason: `Row ${earlierRow} has the same handle (${handle}${row.handleSuggested ? ", made from the name: enter another" : ""})`,
        });
      }
      if (earlierRow === undefined) firstRowOfHandle.set(handle, row.row);
    }

    errors.push(...row.problems);
    duplicates.push(...rowDuplicates);
    if (row.problems.length > 0 || rowDuplicates.length > 0) rowsWithProblems += 1;
    else if (row.creator) toCreate.push({ row: row.row, creator: row.creator, handleSuggested: row.handleSuggested });
  }
  return { toCreate, errors, duplicates, rowsWithProblems, ignoredColumns };
}
