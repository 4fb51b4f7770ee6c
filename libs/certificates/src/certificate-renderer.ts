import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import * as QRCode from 'qrcode';
import { vietnameseDocument } from '../../platform/src';
import { CertificateFields, CertificateTemplates } from './certificate-template';

const PAGE_SIZES = { A4: [841.89, 595.28], A5: [595.28, 419.53] } as const;

/**
 * Draws certificates with pdfkit from a template: fonts parsed once per process, the QR code drawn as vector
 * rectangles (one path, no image), so a page costs a few milliseconds and a batch streams page by page.
 */
@Injectable()
export class CertificateRenderer {
  constructor(private readonly templates: CertificateTemplates) {}

  document(templateId: string, title: string): PDFKit.PDFDocument {
    const template = this.templates.get(templateId);
    const [w, h] = PAGE_SIZES[template.page.size];
    const size: [number, number] = template.page.layout === 'landscape' ? [w, h] : [h, w];
    const doc = vietnameseDocument({ size, margin: 0, autoFirstPage: false, info: { Title: title } });
    return doc;
  }

  /** Adds one certificate page to `doc`; `unitSeal`, the issuing unit's seal, goes over the signature. */
  page(doc: PDFKit.PDFDocument, templateId: string, fields: CertificateFields, unitSeal?: Buffer): void {
    const template = this.templates.get(templateId);
    const [w, h] = PAGE_SIZES[template.page.size];
    const [width, height] = template.page.layout === 'landscape' ? [w, h] : [h, w];
    doc.addPage({ size: [width, height], margin: 0 });
    const color = (value: string | undefined) =>
      value ? (template.colors[value] ?? value) : (template.colors.text ?? '#000000');
    if (template.background)
      doc.image(join(template.folder, template.background.image), 0, 0, { width, height });
    if (template.border) {
      for (const frame of [template.border.outer, template.border.inner]) {
        if (!frame) continue;
        doc.lineWidth(frame.width).strokeColor(color(template.border.color));
        doc.rect(frame.inset, frame.inset, width - 2 * frame.inset, height - 2 * frame.inset).stroke();
      }
    }
    for (const e of template.elements) {
      switch (e.type) {
        case 'text': {
          let text = e.text.replace(/\{(\w+)\}/g, (_m, name: keyof CertificateFields) => fields[name] ?? '');
          if (e.uppercase) text = text.toLocaleUpperCase('vi');
          doc.font(e.font).fontSize(e.size).fillColor(color(e.color));
          doc.text(text, e.x, e.y, {
            width: e.width,
            align: e.align ?? 'left',
            characterSpacing: e.characterSpacing,
            lineBreak: true,
          });
          break;
        }
        case 'line':
          doc
            .lineWidth(e.width ?? 1)
            .strokeColor(color(e.color))
            .moveTo(e.x1, e.y1)
            .lineTo(e.x2, e.y2)
            .stroke();
          break;
        case 'image':
          doc.image(join(template.folder, e.file), e.x, e.y, { width: e.width });
          break;
        case 'qr':
          this.qr(doc, fields.verifyUrl, e.x, e.y, e.size);
          break;
      }
    }
    if (template.seal)
      doc.image(join(template.folder, template.seal.image), template.seal.x, template.seal.y, {
        width: template.seal.width,
      });
    // By Vietnamese custom the seal covers the left part of the signature, between the title and the name.
    if (unitSeal && template.unitSeal)
      doc.image(unitSeal, template.unitSeal.x, template.unitSeal.y, {
        fit: [template.unitSeal.width, template.unitSeal.width],
      });
  }

  /** The QR code as filled rectangles: runs of dark modules in a row become one rectangle, all in one path. */
  private qr(doc: PDFKit.PDFDocument, value: string, x: number, y: number, size: number): void {
    const { modules } = QRCode.create(value, { errorCorrectionLevel: 'M' });
    const n = modules.size;
    const quiet = 2;
    const cell = size / (n + 2 * quiet);
    doc.rect(x, y, size, size).fill('#ffffff');
    for (let row = 0; row < n; row++) {
      let start = -1;
      for (let col = 0; col <= n; col++) {
        const dark = col < n && modules.data[row * n + col] === 1;
        if (dark && start < 0) start = col;
        if (!dark && start >= 0) {
          doc.rect(
            x + (quiet + start) * cell,
            y + (quiet + row) * cell,
            (col - start) * cell + 0.05,
            cell + 0.05,
          );
          start = -1;
        }
      }
    }
    doc.fill('#000000');
  }
}
