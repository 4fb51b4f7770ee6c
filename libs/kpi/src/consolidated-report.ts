import { Injectable } from '@nestjs/common';
import { Principal } from '../../access/src';
import {
  Clock,
  formatDate,
  pdfBuffer,
  placeAndDate,
  signatureBlock,
  vietnameseDocument,
  vnDate,
} from '../../platform/src';
import { ProgramService } from '../../programs/src';
import { formatNumber, pdfTable, steeringHeader } from './kpi-pdf';
import { KpiUnits } from './kpi-units';
import { parsePeriod } from './period';
import { formatPercent } from './percent';
import { RecordFigures, RecordFiguresRepository, RecordSubject } from './record-figures.repository';
import { MissingReportsQueryDto, programOf } from './report.dto';
import { ConsolidatedLine, ReportRepository } from './report.repository';

export interface Consolidated {
  lines: ConsolidatedLine[];
  /** The reported figures added up (what the reporters declared; they may overlap). */
  reported: { headcount: number; trained: number; proficient: number };
  /** The records of all the reporters together, each person once, up to the period's end. */
  records: RecordFigures;
}

/**
 * The consolidated report of a unit (the province's, or any level's): every progress report approved under it
 * for a period, one line per reporting unit or organisation with its plan (its people) and % of plan, the
 * figures frozen from the records when each was submitted, and totals — the declared figures added up, the
 * records' figures counted over distinct people across all the reporters.
 */
@Injectable()
export class ConsolidatedReport {
  constructor(
    private readonly reports: ReportRepository,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly records: RecordFiguresRepository,
    private readonly clock: Clock,
  ) {}

  async compute(
    principal: Principal,
    query: MissingReportsQueryDto,
  ): Promise<{
    consolidated: Consolidated;
    unitName: string;
    unitCode: string;
    place: string;
    programName: string;
  }> {
    const program = await this.programs.find(programOf(query));
    const unit = await this.units.resolve(principal, query.unit, ['steering', 'viewer']);
    const lines = await this.reports.approvedUnder(principal, program.id, query.period, unit.path);
    const subjects: RecordSubject[] = lines.map((l) =>
      l.organisationId ? { organisationId: l.organisationId } : { unitPath: l.unitPath },
    );
    const sum = (k: 'headcount' | 'trained' | 'proficient') => lines.reduce((n, l) => n + Number(l[k]), 0);
    return {
      consolidated: {
        lines,
        reported: { headcount: sum('headcount'), trained: sum('trained'), proficient: sum('proficient') },
        records: await this.records.union(program.id, parsePeriod(query.period).to, subjects),
      },
      unitName: unit.fullName,
      unitCode: unit.code,
      place: program.certificate.place ?? unit.fullName,
      programName: program.name,
    };
  }

  async render(
    principal: Principal,
    query: MissingReportsQueryDto,
  ): Promise<{ body: Buffer; fileName: string }> {
    const { consolidated, unitName, unitCode, place, programName } = await this.compute(principal, query);
    const period = parsePeriod(query.period);
    const doc = vietnameseDocument({
      layout: 'landscape',
      info: { Title: `Báo cáo tổng hợp — ${unitName} — ${period.label}` },
    });
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    let y = steeringHeader(doc, unitName, placeAndDate(place, this.clock.today()));
    doc.font('bold').fontSize(14).text('BÁO CÁO TỔNG HỢP', left, y, { width, align: 'center' });
    doc
      .fontSize(12)
      .text(`Kết quả báo cáo tiến độ của các đơn vị ${period.label}`, { width, align: 'center' });
    doc.font('regular').fontSize(11).text(`${programName} — ${unitName}`, { width, align: 'center' });
    y = doc.y + 12;

    const { lines, reported, records } = consolidated;
    doc.font('bold').fontSize(11).text('I. KẾT QUẢ THEO ĐƠN VỊ BÁO CÁO', left, y, { width });
    y = doc.y + 6;
    const fixed = [28, 62, 56, 50, 58, 50, 56, 56, 56, 68];
    const widths = [fixed[0], width - fixed.reduce((a, b) => a + b, 0), ...fixed.slice(1)];
    const line = (l: ConsolidatedLine, i: number) => [
      String(i + 1),
      l.reporter,
      formatNumber(l.headcount),
      formatNumber(l.trained),
      percentOf(l.trained, l.headcount),
      formatNumber(l.proficient),
      percentOf(l.proficient, l.headcount),
      formatNumber(l.recordFigures?.trained ?? null),
      formatNumber(l.recordFigures?.completed ?? null),
      formatNumber(l.recordFigures?.proficient ?? null),
      formatDate(vnDate(l.approvedAt)),
    ];
    const rows = lines.map(line);
    rows.push([
      '',
      `Tổng cộng (${formatNumber(lines.length)} báo cáo)`,
      formatNumber(reported.headcount),
      formatNumber(reported.trained),
      percentOf(reported.trained, reported.headcount),
      formatNumber(reported.proficient),
      percentOf(reported.proficient, reported.headcount),
      `${formatNumber(records.trained)} (*)`,
      `${formatNumber(records.completed)} (*)`,
      `${formatNumber(records.proficient)} (*)`,
      '',
    ]);
    y = pdfTable(
      doc,
      [
        'STT',
        'Đơn vị báo cáo',
        'Kế hoạch (tổng số người)',
        'Đã tập huấn',
        'Tỷ lệ đạt',
        'Thành thạo, ứng dụng AI',
        'Tỷ lệ đạt',
        'Theo hồ sơ: đã học',
        'Theo hồ sơ: hoàn thành',
        'Theo hồ sơ: ứng dụng AI',
        'Ngày duyệt',
      ],
      rows,
      widths,
      y,
    );
    doc.font('italic').fontSize(9).text('', left, y);
    if (!lines.length)
      doc.fontSize(10).text('Chưa có báo cáo nào được duyệt trong kỳ.', left, doc.y + 4, { width });
    doc.fontSize(9);
    for (const note of [
      'Kế hoạch: toàn bộ số người của đơn vị (100 %) được tập huấn và ứng dụng được công cụ AI. Số đơn vị tự báo cáo được cộng lại; một người thuộc hai đơn vị báo cáo có thể được kể hai lần.',
      `(*) Số liệu theo hồ sơ trên hệ thống Lan Tỏa, đếm mỗi người một lần trên tất cả các đơn vị báo cáo (không phải tổng các dòng), tính đến hết kỳ; số liệu từng dòng được chốt khi đơn vị nộp báo cáo. Người có hồ sơ: ${formatNumber(records.members)}.`,
    ]) {
      doc.text(note, left, doc.y + 4, { width });
    }
    signatureBlock(doc, doc.y + 16);
    return {
      body: await pdfBuffer(doc),
      fileName: `bao-cao-tong-hop-${unitCode}-${query.period}.pdf`,
    };
  }
}

function percentOf(actual: number, plan: number): string {
  if (!plan) return '—';
  return formatPercent((actual / plan) * 100, plan);
}
