import ExcelJS from 'exceljs';
import { Injectable } from '@nestjs/common';
import { Principal } from '../../access/src';
import {
  Clock,
  drawNationalHeader,
  MOTTO,
  NATIONAL_NAME,
  pdfBuffer,
  PREPARER,
  SIGNATURE_BLOCK_HEIGHT,
  SignatureColumn,
  signatureBlock,
  vietnameseDocument,
} from '../../platform/src';
import { STATUS_WORDS } from './attendance.precedence';
import { AttendanceService } from './attendance.service';
import { ClassErrors } from './class.errors';
import { ClassService } from './class.service';

/** The class's trainer signs the attendance sheet beside its preparer. */
const TRAINER_SIGNS: SignatureColumn = { title: 'GIẢNG VIÊN', hint: PREPARER.hint };

const DAY = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const HOUR = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
});

export function sessionLabel(s: { position: number; startsAt: string }): string {
  return `Buổi ${s.position} (${DAY.format(new Date(s.startsAt)).slice(0, 5)})`;
}

/** A class's printable attendance sheet, as Excel and as PDF. */
@Injectable()
export class AttendanceSheetService {
  constructor(
    private readonly classes: ClassService,
    private readonly attendance: AttendanceService,
    private readonly clock: Clock,
  ) {}

  /** The printable attendance sheet (Excel): one row per learner, a box per session and a signature column. */
  async sheetWorkbook(principal: Principal, classId: string): Promise<Buffer> {
    const { c, rows } = await this.printable(principal, classId);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'Lan Tỏa';
    const sheet = workbook.addWorksheet('Danh sách điểm danh', {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    const headers = ['STT', 'Họ và tên', 'Năm sinh', 'Nơi cư trú', ...c.sessions.map(sessionLabel), 'Ký tên'];
    const last = headers.length;
    const line = (row: number, text: string, bold = false, size = 11) => {
      sheet.mergeCells(row, 1, row, last);
      const cell = sheet.getCell(row, 1);
      cell.value = text;
      cell.font = { name: 'Times New Roman', bold, size };
      cell.alignment = { horizontal: 'center' };
    };
    line(1, NATIONAL_NAME, true);
    line(2, MOTTO, true);
    line(4, 'DANH SÁCH ĐIỂM DANH LỚP HỌC', true, 14);
    line(5, c.title, true);
    line(6, `Địa điểm: ${c.venueAddress ?? c.unitName} · ${c.unitName} · Giảng viên: ${c.leadName}`);
    line(
      7,
      c.sessions
        .map(
          (s) =>
            `Buổi ${s.position}: ${HOUR.format(new Date(s.startsAt))} ${DAY.format(new Date(s.startsAt))}`,
        )
        .join('; '),
    );
    const headerRow = sheet.getRow(9);
    headers.forEach((h, i) => {
      const cell = headerRow.getCell(i + 1);
      cell.value = h;
      cell.font = { name: 'Times New Roman', bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    });
    rows.forEach((r, i) => {
      const values = [
        i + 1,
        r.fullName,
        r.birthYear,
        r.communeName,
        ...c.sessions.map((s) => r.marks.get(s.id) ?? ''),
        '',
      ];
      sheet.getRow(10 + i).values = values;
      sheet.getRow(10 + i).height = 24;
    });
    for (let r = 9; r < 10 + rows.length; r++) {
      for (let col = 1; col <= last; col++) {
        sheet.getCell(r, col).border = {
          top: { style: 'thin' },
          left: { style: 'thin' },
          bottom: { style: 'thin' },
          right: { style: 'thin' },
        };
      }
    }
    [6, 28, 10, 24, ...c.sessions.map(() => 13), 18].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
    const foot = 10 + rows.length + 1;
    sheet.mergeCells(foot, Math.max(1, last - 3), foot, last);
    sheet.getCell(foot, Math.max(1, last - 3)).value =
      `........., ngày ..... tháng ..... năm ${this.clock.today().slice(0, 4)}`;
    sheet.getCell(foot + 1, 2).value = PREPARER.title;
    sheet.getCell(foot + 1, Math.max(3, last - 1)).value = TRAINER_SIGNS.title;
    sheet.getRow(foot + 1).font = { name: 'Times New Roman', bold: true };
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  /** The printable attendance sheet (PDF, A4 landscape): national header, class, sessions, signatures. */
  async sheetPdf(principal: Principal, classId: string): Promise<Buffer> {
    const { c, rows } = await this.printable(principal, classId);
    const doc = vietnameseDocument({
      layout: 'landscape',
      margin: 36,
      info: { Title: `Danh sách điểm danh — ${c.title}` },
    });
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    let y = drawNationalHeader(doc, { parent: c.unitName, name: 'Lớp Bình dân học AI' });
    doc.font('bold').fontSize(15).text('DANH SÁCH ĐIỂM DANH LỚP HỌC', left, y, { width, align: 'center' });
    doc.font('bold').fontSize(12).text(c.title, { width, align: 'center' });
    doc.font('regular').fontSize(10.5);
    doc.text(`Địa điểm: ${c.venueAddress ?? c.unitName}, ${c.unitName}   ·   Giảng viên: ${c.leadName}`, {
      width,
      align: 'center',
    });
    doc.text(
      c.sessions
        .map(
          (s) =>
            `Buổi ${s.position}: ${HOUR.format(new Date(s.startsAt))} ngày ${DAY.format(new Date(s.startsAt))}`,
        )
        .join('   ·   '),
      {
        width,
        align: 'center',
      },
    );
    y = doc.y + 10;
    const sessionWidth = 80;
    const fixed = [28, 0, 60, 150];
    const signature = 110;
    fixed[1] = width - fixed[0] - fixed[2] - fixed[3] - sessionWidth * c.sessions.length - signature;
    const widths = [...fixed, ...c.sessions.map(() => sessionWidth), signature];
    const headers = [
      'STT',
      'Họ và tên',
      'Năm sinh',
      'Nơi cư trú',
      ...c.sessions.map((s) => `Buổi ${s.position}`),
      'Ký tên',
    ];
    const rowHeight = 26;
    const firstSession = 4;
    const drawRow = (cells: string[], top: number, bold: boolean) => {
      let x = left;
      cells.forEach((text, i) => {
        const isMark = !bold && i >= firstSession && i < firstSession + c.sessions.length;
        doc.font(bold ? 'bold' : 'regular').fontSize(bold ? 10 : isMark ? 9.5 : 10.5);
        doc.rect(x, top, widths[i], rowHeight).stroke();
        doc.text(text, x + 3, top + 8, {
          width: widths[i] - 6,
          height: rowHeight - 8,
          align: i === 1 || i === 3 ? 'left' : 'center',
          ellipsis: true,
        });
        x += widths[i];
      });
    };
    drawRow(headers, y, true);
    y += rowHeight;
    rows.forEach((r, i) => {
      if (y + rowHeight > doc.page.height - doc.page.margins.bottom - 70) {
        doc.addPage();
        y = doc.page.margins.top;
        drawRow(headers, y, true);
        y += rowHeight;
      }
      drawRow(
        [
          String(i + 1),
          r.fullName,
          String(r.birthYear),
          r.communeName,
          ...c.sessions.map((s) => r.marks.get(s.id) ?? ''),
          '',
        ],
        y,
        false,
      );
      y += rowHeight;
    });
    // The date line and the signatures stay together: on the next page when they do not fit under the table.
    if (y + 32 + SIGNATURE_BLOCK_HEIGHT > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    const half = width / 2;
    doc
      .font('italic')
      .fontSize(11)
      .text('........., ngày ..... tháng ..... năm ' + this.clock.today().slice(0, 4), left + half, y + 14, {
        width: half,
        align: 'center',
      });
    signatureBlock(doc, y + 32, [PREPARER, { ...TRAINER_SIGNS, name: c.leadName }]);
    return pdfBuffer(doc);
  }

  private async printable(principal: Principal, classId: string) {
    const c = await this.classes.visible(principal, classId);
    if (!c.sessions.length)
      throw ClassErrors.invalid([{ field: 'sessions', reason: 'lớp chưa có lịch học' }]);
    const sheet = await this.attendance.sheet(principal, classId);
    const rows = sheet.rows
      .filter((r) => r.status !== 'withdrawn')
      .map((r) => ({
        fullName: r.person.fullName,
        birthYear: r.person.birthYear,
        communeName: r.person.commune,
        marks: new Map(Object.entries(r.marks).map(([sid, st]) => [sid, st ? STATUS_WORDS[st] : ''])),
      }));
    return { c, rows };
  }
}
