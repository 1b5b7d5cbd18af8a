import PDFDocument from "pdfkit";

/*
 * PDFKit builds a standard font's metrics for every document that uses it: the glyph widths and, for Helvetica, a
 * table of ~2,700 kerning pairs keyed by glyph names. For a one-page statement that is a good part of the PDF's
 * cost, repeated for every creator of a run. The metrics never change, so documents made here share them: each
 * document still gets font objects of its own (its resource name and the PDF object it writes), built around the
 * metrics of the first document that used the font. The PDF is byte for byte what PDFKit writes on its own
 * (pdf-standard-fonts.server.test.ts compares them).
 *
 * This reaches into PDFKit's font cache (`_fontFamilies`, `_fontCount`, the font objects' fields), which its
 * public API does not expose; when a PDFKit release changes them, the document falls back to PDFKit's own fonts.
 */

/** The standard font PDFKit keeps per document (its StandardFont class), as far as this module relies on it. */
interface StandardFontInternals {
  document: PDFKit.PDFDocument;
  name: string;
  id: string;
  /** The parsed metrics (PDFKit's AFMFont): what is shared. */
  font: object;
  ascender: number;
  descender: number;
  bbox: number[];
  lineGap: number;
  xHeight: number;
  capHeight: number;
}

interface DocumentFontInternals {
  _font: StandardFontInternals | null;
  _fontFamilies: Record<string, StandardFontInternals>;
  _fontCount: number;
}

/** Per font name: the prototype and metrics of the first document's font object. */
const templates = new Map<string, StandardFontInternals>();

const internals = (pdf: PDFKit.PDFDocument) => pdf as unknown as DocumentFontInternals;

function looksLikeStandardFont(font: StandardFontInternals | null | undefined, name: string): font is StandardFontInternals {
  return (
    !!font &&
    font.name === name &&
    typeof font.font === "object" &&
    typeof font.id === "string" &&
    [font.ascender, font.descender, font.lineGap, font.xHeight, font.capHeight].every((value) => typeof value === "number")
  );
}

/** Makes `name` the document's next font, as `pdf.font(name)` does the first time, reusing the metrics once parsed. */
function addStandardFont(pdf: PDFKit.PDFDocument, name: string): void {
  const doc = internals(pdf);
  const template = templates.get(name);
  if (template && typeof doc._fontCount === "number" && doc._fontFamilies && !doc._fontFamilies[name]) {
    const font: StandardFontInternals = Object.assign(Object.create(Object.getPrototypeOf(template) as object) as StandardFontInternals, {
      document: pdf,
      name: template.name,
      id: `F${++doc._fontCount}`,
      font: template.font,
      ascender: template.ascender,
      descender: template.descender,
      bbox: template.bbox,
      lineGap: template.lineGap,
      xHeight: template.xHeight,
      capHeight: template.capHeight,
    });
    doc._fontFamilies[name] = font;
    return;
  }
  pdf.font(name);
  const built = doc._font;
  if (!template && looksLikeStandardFont(built, name)) templates.set(name, built);
}

/**
 * A PDFKit document whose standard fonts `fonts` (the first is the current font, as PDFKit's default Helvetica is
 * otherwise) share their metrics with every other document made here. Fonts not listed work as usual.
 */
export function createPdfDocument(options: PDFKit.PDFDocumentOptions, fonts: readonly [string, ...string[]]): PDFKit.PDFDocument {
  // No default font: PDFKit would build Helvetica's metrics in the constructor.
  const pdf = new PDFDocument({ ...options, font: null as unknown as string });
  for (const name of fonts) addStandardFont(pdf, name);
  return pdf.font(fonts[0]);
}
