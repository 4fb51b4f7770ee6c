import ExcelJS from 'exceljs';
import { readTable, TableColumn } from '../../libs/platform/src';

describe('reading an uploaded table', () => {
  it('keeps every Vietnamese character whole, however the compressed parts are cut into chunks', async () => {
    // Names made almost only of three-byte characters, enough of them that the decompressed shared strings
    // are cut into many chunks: almost every cut falls inside a character.
    const letters = 'ỮỨỪỬỰẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦ';
    const names = Array.from(
      { length: 6000 },
      (_, i) =>
        Array.from({ length: 12 }, (_, k) => letters[(i * 7 + k * 13) % letters.length]).join('') + ` ${i}`,
    );
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh sách');
    sheet.addRow(['Họ và tên']);
    for (const name of names) sheet.addRow([name]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const columns: TableColumn[] = [{ key: 'fullName', header: 'Họ và tên', kind: 'text', required: true }];

    const rows = await readTable(buffer, columns, { maxRows: 10_000 });

    expect(rows.map((r) => r.values.fullName)).toEqual(names);
  });
});

describe('reading workbooks whose parts come in any order', () => {
  it('reads every row of 300 workbooks, also those that zip the sheet before the parts it depends on', async () => {
    // exceljs's writer does not fix the order of the parts: now and then the sheet comes before the shared
    // strings and the workbook part, and the reader must hold it back until they are read.
    const columns: TableColumn[] = [{ key: 'fullName', header: 'Họ và tên', kind: 'text', required: true }];
    for (let k = 0; k < 300; k++) {
      const names = Array.from({ length: 1 + (k % 60) }, (_, i) => `Nguyễn Thị ${k}-${i}`);
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Danh sách');
      sheet.addRow(['Họ và tên']);
      for (const name of names) sheet.addRow([name]);
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());

      const rows = await readTable(buffer, columns);

      expect(rows.map((r) => r.values.fullName)).toEqual(names);
    }
  });
});
