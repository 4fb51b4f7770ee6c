/** Vietnamese administrative document conventions shared by printed lists and reports. */

export const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const MOTTO = 'Độc lập - Tự do - Hạnh phúc';

/** 01/12/2026 for 2026-12-01. */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** "Thái Nguyên, ngày 01 tháng 12 năm 2026" for a Vietnamese calendar day (YYYY-MM-DD). */
export function placeAndDate(place: string, date: string): string {
  const [y, mo, d] = date.split('-');
  return `${place}, ngày ${d} tháng ${mo} năm ${y}`;
}

/** A column of a document's signature block: the signer's role, the hint under it, the name once known. */
export interface SignatureColumn {
  title: string;
  hint: string;
  name?: string | null;
}

/** Who prepared a list or report: signs and writes their name. */
export const PREPARER: SignatureColumn = { title: 'NGƯỜI LẬP BIỂU', hint: '(Ký, ghi rõ họ tên)' };
/** The head of the issuing body: signs and stamps the seal. */
export const HEAD: SignatureColumn = { title: 'THỦ TRƯỞNG ĐƠN VỊ', hint: '(Ký tên, đóng dấu)' };

/** The height a signature block takes, room to sign included. */
export const SIGNATURE_BLOCK_HEIGHT = 110;

/**
 * The signature block of an official document, the preparer on the left and the head on the right (by
 * default), with room to sign above the names; on a new page when it would not fit.
 */
export function signatureBlock(
  doc: PDFKit.PDFDocument,
  top: number,
  columns: [SignatureColumn, SignatureColumn] = [PREPARER, HEAD],
): void {
  const left = doc.page.margins.left;
  const half = (doc.page.width - left - doc.page.margins.right) / 2;
  let y = top;
  if (y + SIGNATURE_BLOCK_HEIGHT > doc.page.height - doc.page.margins.bottom) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  columns.forEach((column, i) => {
    const x = left + i * half;
    doc.font('bold').fontSize(11).text(column.title, x, y, { width: half, align: 'center' });
    doc
      .font('italic')
      .fontSize(10)
      .text(column.hint, x, y + 16, { width: half, align: 'center' });
    if (column.name)
      doc
        .font('bold')
        .fontSize(11)
        .text(column.name, x, y + 90, { width: half, align: 'center' });
  });
}

/**
 * The two-column header of an official document: the issuing body on the left, the national name and motto
 * on the right, each centred in its half, the motto underlined.
 */
export function drawNationalHeader(
  doc: PDFKit.PDFDocument,
  issuer: { parent?: string; name: string },
  top = doc.y,
): number {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const half = width / 2;
  doc.font('regular').fontSize(11);
  let y = top;
  if (issuer.parent) {
    doc.text(issuer.parent.toUpperCase(), left, y, { width: half * 0.95, align: 'center' });
    y = doc.y;
  }
  doc.font('bold').text(issuer.name.toUpperCase(), left, y, { width: half * 0.95, align: 'center' });
  const leftBottom = doc.y;
  doc
    .font('bold')
    .fontSize(11)
    .text(NATIONAL_NAME, left + half, top, { width: half, align: 'center' });
  doc
    .font('bold')
    .fontSize(12)
    .text(MOTTO, left + half, doc.y, { width: half, align: 'center', underline: true });
  return Math.max(leftBottom, doc.y) + 14;
}
