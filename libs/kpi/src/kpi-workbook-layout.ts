import ExcelJS from 'exceljs';
import { HEAD, MOTTO, NATIONAL_NAME, placeAndDate, PREPARER } from '../../platform/src';
import { percentFormat } from './percent';

/**
 * How the official KPI workbook's sheets look and print: the national motto header, tables whose rows are
 * committed as they are written (exceljs's streaming writer), the notes and signature block, and the page
 * setup (landscape A4, repeated titles, print area). What goes in the rows is KpiWorkbook's.
 */

/** The rows kept free at the end of a list for its notes and signatures. */
const FOOTER_ROWS = 20;
export const FONT = 'Times New Roman';
const THIN = { style: 'thin' as const };
export const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

export interface Column {
  header: string;
  width: number;
  numeric?: boolean;
  /** A percentage: one decimal shown below 10 %, none above. */
  percent?: boolean;
}

/** What the header block of every sheet says. */
export interface SheetHeading {
  /** The issuing unit. */
  unitName: string;
  place: string;
  today: string;
  programName: string;
  /** "Kỳ báo cáo: …" — the period, the unit and the view. */
  periodLine: string;
}

/** A list being written: one row per `add`; `end` writes the notes and signatures. */
export interface SheetList {
  add: (values: unknown[]) => void;
  end: (notes: string[]) => void;
}

/**
 * Data goes into cells as plain values only: a number, a date, or text — never an object exceljs would
 * write as a formula, so a name typed as "=HYPERLINK(…)" is shown, not run (test/platform/export-formulas).
 */
function plainValue(v: unknown): string | number | Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || v instanceof Date) return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw new TypeError(`not a plain cell value: ${typeof v}`);
}

/**
 * The height a row needs for its wrapped text (points), or undefined for one line: neither Excel nor LibreOffice
 * grows a row written with wrapped text on opening, so the lines are estimated from the text's length against
 * the column's width (a width unit holds about 1.1 characters of 11-point Times New Roman; `wider` for bold).
 */
function rowHeight(values: unknown[], columns: Column[], wider = 1): number | undefined {
  let lines = 1;
  values.forEach((v, i) => {
    if (typeof v !== 'string' || !columns[i]) return;
    const perLine = Math.max(1, Math.floor((columns[i].width * 1.1) / wider));
    const words = v.split(/\s+/);
    let count = 1;
    let used = 0;
    for (const word of words) {
      if (used && used + 1 + word.length > perLine) {
        count++;
        used = word.length;
      } else used += (used ? 1 : 0) + word.length;
    }
    lines = Math.max(lines, count);
  });
  return lines > 1 ? lines * 15 : undefined;
}

/** A column's letters (1 → A, 27 → AA). */
function columnLetter(n: number): string {
  let letters = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26))
    letters = String.fromCharCode(65 + ((x - 1) % 26)) + letters;
  return letters;
}

/** Header block; returns the first free row. */
export function writeHeader(
  sheet: ExcelJS.Worksheet,
  heading: SheetHeading,
  title: string,
  columns: number,
  part?: string,
): number {
  const half = Math.max(2, Math.floor(columns / 2));
  const put = (row: number, from: number, to: number, text: string, font: Partial<ExcelJS.Font> = {}) => {
    if (to > from) sheet.mergeCells(row, from, row, to);
    const cell = sheet.getCell(row, from);
    cell.value = text;
    cell.font = { name: FONT, size: 11, ...font };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  };
  const right = Math.max(half + 1, columns);
  put(1, 1, half, heading.unitName.toUpperCase());
  put(1, half + 1, right, NATIONAL_NAME, { bold: true });
  put(2, 1, half, 'BAN CHỈ ĐẠO BÌNH DÂN HỌC AI', { bold: true });
  put(2, half + 1, right, MOTTO, { bold: true, underline: true, size: 12 });
  put(4, 1, half, 'Số: ......./BC-BCĐ');
  put(4, half + 1, right, placeAndDate(heading.place, heading.today), { italic: true });
  put(6, 1, right, title, { bold: true, size: 14 });
  put(7, 1, right, heading.programName, { bold: true });
  put(8, 1, right, heading.periodLine, {
    italic: true,
  });
  if (part) put(9, 1, right, part, { bold: true });
  for (let r = 1; r <= 9; r++) sheet.getRow(r).commit();
  return 10;
}

function writeTableHeader(sheet: ExcelJS.Worksheet, row: number, columns: Column[]): void {
  const header = sheet.getRow(row);
  header.height =
    rowHeight(
      columns.map((c) => c.header),
      columns,
      1.25,
    ) ?? 15;
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { name: FONT, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
  });
  header.commit();
}

export function writeDataRow(
  sheet: ExcelJS.Worksheet,
  row: number,
  values: unknown[],
  columns: Column[],
  bold = false,
): void {
  const r = sheet.getRow(row);
  const height = rowHeight(values, columns);
  if (height) r.height = height;
  values.forEach((v, i) => {
    const cell = r.getCell(i + 1);
    cell.value = plainValue(v);
    cell.border = BORDER;
    cell.font = { name: FONT, bold };
    // Text wraps in its column (the row grows) rather than running under the next one or being cut.
    cell.alignment = columns[i]?.numeric ? { horizontal: 'right' } : { wrapText: true, vertical: 'top' };
    if (columns[i]?.percent && typeof v === 'number') cell.numFmt = percentFormat(v);
  });
  r.commit();
}

/** Notes and the signature block under a table. */
export function writeFooter(sheet: ExcelJS.Worksheet, row: number, columns: number, notes: string[]): number {
  let r = row + 1;
  for (const note of notes) {
    sheet.mergeCells(r, 1, r, columns);
    const cell = sheet.getCell(r, 1);
    cell.value = note;
    cell.font = { name: FONT, italic: true, size: 10 };
    cell.alignment = { wrapText: true };
    sheet.getRow(r).height = 30;
    sheet.getRow(r).commit();
    r++;
  }
  r++;
  const half = Math.max(2, Math.floor(columns / 2));
  const right = Math.max(half + 1, columns);
  const sign = (row: number, italic: boolean) => {
    sheet.mergeCells(row, 1, row, half);
    sheet.mergeCells(row, half + 1, row, right);
    for (const [col, value] of [
      [1, italic ? PREPARER.hint : PREPARER.title],
      [half + 1, italic ? HEAD.hint : HEAD.title],
    ] as const) {
      const cell = sheet.getCell(row, col);
      cell.value = value;
      cell.font = { name: FONT, bold: !italic, italic };
      cell.alignment = { horizontal: 'center' };
    }
    sheet.getRow(row).commit();
  };
  sign(r, false);
  sign(r + 1, true);
  // Room for the signatures under the captions.
  return r + 5;
}

export function addSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: Column[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
      // The first two columns (STT and the unit or person) repeat on every page printed across.
      printTitlesColumn: 'A:B',
    },
    headerFooter: { oddFooter: `&L&"${FONT}"&10${name}&R&"${FONT}"&10Trang &P/&N` },
  });
  sheet.columns = columns.map((c) => ({ width: c.width }));
  return sheet;
}

/**
 * What prints: the sheet's used range, with the table's header rows repeated at the top of every page. Set
 * once the last row is known; exceljs writes both as defined names when the workbook is committed.
 */
export function setPrintable(
  sheet: ExcelJS.Worksheet,
  columns: number,
  lastRow: number,
  titles: [number, number],
): void {
  sheet.pageSetup.printArea = `A1:${columnLetter(columns)}${lastRow}`;
  sheet.pageSetup.printTitlesRow = `${titles[0]}:${titles[1]}`;
}

/**
 * A list: the header block and the table header, then one row per `add`; `end` writes the notes and
 * signatures. A sheet holds at most `rowsPerSheet` rows (Excel's limit), so a longer list goes on in
 * "Name (2)", "Name (3)"…, each starting with the table header again.
 */
export function startList(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  heading: SheetHeading,
  name: string,
  title: string,
  columns: Column[],
  rowsPerSheet: number,
): SheetList {
  let part = 1;
  let sheet = addSheet(workbook, name, columns);
  let row = writeHeader(sheet, heading, title, columns.length);
  let titleRow = row;
  writeTableHeader(sheet, row++, columns);
  return {
    add: (values) => {
      if (row > rowsPerSheet - FOOTER_ROWS) {
        setPrintable(sheet, columns.length, row - 1, [titleRow, titleRow]);
        sheet.commit();
        sheet = addSheet(workbook, `${name} (${++part})`, columns);
        writeTableHeader(sheet, 1, columns);
        titleRow = 1;
        row = 2;
      }
      writeDataRow(sheet, row++, values, columns);
    },
    end: (notes) => {
      const last = writeFooter(sheet, row, columns.length, notes);
      setPrintable(sheet, columns.length, last, [titleRow, titleRow]);
      sheet.commit();
    },
  };
}
