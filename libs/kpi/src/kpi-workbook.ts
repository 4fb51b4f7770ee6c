import { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Principal } from '../../access/src';
import { Clock, formatDate } from '../../platform/src';
import { maskCccd, maskPhone, seesPersonalData } from '../../people/src';
import { ProgramRow } from '../../programs/src';
import { computePace } from '../../trainers/src';
import { segmentNames } from './indicators';
import { KpiDto } from './kpi.dto';
import { KpiView, VIEW_LABELS } from './kpi-view';
import { KpiUnit } from './kpi-units';
import { PACE_NOTE } from './kpi.service';
import { Column, SheetHeading, SheetList, startList } from './kpi-workbook-layout';
import { KpiWorkbookRepository, SheetScope } from './kpi-workbook.repository';
import { writeSummary } from './kpi-workbook-summary';
import { Period } from './period';
import { percentOf } from './percent';

export { SUMMARY_SHEET, summaryGroups } from './kpi-workbook-summary';

export const EXPORT_SHEETS = ['summary', 'trainers', 'classes', 'learners'] as const;
export type ExportSheet = (typeof EXPORT_SHEETS)[number];

/** Excel's rows per worksheet. */
export const EXCEL_MAX_ROWS = 1_048_576;

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

/** A DATE column's value as dd/mm/yyyy. */
const day = (v: unknown) => (typeof v === 'string' ? formatDate(v.slice(0, 10)) : '');

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
 * size; each sheet closes with its notes and the signature block. This file says what the rows hold; how
 * sheets look and print is kpi-workbook-layout.ts, the summary sheets kpi-workbook-summary.ts.
 */
@Injectable()
export class KpiWorkbook {
  /** Rows per worksheet before a list goes on in the next one. */
  rowsPerSheet = EXCEL_MAX_ROWS;

  constructor(
    private readonly rows: KpiWorkbookRepository,
    private readonly clock: Clock,
  ) {}

  /** Rows the workbook will have (to decide between a direct download and a background job). */
  async estimate(
    input: Omit<WorkbookInput, 'principal' | 'place' | 'kpi'> & { learners: number },
  ): Promise<number> {
    const row = await this.rows.counts(input.program.id);
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
      if (sheet === 'summary') writeSummary(workbook, input.kpi, () => this.heading(input));
      if (sheet === 'trainers') await this.trainers(workbook, input, counted);
      if (sheet === 'classes') await this.classes(workbook, input, counted);
      if (sheet === 'learners') await this.learners(workbook, input, counted);
    }
    await workbook.commit();
    return rows;
  }

  /** What every sheet's header block says, dated today. */
  private heading(input: WorkbookInput): SheetHeading {
    return {
      unitName: input.unit.fullName,
      place: input.place,
      today: this.clock.today(),
      programName: input.program.name,
      periodLine: `Kỳ báo cáo: ${input.period.label} — ${input.unit.fullName} (${VIEW_LABELS[input.view]})`,
    };
  }

  private list(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    input: WorkbookInput,
    name: string,
    title: string,
    columns: Column[],
  ): SheetList {
    return startList(workbook, this.heading(input), name, title, columns, this.rowsPerSheet);
  }

  /** Writes each batch's rows, then counts them. */
  private async fill<T>(
    batches: AsyncIterable<T[]>,
    each: (row: T) => void,
    counted: (n: number) => Promise<void>,
  ): Promise<void> {
    for await (const batch of batches) {
      for (const row of batch) each(row);
      await counted(batch.length);
    }
  }

  private scope(input: WorkbookInput): SheetScope {
    return {
      programId: input.program.id,
      view: input.view,
      unitId: input.unit.id,
      from: input.period.from,
      to: input.period.to,
    };
  }

  private async trainers(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    input: WorkbookInput,
    counted: (n: number) => Promise<void>,
  ): Promise<void> {
    const columns: Column[] = [
      { header: 'STT', width: 6 },
      { header: 'Họ và tên', width: 22 },
      { header: 'Năm sinh', width: 7 },
      { header: 'Lực lượng', width: 15 },
      { header: 'Đơn vị', width: 20 },
      { header: 'Chỉ tiêu (người)', width: 9, numeric: true },
      { header: 'Đã đào tạo (người)', width: 9, numeric: true },
      { header: 'Tỷ lệ chỉ tiêu (%)', width: 8, numeric: true, percent: true },
      { header: 'Tốc độ 4 tuần gần nhất (người/tuần)', width: 11, numeric: true },
      { header: 'Tốc độ cần để kịp hạn (người/tuần)', width: 11, numeric: true },
      { header: 'Dự kiến hoàn thành', width: 11 },
      { header: 'Chậm tiến độ', width: 8 },
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
    await this.fill(
      this.rows.trainers(this.scope(input), today),
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
      { header: 'Tên lớp', width: 26 },
      { header: 'Cấp độ', width: 6 },
      { header: 'Loại lớp', width: 12 },
      { header: 'Địa bàn', width: 18 },
      { header: 'Giảng viên chính', width: 20 },
      { header: 'Hình thức', width: 10 },
      { header: 'Trạng thái', width: 11 },
      { header: 'Buổi đầu', width: 10 },
      { header: 'Buổi cuối', width: 10 },
      { header: 'Học viên', width: 8, numeric: true },
      { header: 'Hoàn thành', width: 9, numeric: true },
    ];
    const list = this.list(workbook, input, 'Lớp học', 'DANH SÁCH LỚP HỌC', columns);
    let n = 0;
    await this.fill(
      this.rows.classes(this.scope(input)),
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
      { header: 'STT', width: 7 },
      { header: 'Họ và tên', width: 22 },
      { header: 'Năm sinh', width: 7 },
      { header: 'Giới tính', width: 7 },
      { header: 'Đối tượng', width: 18 },
      { header: 'Nơi cư trú', width: 18 },
      { header: 'Số CCCD', width: 14 },
      { header: 'Số điện thoại', width: 13 },
      { header: 'Ngày học đầu tiên', width: 11 },
      { header: 'Ngày hoàn thành', width: 11 },
      { header: 'Ứng dụng được công cụ AI', width: 9 },
      { header: 'Hình thức', width: 12 },
    ];
    const segments = segmentNames(input.program);
    const list = this.list(workbook, input, 'Người học', 'DANH SÁCH NGƯỜI HỌC ĐƯỢC TIẾP CẬN', columns);
    let n = 0;
    await this.fill(
      this.rows.learners(this.scope(input)),
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
