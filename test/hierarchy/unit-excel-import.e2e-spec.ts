import ExcelJS from 'exceljs';
import { download, upload } from '../support/files';
import { communesOf, createUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * An administrator brings administrative units in from Excel: the template (blank, or a province's list to
 * correct), a dry run that writes nothing, row errors by row number, and a commit that writes all or nothing.
 */
describe('importing administrative units from Excel', () => {
  let t: TestApp;
  let communes: string[];

  beforeAll(async () => {
    t = await startTestApp();
    communes = await communesOf(t, '19');
  });
  afterAll(() => t.close());

  /** The template (of `province` when given) with `rows` written under its header. */
  async function filled(
    rows: (string | null)[][],
    province?: string,
  ): Promise<Buffer & { firstRow: number; prefilled: string[][] }> {
    const template = await download(
      t,
      `/api/v1/units/import/template${province ? `?province=${province}` : ''}`,
    );
    expect(template.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    let header = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === 'Mã đơn vị') header = n;
    });
    const prefilled: string[][] = [];
    for (let n = header + 1; sheet.getCell(n, 1).text !== ''; n++)
      prefilled.push([1, 2, 3].map((c) => sheet.getCell(n, c).text));
    rows.forEach((values, i) => {
      values.forEach((v, c) => (sheet.getCell(header + 1 + prefilled.length + i, c + 1).value = v));
    });
    return Object.assign(Buffer.from(await workbook.xlsx.writeBuffer()), {
      firstRow: header + 1 + prefilled.length,
      prefilled,
    });
  }

  const unit = async (code: string) =>
    (
      await t.dataSource.query(
        `SELECT u.full_name AS "fullName", u.type, u.name, p.code AS parent, u.valid_from::text AS "validFrom"
           FROM admin_unit u LEFT JOIN admin_unit p ON p.id = u.parent_id
          WHERE u.code = $1 AND u.valid_to IS NULL`,
        [code],
      )
    )[0] ?? null;

  it('previews, then adds and renames units in one go', async () => {
    const file = await filled([
      ['99908', 'Xã Thử Nghiệm Mới', '19'],
      ['98', 'Tỉnh Thử Nghiệm', null],
      ['98001', 'Phường Một Của Tỉnh Mới', '98'],
      [communes[0], 'Xã Tên Đã Sửa', '19'],
    ]);
    const before = await unit(communes[0]);
    const preview = await upload(t, '/api/v1/units/import?dryRun=true', file);
    expect(preview).toEqual({
      status: 200,
      body: { dryRun: true, rows: 4, created: 3, updated: 1, unchanged: 0 },
    });
    expect(await unit('99908')).toBeNull();
    expect(await unit(communes[0])).toEqual(before);

    const commit = await upload(t, '/api/v1/units/import', file);
    expect(commit.body).toEqual({ dryRun: false, rows: 4, created: 3, updated: 1, unchanged: 0 });
    expect(await unit('99908')).toEqual({
      fullName: 'Xã Thử Nghiệm Mới',
      type: 'Xã',
      name: 'Thử Nghiệm Mới',
      parent: '19',
      validFrom: '2025-07-01',
    });
    expect(await unit('98001')).toMatchObject({ type: 'Phường', parent: '98' });
    expect(await unit(communes[0])).toMatchObject({ fullName: 'Xã Tên Đã Sửa', parent: '19' });
    // The new commune is found by the units API, and the import is in the audit trail.
    const found = await t.http.get('/api/v1/units/search?q=thu%20nghiem%20moi');
    expect(found.body.items.map((u: { code: string }) => u.code)).toContain('99908');
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'units.imported'`,
    );
    expect(n).toBe(1);

    // The same file again changes nothing.
    const again = await upload(t, '/api/v1/units/import', file);
    expect(again.body).toEqual({ dryRun: false, rows: 4, created: 0, updated: 0, unchanged: 4 });
  });

  it("pre-fills a province's list, which imports unchanged", async () => {
    const file = await filled([], '19');
    expect(file.prefilled[0]).toEqual(['19', 'Tỉnh Thái Nguyên', '']);
    expect(file.prefilled.length).toBeGreaterThan(50);
    expect(file.prefilled.every((r, i) => i === 0 || r[2] === '19')).toBe(true);
    const preview = await upload(t, '/api/v1/units/import?dryRun=true', file);
    expect(preview.body).toMatchObject({ created: 0, updated: 0, unchanged: file.prefilled.length });
  });

  it('names every bad row by number and writes nothing', async () => {
    const file = await filled([
      ['99907', 'Xã Sẽ Không Được Ghi', '19'],
      ['1234', 'Xã Mã Sai', '19'],
      ['99906', 'Khu Không Rõ Loại', '19'],
      ['99905', 'Xã Không Có Tỉnh', '99'],
      ['99907', 'Xã Trùng Mã', '19'],
      [communes[1], 'Xã Chuyển Tỉnh', '20'],
      ['97', 'Tỉnh Có Cấp Trên', '19'],
      ['99904', 'Xã Thiếu Tỉnh', null],
    ]);
    const r = file.firstRow;
    for (const dryRun of [true, false]) {
      const res = await upload(t, `/api/v1/units/import${dryRun ? '?dryRun=true' : ''}`, file);
      expect([res.status, res.body.code]).toEqual([400, 'IMPORT_ROWS_INVALID']);
      expect(res.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
        [r + 1, 'Mã đơn vị'],
        [r + 2, 'Tên đầy đủ'],
        [r + 3, 'Mã tỉnh, thành phố'],
        [r + 4, 'Mã đơn vị'],
        [r + 5, 'Mã tỉnh, thành phố'],
        [r + 6, 'Mã tỉnh, thành phố'],
        [r + 7, 'Mã tỉnh, thành phố'],
      ]);
      expect(res.body.errors[3].reason).toBe(`99907 trùng với dòng ${r}`);
      expect(res.body.errors[4].reason).toMatch(/Chuyển đơn vị cấp trên/);
    }
    expect(await unit('99907')).toBeNull();
    expect(await unit(communes[1])).toMatchObject({ parent: '19' });
  });

  it('is for administrators only', async () => {
    const steering = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
    const file = await filled([['99903', 'Xã Của Ban Chỉ Đạo', '19']]);
    const res = await upload(t, '/api/v1/units/import?dryRun=true', file, steering.http.token);
    expect(res.status).toBe(403);
    expect((await download(t, '/api/v1/units/import/template', steering.http.token)).status).toBe(403);
  });
});
