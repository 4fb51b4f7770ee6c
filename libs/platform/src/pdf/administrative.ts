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
