import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { createPdfDocument } from "./pdf-standard-fonts.server";

const OPTIONS: PDFKit.PDFDocumentOptions = { size: "A4", margin: 50, info: { Title: "Statement", CreationDate: new Date("2026-11-01T06:00:00Z") } };

/** Text in both fonts, wrapped and kerned (Helvetica kerns "AV", "To", "Wa"), over two pages. */
function draw(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  pdf.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => pdf.on("end", () => resolve(Buffer.concat(chunks))));
  pdf.font("Helvetica-Bold").fontSize(18).text("AVATAR Towels · Wave € 1,234.50", 50, 50, { width: 495 });
  pdf.font("Helvetica").fontSize(9.5).text("Yo, To Wa AV LT ".repeat(40), { width: 300, align: "right" });
  pdf.addPage().font("Helvetica").text(`height ${pdf.heightOfString("Tw".repeat(200), { width: 120 })}`);
  pdf.font("Times-Roman").text("Times is not shared: PDFKit's own font.");
  pdf.end();
  return done;
}

describe("PDF documents sharing standard font metrics", () => {
  it("write the same bytes as PDFKit on its own, the first document and the ones that reuse its metrics", async () => {
    const expected = await draw(new PDFDocument(OPTIONS));
    const first = await draw(createPdfDocument(OPTIONS, ["Helvetica", "Helvetica-Bold"]));
    const reusing = await draw(createPdfDocument(OPTIONS, ["Helvetica", "Helvetica-Bold"]));
    expect(first.subarray(0, 5).toString()).toBe("%PDF-");
    expect(first.equals(expected)).toBe(true);
    expect(reusing.equals(expected)).toBe(true);
  });

  it("share the metrics between documents, and give each its own font objects", () => {
    type Fonts = { _fontFamilies: Record<string, { font: object; document: unknown; id: string }> };
    const [one, two] = [1, 2].map(() => createPdfDocument(OPTIONS, ["Helvetica", "Helvetica-Bold"]) as unknown as Fonts & PDFKit.PDFDocument);
    for (const name of ["Helvetica", "Helvetica-Bold"]) {
      expect(two!._fontFamilies[name]!.font).toBe(one!._fontFamilies[name]!.font);
      expect(two!._fontFamilies[name]).not.toBe(one!._fontFamilies[name]);
      expect(two!._fontFamilies[name]!.document).toBe(two);
    }
    expect([two!._fontFamilies.Helvetica!.id, two!._fontFamilies["Helvetica-Bold"]!.id]).toEqual(["F1", "F2"]);
  });
});
