import ExcelJS from 'exceljs';
import { PersonImportRepository } from '../../libs/people/src';
import { cccdFor } from '../support/campaign';
import { download, upload } from '../support/files';
import { communesOf, createUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('importing learners from Excel', () => {
  let t: TestApp;
  let communes: string[];
  beforeAll(async () => {
    t = await startTestApp();
    communes = await communesOf(t, '19');
  });
  afterAll(() => t.close());

  /** Fills the downloaded template's rows (under its header) with `rows`. */
  async function filled(rows: (string | number | null)[][]): Promise<Buffer & { firstRow: number }> {
    const template = await download(t, '/api/v1/people/import/template');
    expect(template.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    let header = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === 'Họ và tên') header = n;
    });
    rows.forEach((values, i) => {
      values.forEach((v, c) => (sheet.getCell(header + 1 + i, c + 1).value = v));
    });
    return Object.assign(Buffer.from(await workbook.xlsx.writeBuffer()), { firstRow: header + 1 });
  }

  const count = async () =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM person`))[0].n as number;

  it('previews, commits all rows at once, and skips the same people on a second import', async () => {
    const file = await filled([
      [
        'Hà Thị Thu Trang',
        '12/03/1986',
        null,
        'Nữ',
        communes[0],
        'Nông dân',
        cccdFor('female', 1986),
        '0912 345 678',
      ],
      ['Nông Văn Dũng', null, 1979, 'Nam', communes[1], 'Cán bộ, công chức, viên chức', null, null],
      ['Lục Thị Hoa', null, 2001, 'Nữ', communes[0], 'Thanh niên', null, '+84 987 654 321'],
    ]);
    const before = await count();
    const preview = await upload(t, '/api/v1/people/import?dryRun=true', file);
    expect(preview).toEqual({ status: 200, body: { dryRun: true, rows: 3, created: 3, existing: 0 } });
    expect(await count()).toBe(before);
    const commit = await upload(t, '/api/v1/people/import', file);
    expect(commit.body).toEqual({ dryRun: false, rows: 3, created: 3, existing: 0 });
    expect(await count()).toBe(before + 3);
    const [trang] = await t.dataSource.query(
      `SELECT birth_date::text AS "birthDate", birth_year AS "birthYear", segment, phone FROM person WHERE full_name = 'Hà Thị Thu Trang'`,
    );
    expect(trang).toEqual({
      birthDate: '1986-03-12',
      birthYear: 1986,
      segment: 'farmer',
      phone: '+84912345678',
    });
    const again = await upload(t, '/api/v1/people/import', file);
    expect(again.body).toEqual({ dryRun: false, rows: 3, created: 0, existing: 3 });
    expect(await count()).toBe(before + 3);
  });

  it('rejects a file with bad rows, naming row, column and reason, and writes nothing', async () => {
    const taken = cccdFor('male', 1990);
    const file = await filled([
      ['Đinh Văn Nam', null, 1990, 'Nam', communes[2], 'Nông dân', taken, null],
      ['Đinh Văn Long', null, 1990, 'Nam', communes[2], 'Nông dân', taken, null],
      ['Phạm Văn Tư', null, null, 'Nam', '99999', 'Nông dân', null, '12345'],
      ['Vũ Thị Mơ', null, 1995, 'Nữ', communes[2], 'Người ngoài hành tinh', null, null],
    ]);
    const before = await count();
    const res = await upload(t, '/api/v1/people/import', file);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IMPORT_ROWS_INVALID');
    const first = file.firstRow;
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { row: first + 1, field: 'Số CCCD', reason: expect.stringContaining(`trùng với dòng ${first}`) },
        { row: first + 2, field: 'Năm sinh', reason: 'cần Ngày sinh hoặc Năm sinh' },
        { row: first + 2, field: 'Mã xã, phường', reason: '99999 không phải xã, phường hiện hành' },
        { row: first + 2, field: 'Số điện thoại', reason: 'không phải số điện thoại Việt Nam hợp lệ' },
        { row: first + 3, field: 'Đối tượng', reason: expect.stringContaining('không thuộc danh sách') },
      ]),
    );
    expect(await count()).toBe(before);
  });

  it('rejects a workbook that is not the template after reading it, writes nothing, and imports the next one', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Người học');
    sheet.addRow(['Tên', 'Năm sinh']);
    for (let i = 0; i < 50; i++) sheet.addRow([`Người ${i}`, 1990]);
    const before = await count();
    const wrong = await upload(t, '/api/v1/people/import', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('IMPORT_TEMPLATE_INVALID');
    expect(await count()).toBe(before);
    const file = await filled([['Lò Văn Sáng', null, 1993, 'Nam', communes[3], 'Nông dân', null, null]]);
    const next = await upload(t, '/api/v1/people/import', file);
    expect(next.body).toEqual({ dryRun: false, rows: 1, created: 1, existing: 0 });
    expect(await count()).toBe(before + 1);
  });

  it('keeps a commune steering member to their own commune', async () => {
    const steering = await createUser(t, [{ role: 'steering', unitCode: communes[0] }]);
    const file = await filled([['Mã Văn Páo', null, 1988, 'Nam', communes[1], 'Nông dân', null, null]]);
    const res = await upload(t, '/api/v1/people/import', file, steering.http.token);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({
      field: 'Mã xã, phường',
      reason: `${communes[1]} nằm ngoài phạm vi được phân quyền`,
    });
  });

  it('stages rows exactly, by COPY as by statements (the embedded database), whatever their characters', async () => {
    const [unit] = await t.dataSource.query(
      `SELECT id FROM admin_unit WHERE code = $1 AND valid_to IS NULL`,
      [communes[0]],
    );
    const odd = (fullName: string, cccd: string | null) => ({
      fullName,
      nameKey: fullName.toLowerCase(),
      swappedNameKey: 'k',
      sortKey: 's',
      birthDate: null,
      birthYear: 1990,
      gender: 'female' as const,
      communeId: unit.id as number,
      segment: 'farmer',
      organisationId: null,
      cccd,
      phone: null,
    });
    const people = [
      odd('Tab\there', null),
      odd('Back\\slash \\N', '001190000001'),
      odd('Dòng\nmới\r', null),
      odd('Nguyễn Thị Ánh', null),
    ];
    // The embedded database takes no COPY from a client: there, only the statements.
    const [server] = await t.dataSource.query(`SELECT version() NOT LIKE '%PGlite%' AS copies`);
    for (const copy of server.copies ? [true, false] : [false]) {
      const staged = await t.dataSource.transaction(async (m) => {
        await t.app.get(PersonImportRepository).stage(m, people, copy);
        return m.query(`SELECT i, full_name, cccd, birth_date, registered FROM person_import ORDER BY i`);
      });
      expect(staged).toEqual(
        people.map((p, i) => ({
          i,
          full_name: p.fullName,
          cccd: p.cccd,
          birth_date: null,
          registered: false,
        })),
      );
    }
  });
});
