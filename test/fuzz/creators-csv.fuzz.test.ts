// Property tests of the creators CSV import (issue #9). Whatever file a merchant uploads — any bytes, CSV-ish text
// full of quotes, delimiters and line breaks, huge values, values a spreadsheet would run as formulas, wrong or
// shuffled headers — reading it never throws, a file it cannot read is refused with one reason, and every bad row
// is named with its column and reason while the good rows read as the add form would save them. Through the admin
// route, nothing answers 5xx and nothing is written unless the whole file is imported.
import fc from "fast-check";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { validateCreatorInput } from "~/domain/creators/creator-input";
import { CREATORS_CSV_COLUMNS, CREATORS_CSV_MAX_BYTES, type CreatorsCsvField } from "~/domain/creators/creators-csv-columns";
import { readCreatorsCsv, type CreatorsCsv } from "~/domain/creators/read-creators-csv";
import { suggestHandle } from "~/domain/creators/suggest-handle";
import { FUNNEL_STAGE_LABELS, PLATFORM_LABELS } from "~/domain/metrics/segment-labels";
import { action } from "~/routes/app.creators.import";
import { adminRequest, callRoute, storeOfflineSession } from "../helpers/admin-requests";
import { createTestShop } from "../helpers/factories";

const encode = (text: string) => new TextEncoder().encode(text);
const FORMULA_START = /^[=+\-@]/;

/** What holds for any file: refused with a reason, or every row either a creator or named problems. */
function expectWellFormed(result: CreatorsCsv) {
  if (!result.ok) {
    expect(result.reason.trim()).not.toBe("");
    return;
  }
  let previous = 1;
  for (const row of result.rows) {
    expect(row.row).toBeGreaterThan(previous);
    previous = row.row;
    if (row.creator) expect(row.problems).toEqual([]);
    else expect(row.problems.length).toBeGreaterThan(0);
    for (const problem of row.problems) {
      expect(problem.row).toBe(row.row);
      expect(problem.reason.trim()).not.toBe("");
      // Reasons quote a bad value at most shortened: a huge value never comes back whole.
      expect(problem.reason.length).toBeLessThan(400);
    }
  }
}

// ---- arbitraries ------------------------------------------------------------------------------------------------

/** Characters that make CSV hard: every delimiter, quotes, line breaks, formula starters, accents, CJK, emoji, BOM. */
const trickyChar = fc.constantFrom(..."aZ09 ,;\t\"'\n\r=+-@é李🙂\uFEFF|%".split(/(?:)/u));
const trickyText = fc.string({ unit: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(..."abcdefghij".split("")) }, trickyChar), maxLength: 60 });
/** The same with NUL, which no creator can hold (PostgreSQL text cannot) and a UTF-16 file is full of. */
const junkText = fc.string({ unit: fc.oneof({ weight: 6, arbitrary: trickyChar }, fc.constant("\u0000")), maxLength: 60 });

const knownHeader = fc.constantFrom(...CREATORS_CSV_COLUMNS.flatMap((column) => [column.header, column.field])).chain((name) => fc.mixedCase(fc.constant(name)));
const anyHeader = fc.oneof(knownHeader, junkText);

/** Text that looks like a CSV: a header of known and unknown names, then rows of tricky values and stray quotes. */
const csvIsh = fc
  .record({
    delimiter: fc.constantFrom(",", ";", "\t"),
    header: fc.array(anyHeader, { minLength: 0, maxLength: 12 }),
    rows: fc.array(fc.array(fc.oneof(trickyText, junkText, fc.constantFrom('"', '""', '"a,b"', "\r\n", "")), { maxLength: 12 }), { maxLength: 12 }),
    newline: fc.constantFrom("\n", "\r\n", "\r"),
    bom: fc.boolean(),
  })
  .map(({ delimiter, header, rows, newline, bom }) => (bom ? "\uFEFF" : "") + [header, ...rows].map((cells) => cells.join(delimiter)).join(newline));

/** A value the add form accepts for a text field: trimmed, not empty, not starting like a formula. */
const safeText = (maxLength: number) =>
  trickyText.map((text) => text.slice(0, maxLength)).filter((text) => text.trim() !== "" && !FORMULA_START.test(text.trim()));

interface GeneratedCreator {
  name: string;
  email: string;
  handle: string;
  discountCode: string;
  revenueSharePercent: string;
  referrerDomains: string;
  platform: string;
  funnelStage: string;
  niche: string;
}

const mixedCaseOf = (values: string[]) => fc.constantFrom(...values).chain((value) => fc.mixedCase(fc.constant(value)));
const SITES = ["mayafit.com", "instagram.com/maya", "https://www.Example.org/", "tiktok.com/@maya", "shop.example.co.uk/a/b/"];

const validCreator: fc.Arbitrary<GeneratedCreator> = fc
  .record({
    name: safeText(100),
    email: fc.oneof(fc.constant(""), fc.stringMatching(/^[a-z0-9]{1,10}(\.[a-z0-9]{1,5})?@[a-z]{2,10}\.(com|org|fr)$/).chain((email) => fc.mixedCase(fc.constant(email)))),
    handle: fc.oneof(fc.constant(""), fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/).chain((handle) => fc.mixedCase(fc.constant(handle)))),
    discountCode: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,30}$/),
    revenueSharePercent: fc
      .record({ whole: fc.integer({ min: 0, max: 99 }), cents: fc.option(fc.integer({ min: 0, max: 99 })), comma: fc.boolean(), sign: fc.constantFrom("", "%", " %") })
      .map(({ whole, cents, comma, sign }) => `${whole}${cents === null ? "" : `${comma ? "," : "."}${String(cents).padStart(2, "0")}`}${sign}`),
    referrerDomains: fc
      .record({ sites: fc.subarray(SITES, { maxLength: 4 }), separator: fc.constantFrom(" ", ", ", ";", "\n", " | ") })
      .map(({ sites, separator }) => sites.join(separator)),
    platform: fc.oneof(fc.constant(""), mixedCaseOf([...Object.keys(PLATFORM_LABELS), ...Object.values(PLATFORM_LABELS)])),
    funnelStage: fc.oneof(fc.constant(""), mixedCaseOf([...Object.keys(FUNNEL_STAGE_LABELS), ...Object.values(FUNNEL_STAGE_LABELS)])),
    niche: fc.oneof(fc.constant(""), safeText(60)),
  })
  // A blank handle is made from the name; a name without letters or digits cannot make one (tested on its own).
  .filter((creator) => creator.handle !== "" || suggestHandle(creator.name) !== "");

/** The same creator as the add form posts it: what the import must save. */
function asFormInput(creator: GeneratedCreator) {
  const choice = (value: string, labels: Record<string, string>) =>
    value === "" ? "" : Object.entries(labels).find(([key, label]) => [key, label].some((name) => name.toLowerCase() === value.toLowerCase()))![0];
  const percent = creator.revenueSharePercent.replace(/\s*%$/, "").replace(",", ".");
  return {
    name: creator.name,
    email: creator.email,
    handle: creator.handle === "" ? suggestHandle(creator.name.trim()) : creator.handle,
    discountCode: creator.discountCode,
    revenueSharePercent: percent,
    referrerDomains: creator.referrerDomains.split(/[\s,;|]+/).join("\n"),
    customerGid: "",
    platform: choice(creator.platform, PLATFORM_LABELS),
    funnelStage: choice(creator.funnelStage, FUNNEL_STAGE_LABELS),
    niche: creator.niche,
  };
}

/** How the file is written: column order and spelling, which optional columns, delimiter, quoting, line ends, BOM. */
const fileLayout = fc.record({
  columns: fc
    .shuffledSubarray(CREATORS_CSV_COLUMNS.filter((column) => !column.required), { minLength: 0 })
    .chain((optional) => fc.shuffledSubarray([...CREATORS_CSV_COLUMNS.filter((column) => column.required), ...optional], { minLength: 3 + optional.length })),
  spelling: fc.array(fc.constantFrom<"header" | "field" | "upper" | "lower">("header", "field", "upper", "lower"), { minLength: 9, maxLength: 9 }),
  delimiter: fc.constantFrom(",", ";", "\t"),
  quoted: fc.boolean(),
  windows: fc.boolean(),
  bom: fc.boolean(),
});
type FileLayout = typeof fileLayout extends fc.Arbitrary<infer T> ? T : never;

function writeFile(layout: FileLayout, rows: Partial<Record<CreatorsCsvField, string>>[]): string {
  const header = layout.columns.map((column, index) => {
    const spelling = layout.spelling[index]!;
    return spelling === "field" ? column.field : spelling === "upper" ? column.header.toUpperCase() : spelling === "lower" ? column.header.toLowerCase() : column.header;
  });
  return stringify([header, ...rows.map((row) => layout.columns.map((column) => row[column.field] ?? ""))], {
    delimiter: layout.delimiter,
    quoted: layout.quoted,
    record_delimiter: layout.windows ? "windows" : "unix",
    bom: layout.bom,
  });
}

/** What a row's creator becomes when the file leaves a column out: blank, as the form's empty field. */
function withOnly(creator: GeneratedCreator, layout: FileLayout): GeneratedCreator {
  const kept = new Set(layout.columns.map((column) => column.field));
  const blanked = Object.fromEntries(Object.entries(creator).map(([field, value]) => [field, kept.has(field as CreatorsCsvField) ? value : ""]));
  return blanked as unknown as GeneratedCreator;
}

/** A value no column accepts: a formula, one too long for any column, or (per column) one of the wrong kind. */
const badValue = fc.oneof(
  fc.tuple(fc.constantFrom("=", "+", "-", "@"), fc.constantFrom("cmd|' /C calc'!A0", "HYPERLINK(\"http://evil\",\"x\")", "SUM(1,2)", "1+1", "")).map(([start, rest]) => start + rest),
  fc.integer({ min: 300, max: 200_000 }).map((length) => "x".repeat(length)),
);

// ---- properties -------------------------------------------------------------------------------------------------

describe("reading creators CSV files", () => {
  it("never throws on any bytes, and answers a reason or named rows", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ unit: "binary", maxLength: 400 }).map(encode)), (bytes) => {
        expectWellFormed(readCreatorsCsv(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it("never throws on CSV-ish text with stray quotes, any delimiter and line end, and names each bad row", () => {
    fc.assert(
      fc.property(csvIsh, (text) => {
        expectWellFormed(readCreatorsCsv(encode(text)));
      }),
      { numRuns: 400 },
    );
  });

  it("reads every creator as the add form would save it, whatever the quoting, delimiter, header spelling and order", () => {
    fc.assert(
      fc.property(fileLayout, fc.array(validCreator, { minLength: 1, maxLength: 8 }), (layout, generated) => {
        const creators = generated.map((creator) => withOnly(creator, layout));
        // A left-out handle column makes every handle from the name: the filter above only covered blank cells.
        fc.pre(creators.every((creator) => creator.handle !== "" || suggestHandle(creator.name.trim()) !== ""));
        const result = readCreatorsCsv(encode(writeFile(layout, creators)));
        expectWellFormed(result);
        if (!result.ok) throw new Error(result.reason);
        expect(result.rows.map((row) => row.problems)).toEqual(creators.map(() => []));
        const expected = creators.map((creator) => {
          const validation = validateCreatorInput(asFormInput(creator));
          if (!validation.ok) throw new Error(`generated a creator the form refuses: ${JSON.stringify(validation.fieldErrors)}`);
          return validation.input;
        });
        expect(result.rows.map((row) => row.creator)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("names the row and column of a formula, a huge value or a wrong choice, and reads the other rows", () => {
    fc.assert(
      fc.property(
        fileLayout,
        fc.array(validCreator, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.nat(),
        fc.oneof(badValue, fc.constantFrom("MySpace", "retention", "10.5.5", "101", "not a site!")),
        (layout, generated, rowPick, columnPick, value) => {
          const creators = generated.map((creator) => withOnly(creator, layout));
          fc.pre(creators.every((creator) => creator.handle !== "" || suggestHandle(creator.name.trim()) !== ""));
          const badRow = rowPick % creators.length;
          const column = layout.columns[columnPick % layout.columns.length]!;
          // A short wrong value is only wrong in the column it is meant for.
          const wrongFor: Partial<Record<CreatorsCsvField, string[]>> = {
            platform: ["MySpace"],
            funnelStage: ["retention"],
            revenueSharePercent: ["10.5.5", "101"],
            referrerDomains: ["not a site!"],
          };
          const fitsAnywhere = FORMULA_START.test(value) || value.length >= 300;
          fc.pre(fitsAnywhere || (wrongFor[column.field] ?? []).includes(value));
          const rows = creators.map((creator, index) => (index === badRow ? { ...creator, [column.field]: value } : creator));

          const result = readCreatorsCsv(encode(writeFile(layout, rows)));
          expectWellFormed(result);
          if (!result.ok) throw new Error(result.reason);
          const problems = result.rows[badRow]!.problems;
          expect(problems.map((problem) => problem.column)).toContain(column.header);
          if (FORMULA_START.test(value)) {
            expect(problems.find((problem) => problem.column === column.header)!.reason).toMatch(/formula/);
          }
          result.rows.forEach((row, index) => {
            if (index !== badRow) expect(row.problems).toEqual([]);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses a header without a required column, naming each one missing, and ignores columns it does not know", () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...CREATORS_CSV_COLUMNS], { minLength: 1 }),
        fc.array(trickyText.filter((name) => !CREATORS_CSV_COLUMNS.some((column) => [column.header, column.field].some((known) => known.toLowerCase().replace(/[^a-z0-9]/g, "") === name.normalize("NFKC").toLowerCase().replace(/[^a-z0-9]/g, "")))), { maxLength: 3 }),
        (columns, unknown) => {
          const header = [...columns.map((column) => column.header), ...unknown.map((name) => name.replace(/[,"\r\n\uFEFF]/g, "").trim()).filter((name) => name !== "")];
          const text = stringify([header, header.map((_, index) => `v${index}`)]);
          const result = readCreatorsCsv(encode(text));
          const missing = CREATORS_CSV_COLUMNS.filter((column) => column.required && !columns.includes(column));
          if (missing.length > 0) {
            expect(result.ok).toBe(false);
            if (!result.ok) for (const column of missing) expect(result.reason).toContain(`“${column.header}”`);
          } else {
            expectWellFormed(result);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a file over the size limit before reading it", () => {
    expect(readCreatorsCsv(new Uint8Array(CREATORS_CSV_MAX_BYTES + 1).fill(0x2c))).toMatchObject({ ok: false });
  });
});

// ---- through the admin route ------------------------------------------------------------------------------------

async function post(shopDomain: string, intent: string | null, file: Uint8Array<ArrayBuffer> | string | null, init: { body?: BodyInit; headers?: Record<string, string> } = {}) {
  const form = new FormData();
  if (intent !== null) form.set("intent", intent);
  if (typeof file === "string") form.set("file", file);
  else if (file !== null) form.set("file", new Blob([file]), "creators.csv");
  const request = init.body === undefined ? adminRequest(shopDomain, "/app/creators/import", { form }) : adminRequest(shopDomain, "/app/creators/import", init);
  return callRoute(action, request);
}

async function creatorCount(shopId: string) {
  return prisma.creator.count({ where: { shopId } });
}

describe("the import route", () => {
  it("previews without writing, imports all rows and redirects to the list's banner, and refuses bad requests with a reason", async () => {
    const shop = await createTestShop();
    await storeOfflineSession(shop.domain);
    const good = encode("Name,Discount code,Revenue share (%)\nMaya,MAYA10,10\nNoor,NOOR10,12.5\n");

    const preview = await post(shop.domain, "preview", good);
    expect(preview).toMatchObject({ status: 200, data: { reason: null, preview: { toCreateCount: 2, importable: true } } });
    expect(await creatorCount(shop.id)).toBe(0);

    const imported = await post(shop.domain, "import", good);
    expect(imported.status).toBe(302);
    expect(imported.response!.headers.get("Location")).toBe("/app/creators?imported=2");
    expect(await creatorCount(shop.id)).toBe(2);

    // The same file again: every row is now a duplicate, and nothing more is written.
    expect(await post(shop.domain, "import", good)).toMatchObject({ status: 400, data: { preview: { duplicateCount: 4, toCreateCount: 0 } } });
    expect(await post(shop.domain, "preview", new Uint8Array(CREATORS_CSV_MAX_BYTES + 1))).toMatchObject({
      status: 413,
      data: { reason: "The file is larger than 5 MB: split it into several files" },
    });
    expect(await post(shop.domain, null, good)).toMatchObject({ status: 400, data: { reason: "Say whether to preview or import the file" } });
    expect(await post(shop.domain, "import", null)).toMatchObject({ status: 400, data: { reason: "Choose a CSV file to upload" } });
    // A text field named "file" is not an upload.
    expect(await post(shop.domain, "import", "Name\nMaya")).toMatchObject({ status: 400, data: { reason: "Choose a CSV file to upload" } });
    expect(
      await post(shop.domain, "import", null, { body: "intent=import&file=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
    ).toMatchObject({ status: 400 });
    expect(await creatorCount(shop.id)).toBe(2);
  });

  it("never answers 5xx, and writes every row or none, whatever the file and body", async () => {
    const shop = await createTestShop();
    await storeOfflineSession(shop.domain);
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      csvIsh.map(encode),
      {
        weight: 4,
        arbitrary: fc.tuple(fileLayout, fc.array(validCreator, { minLength: 1, maxLength: 5 }), fc.option(fc.tuple(fc.nat(), fc.nat(), badValue), { freq: 2 })).map(([layout, creators, bad]) => {
        const rows = creators.map((creator, index) => {
          const row = withOnly(creator, layout);
          if (!bad || bad[0] % creators.length !== index) return row;
          return { ...row, [layout.columns[bad[1] % layout.columns.length]!.field]: bad[2] };
        });
        return encode(writeFile(layout, rows));
        }),
      },
    );
    const body = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({ intent: fc.oneof({ weight: 9, arbitrary: fc.constantFrom("preview", "import") }, fc.constantFrom("delete", "")), file }),
      },
      // Not multipart at all, or multipart with a broken body.
      {
        weight: 1,
        arbitrary: fc.record({
          raw: fc.string({ maxLength: 200 }),
          contentType: fc.constantFrom("text/csv", "application/json", "multipart/form-data", "multipart/form-data; boundary=x", "multipart/form-data; boundary=----fuzz"),
        }),
      },
    );
    await fc.assert(
      fc.asyncProperty(body, async (sent) => {
        const before = await creatorCount(shop.id);
        const answer =
          "raw" in sent
            ? await post(shop.domain, null, null, { body: sent.raw, headers: { "Content-Type": sent.contentType } })
            : await post(shop.domain, sent.intent, sent.file);
        expect([200, 302, 400, 413]).toContain(answer.status);
        const after = await creatorCount(shop.id);
        if (answer.status === 302) {
          const imported = Number(new URL(answer.response!.headers.get("Location")!, "http://app").searchParams.get("imported"));
          expect(after - before).toBe(imported);
        } else {
          expect(after).toBe(before);
          if (answer.status !== 200) expect((answer.data as { reason: string }).reason.trim()).not.toBe("");
        }
      }),
      { numRuns: 120 },
    );
  }, 180_000);
});
