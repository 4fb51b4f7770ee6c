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
