/**
 * Writes the learner-import workbook of the benchmark (the template's columns, new people with valid CCCDs
 * registered in Hà Nội, code 001, so that they never clash with the dataset's).
 *   node -r @swc-node/register test/bench/import-file.ts --rows 100000 --out F --communes 24001,24004
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { PeopleGenerator, SeededRandom } from '../../libs/demo/src';
import { SEGMENTS } from '../../libs/people/src';

const HEADERS = [
  'Họ và tên',
  'Ngày sinh',
  'Năm sinh',
  'Giới tính',
  'Mã xã, phường',
  'Đối tượng',
  'Số CCCD',
  'Số điện thoại',
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rows: { type: 'string' }, out: { type: 'string' }, communes: { type: 'string' } },
  });
  const rows = Number(values.rows);
  const communes = String(values.communes).split(',');
  const people = new PeopleGenerator(new SeededRandom(4242));
  const random = new SeededRandom(99);
  const serials = new Map<string, number>();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(String(values.out)) });
  const sheet = workbook.addWorksheet('Người học');
  sheet.addRow(HEADERS).commit();
  for (let i = 0; i < rows; i++) {
    const p = people.next();
    const century = Math.floor((p.birthYear - 1900) / 100) * 2 + (p.gender === 'female' ? 1 : 0);
    const prefix = `001${century}${String(p.birthYear % 100).padStart(2, '0')}`;
    const serial = (serials.get(prefix) ?? 0) + 1;
    serials.set(prefix, serial);
    sheet
      .addRow([
        p.fullName,
        null,
        p.birthYear,
        p.gender === 'female' ? 'Nữ' : 'Nam',
        communes[random.int(0, communes.length - 1)],
        SEGMENTS[p.segment as keyof typeof SEGMENTS],
        `${prefix}${String(serial).padStart(6, '0')}`,
        p.phone,
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
  console.log(JSON.stringify({ rows }));
}

void main();
