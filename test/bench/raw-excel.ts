/**
 * Raw baseline of the Excel export: exceljs's streaming writer writing the learner sheet's rows (same columns,
 * same cell styles) straight from memory, no database. Prints rows/s and peak RSS.
 *   node -r @swc-node/register test/bench/raw-excel.ts --rows 1000000
 */
import { createWriteStream, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { PeopleGenerator, SeededRandom } from '../../libs/demo/src';

const BORDER = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
} as const;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
  const rows = Number(values.rows);
  // The rows are made before the clock starts: the baseline times the writer only.
  const people = new PeopleGenerator(new SeededRandom(7));
  const source = Array.from({ length: Math.min(rows, 10_000) }, () => people.next());
  const file = join(mkdtempSync(join(tmpdir(), 'lantoa-raw-xlsx-')), 'raw.xlsx');
  const started = process.hrtime.bigint();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: createWriteStream(file),
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Người học');
  sheet.columns = [8, 26, 9, 8, 24, 24, 15, 14, 12, 12, 11].map((width) => ({ width }));
  for (let i = 0; i < rows; i++) {
    const p = source[i % source.length];
    const row = sheet.getRow(i + 1);
    [
      i + 1,
      p.fullName,
      p.birthYear,
      p.gender === 'male' ? 'Nam' : 'Nữ',
      p.segment,
      'Xã Ea Kao',
      p.cccd ? `${p.cccd.slice(0, 3)}******${p.cccd.slice(-3)}` : '',
      p.phone ?? '',
      '12/05/2026',
      '',
      'Không',
    ].forEach((value, c) => {
      const cell = row.getCell(c + 1);
      cell.value = value;
      cell.border = BORDER;
      cell.font = { name: 'Times New Roman', bold: false };
    });
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    JSON.stringify({
      rows,
      seconds: Number(seconds.toFixed(2)),
      perSecond: Math.round(rows / seconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      fileMb: Number((statSync(file).size / 1024 / 1024).toFixed(1)),
    }),
  );
}

void main();
