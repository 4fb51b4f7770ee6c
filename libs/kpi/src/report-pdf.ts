import { Injectable } from '@nestjs/common';
import {
  Clock,
  drawNationalHeader,
  formatDate,
  HEAD,
  pdfBuffer,
  PREPARER,
  placeAndDate,
  signatureBlock,
  vietnameseDocument,
  vnDate,
} from '../../platform/src';
import { ProgramService } from '../../programs/src';
import { formatNumber, issuerOf, pdfTable } from './kpi-pdf';
import { parsePeriod } from './period';
import { formatPercent } from './percent';
import { ReportDto } from './report.dto';

const STATUS_LINES: Record<ReportDto['status'], string> = {
  draft: 'Bản nháp — chưa nộp, chưa được duyệt',
  submitted: 'Đã nộp — đang chờ duyệt',
  returned: 'Bị trả lại — đơn vị đang sửa',
  approved: 'Đã được duyệt',
};

const LEVEL_NAMES: Record<string, string> = {
  commune: 'cấp xã',
  district: 'cấp huyện',
  province: 'cấp tỉnh',
};

/**
 * The official document of a progress report: national motto header, issuing body, number and date, title
 * and period, the figures with plan (everyone of the unit) and % of plan, the figures the records gave when it
 * was submitted, the narrative, the approvals, and the signature block. It prints what the report holds — an
 * approved report's figures are frozen, so a later correction of the records does not change it.
 */
@Injectable()
export class ReportPdf {
  constructor(
    private readonly programs: ProgramService,
    private readonly clock: Clock,
  ) {}

  async render(report: ReportDto): Promise<{ body: Buffer; fileName: string }> {
    const program = await this.programs.find(report.programId);
    const place = program.certificate.place ?? report.unit.fullName;
    const reporter = report.organisation?.name ?? report.unit.fullName;
    const doc = vietnameseDocument({
      info: { Title: `Báo cáo tiến độ — ${reporter} — ${parsePeriod(report.period).label}` },
    });
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    let y = drawNationalHeader(
      doc,
      report.organisation
        ? { parent: report.unit.fullName, name: report.organisation.name }
        : issuerOf(report.unit.fullName),
    );
    const day = (report.reviewedAt && report.status === 'approved' ? report.reviewedAt : null) ?? null;
    doc
      .font('regular')
      .fontSize(10.5)
      .text('Số: ......./BC', left, y, { width: width / 2, align: 'center' });
    doc
      .font('italic')
      .text(placeAndDate(place, day ? vnDate(day) : this.clock.today()), left + width / 2, y, {
        width: width / 2,
        align: 'center',
      });
    y = doc.y + 16;
    doc.font('bold').fontSize(14).text('BÁO CÁO', left, y, { width, align: 'center' });
    doc
      .fontSize(12)
      .text(`Tiến độ thực hiện ${parsePeriod(report.period).label}`, { width, align: 'center' });
    doc.font('regular').fontSize(11).text(program.name, { width, align: 'center' });
    doc.font('italic').fontSize(10).text(`Tình trạng: ${STATUS_LINES[report.status]}`, {
      width,
      align: 'center',
    });
    y = doc.y + 12;

    doc.font('bold').fontSize(11).text('I. KẾT QUẢ THỰC HIỆN', left, y, { width });
    y = doc.y + 6;
    const plan = report.headcount;
    const rows: string[][] = [
      ['1', 'Tổng số người của đơn vị', 'người', '—', formatNumber(report.headcount), '—'],
      [
        '2',
        'Số người đã được tập huấn',
        'người',
        formatNumber(plan),
        formatNumber(report.trained),
        percentOf(report.trained, plan),
      ],
      [
        '3',
        'Số người thành thạo, ứng dụng được công cụ AI',
        'người',
        formatNumber(plan),
        formatNumber(report.proficient),
        percentOf(report.proficient, plan),
      ],
      ...program.reportedIndicators.map((indicator, i) => [
        String(4 + i),
        indicator.name,
        '',
        '—',
        formatNumber(report.indicators[indicator.code] ?? null),
        '—',
      ]),
    ];
    const widths = [30, width - 30 - 55 - 75 - 75 - 65, 55, 75, 75, 65];
    y = pdfTable(
      doc,
      ['STT', 'Chỉ tiêu', 'Đơn vị tính', 'Kế hoạch', 'Thực hiện', 'Tỷ lệ đạt'],
      rows,
      widths,
      y,
    );
    doc.font('italic').fontSize(9);
    doc.text(
      'Kế hoạch: toàn bộ số người của đơn vị (100 %) được tập huấn và ứng dụng được công cụ AI.',
      left,
      y + 4,
      { width },
    );
    y = doc.y + 10;

    const figures = report.recordFigures;
    doc.font('bold').fontSize(11).text('II. SỐ LIỆU TỪ HỒ SƠ TRÊN HỆ THỐNG LAN TỎA', left, y, { width });
    y = doc.y + 6;
    if (figures) {
      y = pdfTable(
        doc,
        ['STT', 'Nội dung', 'Đơn vị tính', 'Số lượng'],
        [
          ['1', 'Người có hồ sơ', 'người', formatNumber(figures.members)],
          ['2', 'Đã dự ít nhất một buổi học', 'người', formatNumber(figures.trained)],
          ['3', 'Đã hoàn thành khóa học', 'người', formatNumber(figures.completed)],
          ['4', 'Hoàn thành và ứng dụng được công cụ AI', 'người', formatNumber(figures.proficient)],
          ['5', 'Số lớp đã tham gia', 'lớp', formatNumber(figures.classes)],
        ],
        [30, width - 30 - 55 - 100, 55, 100],
        y,
      );
      doc.font('italic').fontSize(9);
      doc.text('Số liệu được chốt khi nộp báo cáo; mỗi người chỉ được tính một lần.', left, y + 4, { width });
      y = doc.y + 10;
    } else {
      doc
        .font('italic')
        .fontSize(10)
        .text('Báo cáo chưa nộp: số liệu sẽ được chốt khi nộp.', left, y, { width });
      y = doc.y + 10;
    }

    doc.font('bold').fontSize(11).text('III. TÌNH HÌNH THỰC HIỆN, KIẾN NGHỊ', left, y, { width });
    doc
      .font('regular')
      .fontSize(10.5)
      .text(report.notes?.trim() || '(Không có nội dung.)', left, doc.y + 4, { width, align: 'justify' });
    y = doc.y + 10;

    if (report.approvals.some((a) => a.state === 'approved')) {
      doc.font('bold').fontSize(11).text('IV. Ý KIẾN CỦA CÁC CẤP', left, y, { width });
      doc.font('regular').fontSize(10.5);
      for (const a of report.approvals.filter((x) => x.state === 'approved')) {
        const when = a.approvedAt ? ` ngày ${formatDate(vnDate(a.approvedAt))}` : '';
        doc.text(
          `- ${a.unit.fullName} (${LEVEL_NAMES[a.level] ?? a.level}) đã duyệt${when}${a.approverName ? `, ${a.approverName}` : ''}${a.comment ? `: “${a.comment}”` : '.'}`,
          left,
          doc.y + 2,
          { width },
        );
      }
      y = doc.y + 10;
    }
    signatureBlock(doc, y + 10, [{ ...PREPARER, name: report.authorName }, HEAD]);
    return {
      body: await pdfBuffer(doc),
      fileName: `bao-cao-tien-do-${report.unit.code}-${report.period}.pdf`,
    };
  }
}

function percentOf(actual: number | null, plan: number | null): string {
  if (actual === null || !plan) return '—';
  return formatPercent((actual / plan) * 100, plan);
}
