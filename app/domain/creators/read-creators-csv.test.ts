import { describe, expect, it } from "vitest";
import { creatorsCsvTemplate } from "./creators-csv-columns";
import { readCreatorsCsv, type CreatorsCsv } from "./read-creators-csv";

const bytes = (text: string) => new TextEncoder().encode(text);
const read = (text: string) => readCreatorsCsv(bytes(text));
const TEMPLATE_HEADER = creatorsCsvTemplate().trimEnd();

function rowsOf(result: CreatorsCsv) {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.rows;
}

describe("readCreatorsCsv", () => {
  it("reads the template's columns into the creators the add form would save", () => {
    const [maya, noor] = rowsOf(
      read(
        `${TEMPLATE_HEADER}\r\n` +
          `Maya Fit,Maya@Example.com,maya-fit,MAYA10,10,"instagram.com/maya, https://www.MayaFit.com/",TikTok,awareness,  trail running \r\n` +
          `Noor Haddad,,,noor 15,12.5 %,,,,\r\n`,
      ),
    );
    expect(maya).toEqual({
      row: 2,
      creator: {
        name: "Maya Fit",
        email: "maya@example.com",
        handle: "maya-fit",
        referrerDomains: ["instagram.com/maya", "mayafit.com"],
        customerGid: null,
        statementsOptOut: false,
        discountCode: "MAYA10",
        revenueSharePercent: "10",
        platform: "TIKTOK",
        funnelStage: "AWARENESS",
        niche: "trail running",
      },
      handleSuggested: false,
      discountCode: { code: "MAYA10", normalized: "MAYA10" },
      handle: "maya-fit",
      problems: [],
    });
    // A blank handle is made from the name, as the add form does; "12.5 %" reads as 12.5.
    expect(noor).toMatchObject({
      row: 3,
      creator: { name: "Noor Haddad", email: null, handle: "noor-haddad", revenueSharePercent: "12.5", platform: null, funnelStage: null, niche: null },
      handleSuggested: true,
      discountCode: { code: "noor 15", normalized: "NOOR15" },
      problems: [],
    });
  });

  it("takes headers in any case and order, a BOM, semicolons and decimal commas, quoted newlines and CRLF", () => {
    const text = "\uFEFFREVENUE SHARE %;discount_code;NAME;niche\r\n12,5;MAYA10;\"Maya \"\"The Runner\"\"\nFit\";\"a; b\"\r\n";
    const [row] = rowsOf(read(text));
    expect(row!.creator).toMatchObject({ name: 'Maya "The Runner"\nFit', discountCode: "MAYA10", revenueSharePercent: "12.5", niche: "a; b", handle: "maya-the-runner-fit" });
    // Tab-separated (pasted from a spreadsheet) too.
    expect(rowsOf(read("Name\tDiscount code\tRevenue share (%)\nMaya\tM10\t10\n"))[0]!.creator).toMatchObject({ name: "Maya", discountCode: "M10" });
  });

  it("numbers rows as the spreadsheet does, skipping blank lines but not counting quoted line breaks as rows", () => {
    const rows = rowsOf(read(`${TEMPLATE_HEADER}\n\nA,,,A1,10,,,,\n,,,,,,,,\n"B\nB",,,B1,10,,,,\nC,,,C1,200,,,,\n`));
    expect(rows.map((row) => row.row)).toEqual([3, 5, 6]);
    expect(rows[2]!.problems).toEqual([{ row: 6, column: "Revenue share (%)", reason: "Revenue share cannot exceed 100%" }]);
  });

  it("names the row, column and reason of each wrong value, with the add form's messages", () => {
    const [row] = rowsOf(read(`${TEMPLATE_HEADER}\n,not-an-email,Maya Fit,,abc,maya@gmail.com,MySpace,Retention,${"x".repeat(61)}\n`));
    expect(row!.creator).toBeNull();
    expect(row!.problems).toEqual([
      { row: 2, column: "Name", reason: "Enter the creator's name" },
      { row: 2, column: "Email", reason: "Enter a valid email address, like name@example.com" },
      { row: 2, column: "Handle", reason: "Use lower-case letters, digits and hyphens, starting and ending with a letter or digit, like maya-fit" },
      { row: 2, column: "Discount code", reason: "Enter the discount code this creator shares" },
      { row: 2, column: "Revenue share (%)", reason: "Enter a percentage like 10 or 12.5 (at most two decimals)" },
      {
        row: 2,
        column: "Sites and profiles",
        reason: "“maya@gmail.com” is not a site address. Enter one per line, like mayafit.com or instagram.com/maya",
      },
      {
        row: 2,
        column: "Platform",
        reason: "“MySpace” is not a platform: use Instagram, TikTok, YouTube, Podcast, Blog, Newsletter or Other platform, or leave it blank",
      },
      { row: 2, column: "Funnel stage", reason: "“Retention” is not a funnel stage: use Awareness, Consideration or Conversion, or leave it blank" },
      { row: 2, column: "Niche", reason: "Keep the niche to 60 characters or fewer, like running or vegan baking" },
    ]);
  });

  it("refuses values a spreadsheet would run as formulas", () => {
    const [row] = rowsOf(read(`Name,Discount code,Revenue share (%),Niche\n"=HYPERLINK(""http://evil""),X",@SUM(1),-5,+cmd|' /C calc'!A0\n`));
    expect(row!.problems).toEqual([
      { row: 2, column: "Name", reason: "Starts with “=”, which spreadsheets run as a formula: remove it" },
      { row: 2, column: "Discount code", reason: "Starts with “@”, which spreadsheets run as a formula: remove it" },
      { row: 2, column: "Revenue share (%)", reason: "Starts with “-”, which spreadsheets run as a formula: remove it" },
      { row: 2, column: "Niche", reason: "Starts with “+”, which spreadsheets run as a formula: remove it" },
    ]);
  });

  it("flags a row whose values do not line up with the columns, and tolerates empty trailing cells", () => {
    const rows = rowsOf(read("Name,Discount code,Revenue share (%),,\nMaya,M1,10,,\nNoor,N1\nZed,Z1,10,,oops\n"));
    expect(rows[0]!.problems).toEqual([]);
    expect(rows[1]!.problems).toEqual([
      { row: 3, column: null, reason: "Has 2 values where the first row names 3 columns: a value is missing or extra, or a comma inside a value is not in quotes" },
    ]);
    expect(rows[2]!.problems).toHaveLength(1);
  });

  it("says when a blank handle cannot be made from the name", () => {
    const [row] = rowsOf(read("Name,Discount code,Revenue share (%)\n李娜,LI10,10\n"));
    expect(row!.problems).toEqual([
      { row: 2, column: "Handle", reason: "Blank, and the name has no letters or digits to make one from: enter a handle, like maya-fit" },
    ]);
    // A code or handle that is fine by itself is still known on a row with other problems, for duplicate checks.
    expect(row!.discountCode).toEqual({ code: "LI10", normalized: "LI10" });
  });

  it("lists columns it does not import, named or not, and refuses a header missing a required column or naming one twice", () => {
    expect(read("Name,Notes,Discount code,Revenue share (%)\nMaya,vip,M1,10\n")).toMatchObject({ ok: true, ignoredColumns: ["Notes"] });
    // An unnamed column with values under it is reported rather than dropped silently.
    const unnamed = read("Name,,Discount code,Revenue share (%)\nMaya,x,M1,10\n");
    expect(unnamed).toMatchObject({ ok: true, ignoredColumns: ["column 2 (no name)"] });
    expect(rowsOf(unnamed)[0]!.problems).toEqual([]);

    expect(read("Nom,Code,Taux\nMaya,M1,10\n")).toEqual({
      ok: false,
      reason:
        "The first row must name the columns; “Name”, “Discount code”, “Revenue share (%)” are missing. The first row has “Nom”, “Code”, “Taux”. Start from the template to get every column",
    });
    expect(read("Name,Email,Discount code,Revenue share (%),email\n")).toEqual({ ok: false, reason: "Columns 2 and 5 are both “Email”: keep one of them" });
  });

  it("refuses files it cannot read, with the reason", () => {
    expect(readCreatorsCsv(new Uint8Array([0x4e, 0x61, 0x6d, 0xe9, 0x0a]))).toEqual({
      ok: false,
      reason: "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”; Google Sheets and Numbers export CSV as UTF-8",
    });
    const utf16 = new Uint8Array([...Buffer.from("\uFEFFName,Discount code,Revenue share (%)\nMaya,M1,10\n", "utf16le")]);
    expect(readCreatorsCsv(utf16.slice(2))).toEqual({
      ok: false,
      reason: "The file holds NUL characters, as UTF-16 text does. In Excel, save it as “CSV UTF-8”",
    });
    // With its byte order mark it is not UTF-8 at all.
    expect(readCreatorsCsv(utf16)).toMatchObject({ ok: false, reason: expect.stringContaining("not UTF-8") });
    expect(read("  \n\n")).toMatchObject({ ok: false, reason: expect.stringContaining("The file is empty") });
    expect(read(TEMPLATE_HEADER)).toEqual({ ok: false, reason: "The file names its columns but has no creators below them" });
    expect(read(`${TEMPLATE_HEADER}\nMaya,,,"M1,10\n`)).toEqual({
      ok: false,
      reason: 'A value opened with a quote on line 2 is never closed. A quote inside a quoted value must be doubled ("")',
    });
  });

  it("refuses more than 10,000 creators or 5 MB, and keeps a stray quote in an unquoted value", () => {
    const header = "Name,Discount code,Revenue share (%)\n";
    const rows = (count: number) => Array.from({ length: count }, (_, index) => `C${index},CODE${index},10\n`).join("");
    expect(rowsOf(read(header + rows(10_000)))).toHaveLength(10_000);
    expect(read(header + rows(10_001))).toEqual({ ok: false, reason: "The file has 10,001 creators; import at most 10,000 at a time: split it into several files" });
    expect(readCreatorsCsv(new Uint8Array(5 * 1024 * 1024 + 1))).toEqual({
      ok: false,
      reason: "The file is larger than 5 MB: split it into several files",
    });
    expect(rowsOf(read(`${header}Maya 5" Fit,M1,10\n"Maya" Fit,M2,10\n`)).map((row) => row.creator?.name)).toEqual(['Maya 5" Fit', '"Maya" Fit']);
  });
});
