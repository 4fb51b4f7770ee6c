import ExcelJS from 'exceljs';
import { KpiDto } from './kpi.dto';
import { DISTINCT_NOTE, ONLINE_NOTE, PACE_NOTE, REPORTED_NOTE } from './kpi.service';
import {
  addSheet,
  BORDER,
  Column,
  FONT,
  SheetHeading,
  setPrintable,
  writeDataRow,
  writeFooter,
  writeHeader,
} from './kpi-workbook-layout';
import { NO_TARGET } from './percent';

/** The summary sheets' names start with this, then "(n) <group>". */
export const SUMMARY_SHEET = 'Tổng hợp';
/** Indicators per summary sheet: four groups of plan / actual / % beside the unit fit a landscape A4 page. */
const GROUP_SIZE = 4;

/** The summary's indicator groups, in order; indicators not named here (reported ones) close the summary. */
const INDICATOR_GROUPS: { title: string; short: string; codes: string[] }[] = [
  {
    title: 'Lực lượng nòng cốt',
    short: 'Nòng cốt',
    codes: ['provincial_core_trainers', 'commune_core_trainers', 'core_members', 'trainers_on_pace'],
  },
  {
    title: 'Lớp học và người học',
    short: 'Lớp, người học',
    codes: ['classes_held', 'learners_reached', 'completions', 'proficient_learners'],
  },
  {
    title: 'Học trực tuyến, giấy chứng nhận và học liệu',
    short: 'Trực tuyến, GCN',
    codes: ['learners_reached_online', 'completions_online', 'certificates_issued', 'materials_published'],
  },
  {
    title: 'Theo nhóm đối tượng',
    short: 'Đối tượng',
    codes: ['civil_servants_reached', 'working_age_reached', 'enterprise_owners_reached'],
  },
  { title: 'Hội thi', short: 'Hội thi', codes: ['contest_entries', 'contest_winners'] },
];

/** The groups of the given indicator codes (in their order), each of at most GROUP_SIZE, none empty. */
export function summaryGroups(codes: string[]): { title: string; short: string; codes: string[] }[] {
  const named = new Set(INDICATOR_GROUPS.flatMap((g) => g.codes));
  const rest = codes.filter((c) => !named.has(c));
  const groups = INDICATOR_GROUPS.map((g) => ({ ...g, codes: codes.filter((c) => g.codes.includes(c)) }));
  for (let i = 0; i < rest.length; i += GROUP_SIZE) {
    groups.push({
      title: 'Số liệu theo báo cáo của đơn vị',
      short: rest.length > GROUP_SIZE ? `Báo cáo ${i / GROUP_SIZE + 1}` : 'Báo cáo',
      codes: rest.slice(i, i + GROUP_SIZE),
    });
  }
  return groups.filter((g) => g.codes.length > 0);
}

/** A percentage of target's cell: the number, or the no-target words for a zero target. */
const percentCell = (f: { target: number | null; percentOfTarget: number | null }) =>
  f.target === 0 ? NO_TARGET : f.percentOfTarget;

/**
 * Summary by child unit: target / actual / % per indicator; the totals row is the unit's own figures. The
 * indicators are split into groups of at most four, one sheet each ("Tổng hợp (1) …"), so that a landscape A4
 * page holds a group at a legible size and reads on its own: the header rows and the unit column repeat on
 * every page, and each sheet carries its notes and signature block.
 */
export function writeSummary(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  kpi: KpiDto,
  heading: () => SheetHeading,
): void {
  const indicators = kpi.indicators.filter((d) => d.source !== 'program');
  const groups = summaryGroups(indicators.map((d) => d.code));
  groups.forEach((group, g) => {
    const name = `${SUMMARY_SHEET} (${g + 1}) ${group.short}`;
    const part = `Phần ${g + 1}/${groups.length}: ${group.title}`;
    summarySheet(
      workbook,
      kpi,
      heading(),
      name,
      part,
      indicators.filter((d) => group.codes.includes(d.code)),
    );
  });
}

function summarySheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  kpi: KpiDto,
  heading: SheetHeading,
  name: string,
  part: string,
  indicators: KpiDto['indicators'],
): void {
  const stretch = Math.min(2, GROUP_SIZE / indicators.length);
  const columns: Column[] = [
    { header: 'STT', width: 5 },
    { header: 'Đơn vị', width: 26 },
    // A group of fewer indicators gets wider columns: every summary page spans the same width.
    ...indicators.flatMap(() => [
      { header: 'Kế hoạch', width: 9 * stretch, numeric: true },
      { header: 'Thực hiện', width: 9 * stretch, numeric: true },
      { header: 'Tỷ lệ đạt (%)', width: 8 * stretch, numeric: true, percent: true },
    ]),
  ];
  const sheet = addSheet(workbook, name, columns);
  let row = writeHeader(
    sheet,
    heading,
    'BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU THEO ĐƠN VỊ',
    columns.length,
    part,
  );
  const titles: [number, number] = [row, row + 1];
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
  top.height = 48;
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
  second.height = 30;
  second.commit();
  row += 2;
  kpi.byChild.forEach((child, i) => {
    const values = indicators.flatMap((d) => {
      const f = child.indicators[d.code];
      return [f.target, f.actual, percentCell(f)];
    });
    const name = child.unit.current ? child.unit.fullName : `${child.unit.fullName} (trước sắp xếp)`;
    writeDataRow(sheet, row++, [i + 1, name, ...values], columns);
  });
  const totals = indicators.flatMap((d) => [d.target, d.actual, percentCell(d)]);
  writeDataRow(sheet, row++, ['', `Tổng cộng ${kpi.unit.fullName} (*)`, ...totals], columns, true);
  const notes = [`(*) ${DISTINCT_NOTE}`, ONLINE_NOTE];
  if (indicators.some((d) => d.source === 'reports')) notes.push(REPORTED_NOTE);
  if (indicators.some((d) => d.code === 'trainers_on_pace')) notes.push(PACE_NOTE);
  const last = writeFooter(sheet, row, columns.length, notes);
  setPrintable(sheet, columns.length, last, titles);
  sheet.commit();
}
