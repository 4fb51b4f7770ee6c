import { Injectable } from '@nestjs/common';
import { Principal } from '../../access/src';
import {
  Clock,
  drawNationalHeader,
  pdfBuffer,
  placeAndDate,
  signatureBlock,
  vietnameseDocument,
} from '../../platform/src';
import { ProgramService } from '../../programs/src';
import { KpiDto, KpiQueryDto } from './kpi.dto';
import { VIEW_LABELS } from './kpi-view';
import { KpiUnits } from './kpi-units';
import { DISTINCT_NOTE, KPI_READERS, KpiService, ONLINE_NOTE, PACE_NOTE, REPORTED_NOTE } from './kpi.service';
import { parsePeriod } from './period';
import { formatPercent } from './percent';

export const formatNumber = (n: number | null) => (n === null ? '—' : n.toLocaleString('vi-VN'));

/** Issuing body of a unit's report: its steering committee. */
export const issuerOf = (unitName: string) => ({ parent: unitName, name: 'Ban Chỉ đạo Bình dân học AI' });

/**
 * The top of a steering committee's document: the issuing body beside the national name and motto, then the
 * number (left) and the place and date (right); returns where the title goes.
 */
export function steeringHeader(doc: PDFKit.PDFDocument, unitName: string, placeDate: string): number {
  const left = doc.page.margins.left;
  const half = (doc.page.width - left - doc.page.margins.right) / 2;
  const y = drawNationalHeader(doc, issuerOf(unitName));
  doc.font('regular').fontSize(10.5).text('Số: ......./BC-BCĐ', left, y, { width: half, align: 'center' });
  doc.font('italic').text(placeDate, left + half, y, { width: half, align: 'center' });
  return doc.y + 14;
}

/** The indicator the charts of children compare (people reached, the campaign's headline). */
const CHART_INDICATOR = 'learners_reached';
const MAX_BARS = 20;

interface Bar {
  label: string;
  actual: number;
  target: number | null;
}

/**
 * The printable KPI summary of a unit: the official header, the table of indicators, and bar charts of plan
 * vs actual per child unit and per segment — outlined plan bars and solid actual bars, so that the charts
 * read the same printed in black and white.
 */
@Injectable()
export class KpiPdf {
  constructor(
    private readonly kpi: KpiService,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly clock: Clock,
  ) {}

  async render(
    principal: Principal,
    programId: string,
    query: KpiQueryDto,
  ): Promise<{ body: Buffer; fileName: string }> {
    const program = await this.programs.find(programId);
    const unit = await this.units.resolve(principal, query.unit, KPI_READERS, query.unitAsOf);
    const kpi = await this.kpi.compute(program, unit, parsePeriod(query.period, program), query.view);
    const body = await this.document(kpi, program.certificate.place ?? unit.fullName);
    return { body, fileName: `bao-cao-kpi-${unit.code}-${kpi.period.code}.pdf` };
  }

  document(kpi: KpiDto, place: string): Promise<Buffer> {
    const doc = vietnameseDocument({
      info: { Title: `Báo cáo kết quả thực hiện chỉ tiêu — ${kpi.unit.fullName} — ${kpi.period.label}` },
    });
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    let y = steeringHeader(doc, kpi.unit.fullName, placeAndDate(place, this.clock.today())) + 2;
    doc
      .font('bold')
      .fontSize(14)
      .text('BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU', left, y, { width, align: 'center' });
    doc.font('bold').fontSize(11.5).text(kpi.program.name, { width, align: 'center' });
    doc.font('regular').fontSize(10.5);
    doc.text(`${kpi.unit.fullName} — ${kpi.period.label} (${VIEW_LABELS[kpi.view]})`, {
      width,
      align: 'center',
    });
    y = doc.y + 12;

    const widths = [30, width - 30 - 60 - 80 - 80 - 70, 60, 80, 80, 70];
    const header = ['STT', 'Chỉ tiêu', 'Đơn vị tính', 'Kế hoạch', 'Thực hiện', 'Tỷ lệ đạt'];
    const rows = kpi.indicators.map((d, i) => [
      String(i + 1),
      d.name,
      d.unitOfMeasure,
      formatNumber(d.target),
      formatNumber(d.actual),
      formatPercent(d.percentOfTarget, d.target),
    ]);
    y = pdfTable(doc, header, rows, widths, y);

    const children = kpi.byChild
      .map((c) => ({ label: c.unit.fullName, ...c.indicators[CHART_INDICATOR] }))
      .sort((a, b) => b.actual - a.actual);
    if (children.length) {
      y = this.chart(
        doc,
        `Người học được tiếp cận theo đơn vị trực thuộc${children.length > MAX_BARS ? ` (${MAX_BARS} đơn vị cao nhất)` : ''}`,
        children.slice(0, MAX_BARS),
        y + 16,
      );
    }
    if (kpi.bySegment.length) {
      y = this.chart(
        doc,
        'Người học được tiếp cận theo đối tượng',
        kpi.bySegment.map((s) => ({ label: s.name, actual: s.reached, target: s.target })),
        y + 16,
      );
    }
    if (y + 150 > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    doc.font('italic').fontSize(9);
    y += 12;
    for (const note of [DISTINCT_NOTE, ONLINE_NOTE, REPORTED_NOTE, PACE_NOTE]) {
      doc.text(`Ghi chú: ${note}`, left, y, { width });
      y = doc.y + 2;
    }
    signatureBlock(doc, y + 16);
    return pdfBuffer(doc);
  }

  /** Horizontal bars: the plan outlined, the actual solid and half as tall inside it; figures at the end. */
  private chart(doc: PDFKit.PDFDocument, title: string, bars: Bar[], top: number): number {
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    const row = 18;
    const needed = 40 + bars.length * row;
    let y = top;
    if (y + needed > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    doc.font('bold').fontSize(11).text(title, left, y, { width });
    y = doc.y + 4;
    // Legend.
    doc.font('regular').fontSize(8.5);
    doc
      .lineWidth(0.8)
      .rect(left, y + 1, 14, 8)
      .stroke();
    doc.text('Kế hoạch', left + 18, y, { lineBreak: false });
    doc.rect(left + 80, y + 2.5, 14, 5).fill('#000000');
    doc.fillColor('#000000').text('Thực hiện', left + 98, y, { lineBreak: false });
    y += 16;
    const labelWidth = 150;
    const valueWidth = 110;
    const barWidth = width - labelWidth - valueWidth;
    const max = Math.max(1, ...bars.map((b) => Math.max(b.actual, b.target ?? 0)));
    for (const bar of bars) {
      doc.font('regular').fontSize(8.5).fillColor('#000000');
      doc.text(bar.label, left, y + 3, {
        width: labelWidth - 6,
        height: row - 2,
        ellipsis: true,
        lineBreak: false,
      });
      const x = left + labelWidth;
      if (bar.target)
        doc
          .lineWidth(0.8)
          .rect(x, y + 2, (bar.target / max) * barWidth, row - 5)
          .stroke();
      if (bar.actual)
        doc.rect(x, y + 5.5, Math.max(1, (bar.actual / max) * barWidth), row - 12).fill('#000000');
      doc
        .fillColor('#000000')
        .text(`${formatNumber(bar.actual)} / ${formatNumber(bar.target)}`, x + barWidth + 4, y + 3, {
          width: valueWidth - 4,
          lineBreak: false,
        });
      y += row;
    }
    return y;
  }
}

/** A bordered table (a new page when a row would not fit); returns the top of what follows. */
export function pdfTable(
  doc: PDFKit.PDFDocument,
  header: string[],
  rows: string[][],
  widths: number[],
  top: number,
): number {
  const left = doc.page.margins.left;
  let y = top;
  const draw = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(9.5);
    const height = Math.max(
      20,
      ...cells.map((text, i) => doc.heightOfString(text, { width: widths[i] - 8 }) + 10),
    );
    if (y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    let x = left;
    cells.forEach((text, i) => {
      doc.rect(x, y, widths[i], height).stroke();
      doc.text(text, x + 4, y + 5, {
        width: widths[i] - 8,
        align: i === 1 ? 'left' : i >= 3 ? 'right' : 'center',
      });
      x += widths[i];
    });
    y += height;
  };
  draw(header, true);
  rows.forEach((r) => draw(r, false));
  return y;
}
