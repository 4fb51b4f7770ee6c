import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { projectRoot } from '../project-root';

export const FONT_FILES = {
  regular: 'BeVietnamPro-Regular.ttf',
  bold: 'BeVietnamPro-Bold.ttf',
  italic: 'BeVietnamPro-Italic.ttf',
  semibold: 'BeVietnamPro-SemiBold.ttf',
} as const;
export type FontName = keyof typeof FONT_FILES;

let parsed: Record<FontName, fontkit.Font> | undefined;

/**
 * The fonts of templates/fonts, read and parsed once per process: pdfkit accepts a parsed fontkit font, so
 * documents share it instead of parsing the TrueType files for each one.
 */
export function parsedFonts(): Record<FontName, fontkit.Font> {
  parsed ??= Object.fromEntries(
    Object.entries(FONT_FILES).map(([name, file]) => [
      name,
      fontkit.create(readFileSync(join(projectRoot(), 'templates', 'fonts', file))) as fontkit.Font,
    ]),
  ) as Record<FontName, fontkit.Font>;
  return parsed;
}

/** A pdfkit document with the Vietnamese fonts registered under their names (regular, bold, …). */
export function vietnameseDocument(options: PDFKit.PDFDocumentOptions = {}): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    ...options,
    info: { Creator: 'Lan Tỏa', ...options.info },
  });
  // pdfkit's typings know file paths and buffers; at run time it also takes a parsed font (anything with layout()).
  for (const [name, font] of Object.entries(parsedFonts())) doc.registerFont(name, font as unknown as Buffer);
  doc.font('regular');
  return doc;
}

/** The whole document as one buffer (for small documents; batches stream instead). */
export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
