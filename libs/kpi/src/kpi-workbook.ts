import { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Principal } from '../../access/src';
import {
  Clock,
  formatDate,
  MOTTO,
  NATIONAL_NAME,
  placeAndDate,
  ReadReplicas,
  vnDay,
} from '../../platform/src';
import { maskCccd, maskPhone, seesPersonalData } from '../../people/src';
import { ProgramRow } from '../../programs/src';
import { computePace } from '../../trainers/src';
import { segmentNames } from './indicators';
import { KpiDto } from './kpi.dto';
import { TRAINERS_SOURCE } from './kpi-figures.repository';
import { attributed, KpiView, VIEW_LABELS } from './kpi-sql';
import { KpiUnit } from './kpi-units';
import { DISTINCT_NOTE, ONLINE_NOTE, PACE_NOTE, REPORTED_NOTE } from './kpi.service';
import { Period } from './period';
import { NO_TARGET, percentFormat, percentOf } from './percent';

export const EXPORT_SHEETS = ['summary', 'trainers', 'classes', 'learners'] as const;
export type ExportSheet = (typeof EXPORT_SHEETS)[number];

/** Rows read from the database per query: a batch is written and dropped before the next is read. */
const BATCH = 2_000;
/** Excel's rows per worksheet, and the rows kept free at the end of a list for its notes and signatures. */
export const EXCEL_MAX_ROWS = 1_048_576;
const FOOTER_ROWS = 20;
const FONT = 'Times New Roman';
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

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

const TIERS: Record<string, string> = {
  provincial_core: 'Nòng cốt cấp tỉnh',
  commune_core: 'Nòng cốt cấp xã',
  organisation: 'Cơ quan, đơn vị',
};
const CLASS_STATUSES: Record<string, string> = {
  draft: 'Nháp',
  scheduled: 'Đã lên lịch',
  in_progress: 'Đang học',
  completed: 'Đã kết thúc',
  cancelled: 'Đã hủy',
};
const MODES: Record<string, string> = { in_person: 'Trực tiếp', online: 'Trực tuyến', blended: 'Kết hợp' };
const GENDERS: Record<string, string> = { male: 'Nam', female: 'Nữ', other: 'Khác' };
const yesNo = (v: unknown) => (v ? 'Có' : 'Không');

/** A percentage of target's cell: the number, or the no-target words for a zero target. */
const percentCell = (f: { target: number | null; percentOfTarget: number | null }) =>
  f.target === 0 ? NO_TARGET : f.percentOfTarget;

/** A DATE column's value as dd/mm/yyyy. */
const day = (v: unknown) => (typeof v === 'string' ? formatDate(v.slice(0, 10)) : '');

interface Column {
  header: string;
  width: number;
  numeric?: boolean;
  /** A percentage: one decimal shown below 10 %, none above. */
  percent?: boolean;
}

export interface WorkbookInput {
  principal: Principal;
  program: ProgramRow;
  unit: KpiUnit;
  period: Period;
  view: KpiView;
  kpi: KpiDto;
  sheets: readonly ExportSheet[];
  place: string;
}

/**
 * The official KPI workbook, written with exceljs's streaming writer: each sheet opens with the national
 * motto header, the issuing unit, the title, number and date line and the period; tables are filled batch by
 * batch (keyset pagination) and every row is committed as it is written, so memory stays flat whatever the
 * size; each sheet closes with its notes and the signature block.
 */
@Injectable()
export class KpiWorkbook {
  /** Rows per worksheet before a list goes on in the next one. */
  rowsPerSheet = EXCEL_MAX_ROWS;

  constructor(
    private readonly reads: ReadReplicas,
    private readonly clock: Clock,
  ) {}

  /** Rows the workbook will have (to decide between a direct download and a background job). */
  async estimate(
    input: Omit<WorkbookInput, 'principal' | 'place' | 'kpi'> & { learners: number },
  ): Promise<number> {
    const [row]: { trainers: number; classes: number }[] = await this.reads.query(
      `SELECT (SELECT count(*)::int FROM trainer WHERE program_id = $1) AS trainers,
              (SELECT count(*)::int FROM training_class WHERE program_id = $1) AS classes`,
      [input.program.id],
    );
    const sheets = new Set(input.sheets);
    return (
      (sheets.has('trainers') ? row.trainers : 0) +
      (sheets.has('classes') ? row.classes : 0) +
      (sheets.has('learners') ? input.learners : 0)
    );
  }

  async write(
    input: WorkbookInput,
    stream: Writable,
    progress: (done: number) => Promise<void> = async () => undefined,
  ): Promise<number> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream,
      useStyles: true,
      useSharedStrings: false,
    });
    workbook.creator = 'Lan Tỏa';
    workbook.created = new Date(this.clock.now());
    let rows = 0;
    const counted = async (n: number) => {
      rows += n;
      await progress(rows);
    };
    for (const sheet of input.sheets) {
      if (sheet === 'summary') this.summary(workbook, input);
      if (sheet === 'trainers') await this.trainers(workbook, input, counted);
      if (sheet === 'classes') await this.classes(workbook, input, counted);
      if (sheet === 'learners') await this.learners(workbook, input, counted);
    }
    await workbook.commit();
    return rows;
  }

  /** Header block; returns the first free row. */
  private header(sheet: ExcelJS.Worksheet, input: WorkbookInput, title: string, columns: number): number {
    const half = Math.max(2, Math.floor(columns / 2));
    const put = (row: number, from: number, to: number, text: string, font: Partial<ExcelJS.Font> = {}) => {
      if (to > from) sheet.mergeCells(row, from, row, to);
      const cell = sheet.getCell(row, from);
      cell.value = text;
      cell.font = { name: FONT, size: 11, ...font };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    };
    const right = Math.max(half + 1, columns);
    put(1, 1, half, input.unit.fullName.toUpperCase());
    put(1, half + 1, right, NATIONAL_NAME, { bold: true });
    put(2, 1, half, 'BAN CHỈ ĐẠO BÌNH DÂN HỌC AI', { bold: true });
    put(2, half + 1, right, MOTTO, { bold: true, underline: true, size: 12 });
    put(4, 1, half, 'Số: ......./BC-BCĐ');
    put(4, half + 1, right, placeAndDate(input.place, this.clock.today()), { italic: true });
    put(6, 1, right, title, { bold: true, size: 14 });
    put(7, 1, right, input.program.name, { bold: true });
    put(
      8,
      1,
      right,
      `Kỳ báo cáo: ${input.period.label} — ${input.unit.fullName} (${VIEW_LABELS[input.view]})`,
      {
        italic: true,
      },
    );
    for (let r = 1; r <= 8; r++) sheet.getRow(r).commit();
    return 10;
  }

  private tableHeader(sheet: ExcelJS.Worksheet, row: number, columns: Column[]): void {
    const header = sheet.getRow(row);
    columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.font = { name: FONT, bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
    });
    header.commit();
  }

  private dataRow(
    sheet: ExcelJS.Worksheet,
    row: number,
    values: unknown[],
    columns: Column[],
    bold = false,
  ): void {
    const r = sheet.getRow(row);
    values.forEach((v, i) => {
      const cell = r.getCell(i + 1);
      cell.value = plainValue(v);
      cell.border = BORDER;
      cell.font = { name: FONT, bold };
      if (columns[i]?.numeric) cell.alignment = { horizontal: 'right' };
      if (columns[i]?.percent && typeof v === 'number') cell.numFmt = percentFormat(v);
    });
    r.commit();
  }

  /** Notes and the signature block under a table. */
  private footer(sheet: ExcelJS.Worksheet, row: number, columns: number, notes: string[]): void {
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
    const sign = (row: number, text: string, italic: boolean) => {
      sheet.mergeCells(row, 1, row, half);
      sheet.mergeCells(row, half + 1, row, right);
      for (const [col, value] of [
        [1, italic ? '(Ký, ghi rõ họ tên)' : text],
        [half + 1, italic ? '(Ký tên, đóng dấu)' : 'THỦ TRƯỞNG ĐƠN VỊ'],
      ] as const) {
        const cell = sheet.getCell(row, col);
        cell.value = value;
        cell.font = { name: FONT, bold: !italic, italic };
        cell.alignment = { horizontal: 'center' };
      }
      sheet.getRow(row).commit();
    };
    sign(r, 'NGƯỜI LẬP BIỂU', false);
    sign(r + 1, '', true);
  }

  private sheet(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    name: string,
    columns: Column[],
  ): ExcelJS.Worksheet {
    const sheet = workbook.addWorksheet(name, {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    sheet.columns = columns.map((c) => ({ width: c.width }));
    return sheet;
  }

  /**
   * A list: the header block and the table header, then one row per `add`; `end` writes the notes and
   * signatures. A sheet holds at most `rowsPerSheet` rows (Excel's limit), so a longer list goes on in
   * "Name (2)", "Name (3)"…, each starting with the table header again.
   */
  private list(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    input: WorkbookInput,
    name: string,
    title: string,
    columns: Column[],
  ): { add: (values: unknown[]) => void; end: (notes: string[]) => void } {
    let part = 1;
    let sheet = this.sheet(workbook, name, columns);
    let row = this.header(sheet, input, title, columns.length);
    this.tableHeader(sheet, row++, columns);
    return {
      add: (values) => {
        if (row > this.rowsPerSheet - FOOTER_ROWS) {
          sheet.commit();
          sheet = this.sheet(workbook, `${name} (${++part})`, columns);
          this.tableHeader(sheet, 1, columns);
          row = 2;
        }
        this.dataRow(sheet, row++, values, columns);
      },
      end: (notes) => {
        this.footer(sheet, row, columns.length, notes);
        sheet.commit();
      },
    };
  }

  /** Summary by child unit: target / actual / % per indicator; the totals row is the unit's own figures. */
  private summary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, input: WorkbookInput): void {
    const { kpi } = input;
    const indicators = kpi.indicators.filter((d) => d.source !== 'program');
    const columns: Column[] = [
      { header: 'STT', width: 6 },
      { header: 'Đơn vị', width: 32 },
      ...indicators.flatMap(() => [
        { header: 'Kế hoạch', width: 11, numeric: true },
        { header: 'Thực hiện', width: 11, numeric: true },
        { header: 'Tỷ lệ đạt (%)', width: 10, numeric: true, percent: true },
      ]),
    ];
    const sheet = this.sheet(workbook, 'Tổng hợp theo đơn vị', columns);
    let row = this.header(sheet, input, 'BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU THEO ĐƠN VỊ', columns.length);
    // Two header rows: the indicator over its three columns, then plan / actual / %.
    const top = sheet.getRow(row);
    for (const [i, label] of ['STT', 'Đơn vị'].entries()) {
      sheet.mergeCells(row, i + 1, row + 1, i + 1);
      top.getCell(i + 1).value = label;
    }
    indicators.forEach((d, i) => {
      const from = 3 + i * 3;
      sheet.mergeCells(row, from, row, from + 2);
      top.getCell(from).value = `${d.name}${d.unitOfMeasure ? ` (${d.unitOfMeasure})` : ''}`;
    });
    top.height = 60;
    top.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { name: FONT, bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
    });
    top.commit();
    const second = sheet.getRow(row + 1);
    columns.forEach((c, i) => {
      const cell = second.getCell(i + 1);
      if (i >= 2) cell.value = c.header;
      cell.font = { name: FONT, bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
    });
    second.commit();
    row += 2;
    kpi.byChild.forEach((child, i) => {
      const values = indicators.flatMap((d) => {
        const f = child.indicators[d.code];
        return [f.target, f.actual, percentCell(f)];
      });
      const name = child.unit.current ? child.unit.fullName : `${child.unit.fullName} (trước sắp xếp)`;
      this.dataRow(sheet, row++, [i + 1, name, ...values], columns);
    });
    const totals = indicators.flatMap((d) => [d.target, d.actual, percentCell(d)]);
    this.dataRow(sheet, row++, ['', `Tổng cộng ${kpi.unit.fullName} (*)`, ...totals], columns, true);
    this.footer(sheet, row, columns.length, [`(*) ${DISTINCT_NOTE}`, ONLINE_NOTE, REPORTED_NOTE, PACE_NOTE]);
    sheet.commit();
  }

  /** Reads `sql` (ordered by its keyset columns) batch by batch and writes each row. */
  private async batches(
    sql: (after: string) => string,
    params: unknown[],
    keys: [string, string],
    each: (row: Record<string, unknown>) => Promise<void> | void,
    counted: (n: number) => Promise<void>,
  ): Promise<void> {
    let last: [unknown, unknown] | null = null;
    for (;;) {
      const n = params.length;
      const after = last ? `AND (${keys[0]}, ${keys[1]}) > ($${n + 1}, $${n + 2})` : '';
      const rows: Record<string, unknown>[] = await this.reads.query(
        `${sql(after)} ORDER BY ${keys[0]}, ${keys[1]} LIMIT ${BATCH}`,
        last ? [...params, ...last] : params,
      );
      for (const row of rows) await each(row);
      await counted(rows.length);
      if (rows.length < BATCH) return;
      const tail = rows[rows.length - 1];
      last = [tail.__k1, tail.__k2];
    }
  }

  private async trainers(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    input: WorkbookInput,
    counted: (n: number) => Promise<void>,
  ): Promise<void> {
    const columns: Column[] = [
      { header: 'STT', width: 6 },
      { header: 'Họ và tên', width: 26 },
      { header: 'Năm sinh', width: 9 },
      { header: 'Lực lượng', width: 18 },
      { header: 'Đơn vị', width: 26 },
      { header: 'Chỉ tiêu (người)', width: 11, numeric: true },
      { header: 'Đã đào tạo (người)', width: 11, numeric: true },
      { header: 'Tỷ lệ chỉ tiêu (%)', width: 10, numeric: true, percent: true },
      { header: 'Tốc độ 4 tuần gần nhất (người/tuần)', width: 13, numeric: true },
      { header: 'Tốc độ cần để kịp hạn (người/tuần)', width: 13, numeric: true },
      { header: 'Dự kiến hoàn thành', width: 13 },
      { header: 'Chậm tiến độ', width: 10 },
    ];
    const list = this.list(
      workbook,
      input,
      'Giảng viên',
      'DANH SÁCH GIẢNG VIÊN VÀ TIẾN ĐỘ CHỈ TIÊU',
      columns,
    );
    const today = this.clock.today();
    let n = 0;
    await this.batches(
      (after) => `
        SELECT p.full_name AS "fullName", p.birth_year AS "birthYear", t.tier, hu.full_name AS "homeUnit",
               coalesce(t.quota, g.default_quota) AS quota, t.direct_reach AS "directReach",
               (SELECT coalesce(sum(d.reached), 0)::int FROM trainer_reach_daily d
                 WHERE d.trainer_id = t.id AND d.day > $4::date - 28 AND d.day <= $4::date) AS "lastFourWeeks",
               p.sort_key AS __k1, t.id AS __k2
          FROM (${attributed(input.view, TRAINERS_SOURCE)}) a
          JOIN trainer t ON t.id = a.id JOIN person p ON p.id = t.person_id
          JOIN admin_unit hu ON hu.id = t.home_unit_id JOIN program g ON g.id = t.program_id
         WHERE a.anc = $2 AND a.day < $3 ${after}`,
      [input.program.id, input.unit.id, input.period.to, today],
      ['p.sort_key', 't.id'],
      (t) => {
        const pace = computePace({
          quota: Number(t.quota),
          directReach: Number(t.directReach),
          lastFourWeeks: Number(t.lastFourWeeks),
          today,
          endsOn: input.program.endsOn,
        });
        list.add([
          ++n,
          t.fullName,
          t.birthYear,
          TIERS[String(t.tier)] ?? t.tier,
          t.homeUnit,
          pace.quota,
          pace.directReach,
          percentOf(pace.directReach, pace.quota),
          pace.currentPacePerWeek,
          pace.neededPacePerWeek,
          day(pace.projectedCompletionDate),
          yesNo(pace.behindSchedule),
        ]);
      },
      counted,
    );
    list.end([PACE_NOTE]);
  }

  private async classes(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    input: WorkbookInput,
    counted: (n: number) => Promise<void>,
  ): Promise<void> {
    const columns: Column[] = [
      { header: 'STT', width: 6 },
      { header: 'Tên lớp', width: 34 },
      { header: 'Cấp độ', width: 7 },
      { header: 'Loại lớp', width: 14 },
      { header: 'Địa bàn', width: 24 },
      { header: 'Giảng viên chính', width: 24 },
      { header: 'Hình thức', width: 11 },
      { header: 'Trạng thái', width: 12 },
      { header: 'Buổi đầu', width: 11 },
      { header: 'Buổi cuối', width: 11 },
      { header: 'Học viên', width: 9, numeric: true },
      { header: 'Hoàn thành', width: 10, numeric: true },
    ];
    const list = this.list(workbook, input, 'Lớp học', 'DANH SÁCH LỚP HỌC', columns);
    // Every class whose first session falls in the period, whatever its state (classes held: "Đã kết thúc").
    const source = `
      SELECT c.id, c.unit_id, ${vnDay('min(s.starts_at)')} AS day, ${vnDay('max(s.starts_at)')} AS last_day
        FROM training_class c JOIN class_session s ON s.class_id = c.id
       WHERE c.program_id = $1 AND c.status <> 'cancelled'
       GROUP BY c.id, c.unit_id`;
    let n = 0;
    await this.batches(
      (after) => `
        SELECT c.title, c.level, c.kind, u.full_name AS unit, lp.full_name AS lead, c.mode, c.status,
               a.day AS "firstDay", a.last_day AS "lastDay", c.enrolled_count AS enrolled,
               (SELECT count(*)::int FROM enrolment e WHERE e.class_id = c.id AND e.status = 'completed') AS completed,
               a.day AS __k1, c.id AS __k2
          FROM (${attributed(input.view, source)}) a
          JOIN training_class c ON c.id = a.id JOIN admin_unit u ON u.id = c.unit_id
          JOIN trainer lt ON lt.id = c.lead_trainer_id JOIN person lp ON lp.id = lt.person_id
         WHERE a.anc = $2 AND a.day >= $3 AND a.day < $4 ${after}`,
      [input.program.id, input.unit.id, input.period.from, input.period.to],
      ['a.day', 'c.id'],
      (c) =>
        list.add([
          ++n,
          c.title,
          c.level,
          c.kind === 'citizen' ? 'Lớp người dân' : 'Đào tạo giảng viên',
          c.unit,
          c.lead,
          MODES[String(c.mode)] ?? c.mode,
          CLASS_STATUSES[String(c.status)] ?? c.status,
          day(c.firstDay),
          day(c.lastDay),
          c.enrolled,
          c.completed,
        ]),
      counted,
    );
    list.end([]);
  }

  private async learners(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    input: WorkbookInput,
    counted: (n: number) => Promise<void>,
  ): Promise<void> {
    const columns: Column[] = [
      { header: 'STT', width: 8 },
      { header: 'Họ và tên', width: 26 },
      { header: 'Năm sinh', width: 9 },
      { header: 'Giới tính', width: 8 },
      { header: 'Đối tượng', width: 24 },
      { header: 'Nơi cư trú', width: 24 },
      { header: 'Số CCCD', width: 15 },
      { header: 'Số điện thoại', width: 14 },
      { header: 'Ngày học đầu tiên', width: 12 },
      { header: 'Ngày hoàn thành', width: 12 },
      { header: 'Ứng dụng được công cụ AI', width: 11 },
      { header: 'Hình thức', width: 14 },
    ];
    const segments = segmentNames(input.program);
    const list = this.list(workbook, input, 'Người học', 'DANH SÁCH NGƯỜI HỌC ĐƯỢC TIẾP CẬN', columns);
    let n = 0;
    await this.batches(
      (after) => `
        SELECT p.full_name AS "fullName", p.birth_year AS "birthYear", p.gender, p.segment, cu.full_name AS commune,
               cu.path AS "unitPath", p.cccd, p.phone, f.first_attended_on AS "firstDay", f.completed_on AS "completedOn",
               f.proficient, coalesce(f.completed_via, f.reached_via) AS via, p.sort_key AS __k1, p.id AS __k2
          FROM kpi_person_fact f JOIN person p ON p.id = f.person_id JOIN admin_unit cu ON cu.id = p.commune_id
         WHERE f.program_id = $1 AND f.view = $2 AND f.unit_id = $3
           AND f.first_attended_on >= $4 AND f.first_attended_on < $5 ${after}`,
      [input.program.id, input.view, input.unit.id, input.period.from, input.period.to],
      ['p.sort_key', 'p.id'],
      (p) => {
        const full = seesPersonalData(input.principal, { unitPath: String(p.unitPath) });
        list.add([
          ++n,
          p.fullName,
          p.birthYear,
          GENDERS[String(p.gender)] ?? p.gender,
          segments[String(p.segment)] ?? p.segment,
          p.commune,
          typeof p.cccd === 'string' ? (full ? p.cccd : maskCccd(p.cccd)) : '',
          typeof p.phone === 'string' ? (full ? p.phone : maskPhone(p.phone)) : '',
          day(p.firstDay),
          day(p.completedOn),
          yesNo(p.proficient),
          p.via === 'online' ? 'Trực tuyến / đối tác' : 'Lớp học',
        ]);
      },
      counted,
    );
    list.end([
      'Người học được tiếp cận: người có ít nhất một buổi học có mặt, hoặc bài học trực tuyến do đối tác gửi, trong kỳ; mỗi người một dòng.',
      'Hình thức: cách người học hoàn thành lần đầu (hoặc được tiếp cận lần đầu, nếu chưa hoàn thành).',
    ]);
  }
}
