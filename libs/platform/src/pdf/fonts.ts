import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { projectRoot } from '../project-root';

export const FONT_FILES = {
  regular: 'BeVietnamPro-Regular.ttf',
  bold: 'BeVietnamPro-Bold.ttf',
  italic: 'BeVietnamPro-Italic.ttf',
  semibold: 'BeVietnamPro-SemiBold.ttf',
} as const;
export type FontName = keyof typeof FONT_FILES;

let buffers: Record<FontName, Buffer> | undefined;

/** The TTF files of templates/fonts, read from disk once per process. */
export function fontBuffers(): Record<FontName, Buffer> {
  buffers ??= Object.fromEntries(
    Object.entries(FONT_FILES).map(([name, file]) => [
      name,
      readFileSync(join(projectRoot(), 'templates', 'fonts', file)),
    ]),
  ) as Record<FontName, Buffer>;
  return buffers;
}

/** A pdfkit document with the Vietnamese fonts registered under their names (regular, bold, …). */
export function vietnameseDocument(options: PDFKit.PDFDocumentOptions = {}): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    bufferPages: false,
    ...options,
    info: { Creator: 'Lan Tỏa', ...options.info },
  });
  for (const [name, buffer] of Object.entries(fontBuffers())) doc.registerFont(name, buffer);
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
