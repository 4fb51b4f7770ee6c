import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DomainError, FieldError } from '../errors/domain-error';
import { zipProblem } from './zip-limits';

/** One column of an import template: the header people see, and how a cell is read. */
export interface TableColumn {
  key: string;
  header: string;
  kind: 'text' | 'integer' | 'date' | 'choice';
  required?: boolean;
  /** For `choice`: allowed values (shown as a dropdown in the template). */
  choices?: readonly string[];
  width?: number;
  /** Integer bounds. */
  min?: number;
  max?: number;
}

export interface TableRow {
  /** Row number as the spreadsheet shows it (1-based). */
  row: number;
  values: Record<string, string | number | null>;
}

export const ImportErrors = {
  file: (reason: string) =>
    new DomainError('IMPORT_FILE_INVALID', 400, `Không đọc được tệp Excel: ${reason}`, {}, [
      { field: 'file', reason },
    ]),
  template: (missing: string[]) =>
    new DomainError(
      'IMPORT_TEMPLATE_INVALID',
      400,
      'Tệp không đúng biểu mẫu: thiếu cột ' +
        missing.map((m) => `"${m}"`).join(', ') +
        '. Hãy tải biểu mẫu mới.',
      { missingColumns: missing },
      missing.map((m) => ({ field: m, reason: 'thiếu cột này trong dòng tiêu đề' })),
    ),
  rows: (errors: FieldError[], total: number) =>
    new DomainError(
      'IMPORT_ROWS_INVALID',
      400,
      `Có ${total} lỗi trong tệp; không có dòng nào được ghi. Sửa các dòng được nêu rồi tải lên lại.`,
      { errorCount: total },
      errors,
    ),
};

const MAX_ERRORS = 200;

function cellText(cell: ExcelJS.CellValue): string | null {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell === 'object') {
    if ('richText' in cell) return cell.richText.map((part) => part.text).join('');
    if ('result' in cell) return cellText(cell.result);
    if ('text' in cell) return String(cell.text);
    return null;
  }
  const text = String(cell).normalize('NFC').trim();
  return text === '' ? null : text;
}

/**
 * Reads the first worksheet of an uploaded workbook as a table — once its zip is known to unpack within
 * limits (zip-limits.ts) — with exceljs's streaming reader (rows are
 * parsed as they come, never a whole workbook model in memory): the header row is found by its captions
 * (so a title block above it is fine), every cell is converted and checked, and every problem is reported
 * with its row number, column and reason. Nothing is returned unless the whole table is valid.
 */
export async function readTable(
  buffer: Buffer,
  columns: TableColumn[],
  options: {
    maxRows?: number;
    /** Collect the cells' problems here (the rows are returned, bad cells null) instead of throwing them. */
    errors?: FieldError[];
  } = {},
): Promise<TableRow[]> {
  const errors: FieldError[] = [];
  const rows: TableRow[] = [];
  for await (const row of await tableRows(buffer, columns, { maxRows: options.maxRows, errors }))
    rows.push(row);
  if (errors.length && options.errors) options.errors.push(...errors.slice(0, MAX_ERRORS));
  else if (errors.length) throw ImportErrors.rows(errors.slice(0, MAX_ERRORS), errors.length);
  return rows;
}

/**
 * The same table row by row, as the reader parses them, for imports that stream their rows on (into a
 * staging table) instead of holding them: the file's own problems are thrown at once, the template's
 * (header row not found, columns missing) when the sheet has been read; the cells' problems go to `errors`
 * and their rows come out with the bad cells null.
 */
export async function tableRows(
  buffer: Buffer,
  columns: TableColumn[],
  options: { maxRows?: number; errors: FieldError[] },
): Promise<AsyncGenerator<TableRow>> {
  if (buffer.subarray(0, 2).toString('latin1') !== 'PK') {
    throw ImportErrors.file('tệp không phải bảng tính Excel (.xlsx) hợp lệ');
  }
  const bomb = await zipProblem(buffer);
  if (bomb) throw ImportErrors.file(bomb);
  return readRows(buffer, columns, options);
}

async function* readRows(
  buffer: Buffer,
  columns: TableColumn[],
  options: { maxRows?: number; errors: FieldError[] },
): AsyncGenerator<TableRow> {
  const fold = (s: string) => s.normalize('NFC').trim().toLowerCase();
  let headerRow = 0;
  let sawSheet = false;
  let count = 0;
  const positions = new Map<string, number>();
  const fail = (row: number, column: TableColumn, reason: string) =>
    options.errors.push({ row, field: column.header, reason });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  const sheets = reader[Symbol.asyncIterator]();
  // The reader's own failures are the file's; the consumer's (thrown where a row is yielded) pass through.
  const next = async <T>(step: () => Promise<IteratorResult<T>>): Promise<IteratorResult<T>> => {
    try {
      return await step();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw ImportErrors.file('tệp không phải bảng tính Excel (.xlsx) hợp lệ');
    }
  };
  const sheet = await next(() => sheets.next());
  if (!sheet.done) {
    sawSheet = true;
    const sources: AsyncIterator<ExcelJS.Row> = (sheet.value as AsyncIterable<ExcelJS.Row>)[
      Symbol.asyncIterator
    ]();
    try {
      for (let step = await next(() => sources.next()); !step.done; step = await next(() => sources.next())) {
        const source = step.value;
        const r = source.number;
        if (!headerRow) {
          if (r > 15) break;
          const captions = new Map<string, number>();
          source.eachCell((cell, col) => {
            const text = cellText(cell.value);
            if (text) captions.set(fold(text), col);
          });
          if (captions.has(fold(columns[0].header))) {
            headerRow = r;
            for (const column of columns) {
              const col = captions.get(fold(column.header));
              if (col) positions.set(column.key, col);
            }
            if (positions.size < columns.length) break;
          }
          continue;
        }
        const raw = columns.map((c) => cellText(source.getCell(positions.get(c.key)!).value));
        if (raw.every((v) => v === null)) continue;
        if (options.maxRows && count >= options.maxRows) {
          throw ImportErrors.file(`tệp có quá ${options.maxRows} dòng dữ liệu`);
        }
        count++;
        yield { row: r, values: convertRow(r, raw, columns, fail) };
      }
    } finally {
      // Only the first sheet is read: the reader is closed as a for-await loop's break would.
      await sources.return?.().catch(() => undefined);
      await sheets.return?.(undefined).catch(() => undefined);
    }
  }
  if (!sawSheet) throw ImportErrors.file('tệp không có trang tính nào');
  const missing = columns.filter((c) => !positions.has(c.key)).map((c) => c.header);
  if (!headerRow || missing.length)
    throw ImportErrors.template(headerRow ? missing : columns.map((c) => c.header));
}

/** One row's cells, converted by column kind; problems go to `fail`. */
function convertRow(
  r: number,
  raw: (string | null)[],
  columns: TableColumn[],
  fail: (row: number, column: TableColumn, reason: string) => void,
): TableRow['values'] {
  const values: TableRow['values'] = {};
  columns.forEach((column, i) => {
    const text = raw[i];
    if (text === null) {
      if (column.required) fail(r, column, 'không được để trống');
      values[column.key] = null;
      return;
    }
    switch (column.kind) {
      case 'text':
        values[column.key] = text;
        break;
      case 'integer': {
        const n = Number(text.replace(/[.,\s](?=\d{3}\b)/g, ''));
        if (!Number.isInteger(n)) fail(r, column, `"${text}" không phải số nguyên`);
        else if (
          (column.min !== undefined && n < column.min) ||
          (column.max !== undefined && n > column.max)
        ) {
          fail(r, column, `phải từ ${column.min ?? '…'} đến ${column.max ?? '…'}`);
        } else values[column.key] = n;
        break;
      }
      case 'date': {
        const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
        const iso = match ? `${match[3]}-${match[2].padStart(2, '0')}-${match[1].padStart(2, '0')}` : text;
        const date = new Date(`${iso}T00:00:00Z`);
        if (
          !/^\d{4}-\d{2}-\d{2}$/.test(iso) ||
          Number.isNaN(date.getTime()) ||
          date.toISOString().slice(0, 10) !== iso
        ) {
          fail(r, column, `"${text}" không phải ngày hợp lệ (dd/mm/yyyy)`);
        } else values[column.key] = iso;
        break;
      }
      case 'choice':
        if (!column.choices?.includes(text))
          fail(r, column, `"${text}" không thuộc danh sách: ${column.choices?.join(', ')}`);
        else values[column.key] = text;
        break;
    }
  });
  return values;
}

/**
 * A template workbook: the national motto header, a title, the header row, optional pre-filled rows, and
 * dropdowns for choice columns. Small by nature (a unit's children, a class roster), so built in memory.
 */
export async function buildTemplate(options: {
  sheetName: string;
  title: string;
  subtitle?: string;
  columns: TableColumn[];
  rows?: Record<string, string | number | null>[];
  /** Rows offered for filling in (with dropdowns) when none are pre-filled. */
  blankRows?: number;
}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Lan Tỏa';
  const sheet = workbook.addWorksheet(options.sheetName);
  const last = options.columns.length;
  const line = (row: number, text: string, bold = false, size = 11) => {
    sheet.mergeCells(row, 1, row, last);
    const cell = sheet.getCell(row, 1);
    cell.value = text;
    cell.font = { bold, size };
    cell.alignment = { horizontal: 'center' };
  };
  line(1, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', true);
  line(2, 'Độc lập - Tự do - Hạnh phúc', true);
  line(4, options.title, true, 14);
  if (options.subtitle) line(5, options.subtitle);
  const headerRow = 7;
  options.columns.forEach((column, i) => {
    const cell = sheet.getCell(headerRow, i + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = {
      top: { style: 'thin' },
      bottom: { style: 'thin' },
      left: { style: 'thin' },
      right: { style: 'thin' },
    };
    cell.alignment = { wrapText: true, vertical: 'middle' };
    sheet.getColumn(i + 1).width = column.width ?? 18;
  });
  const rows = options.rows ?? [];
  rows.forEach((values, r) => {
    options.columns.forEach((column, i) => {
      sheet.getCell(headerRow + 1 + r, i + 1).value = values[column.key] ?? null;
    });
  });
  const filled = Math.max(rows.length, options.blankRows ?? 0);
  options.columns.forEach((column, i) => {
    if (column.kind !== 'choice' || !column.choices?.length) return;
    for (let r = headerRow + 1; r <= headerRow + Math.max(filled, 1); r++) {
      sheet.getCell(r, i + 1).dataValidation = {
        type: 'list',
        allowBlank: !column.required,
        formulae: [`"${column.choices.join(',')}"`],
        showErrorMessage: true,
        errorTitle: 'Giá trị không hợp lệ',
        error: `Chọn một trong: ${column.choices.join(', ')}`,
      };
    }
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
