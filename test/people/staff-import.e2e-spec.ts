import ExcelJS from 'exceljs';
import { cccdFor } from '../support/campaign';
import { download, upload } from '../support/files';
import { communesOf, createOrganisation, createUser, TestUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A department head registers the organisation's staff from Excel: the template names the organisation, the
 * dry run previews without writing, bad rows are named by row number, the commit is all or nothing, and
 * everyone imported joins the head's own organisation — never another one.
 */
describe("a department head's staff import", () => {
  let t: TestApp;
  let communes: string[];
  let X: string;
  let Y: string;
  let head: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    communes = await communesOf(t, '19');
    X = await createOrganisation(t, communes[0], 'Hội Liên hiệp Phụ nữ xã thử nghiệm');
    Y = await createOrganisation(t, communes[1], 'Đoàn Thanh niên xã bên cạnh');
    head = await createUser(t, [{ role: 'department_head', organisationId: X }]);
  });
  afterAll(() => t.close());

  const path = (organisation: string, dryRun = false) =>
    `/api/v1/organisations/${organisation}/staff/import${dryRun ? '?dryRun=true' : ''}`;

  /** The head's template with `rows` under its header. */
  async function filled(rows: (string | number | null)[][]): Promise<Buffer & { firstRow: number }> {
    const template = await download(t, `${path(X)}/template`, head.http.token);
    expect(template.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    let header = 0;
    const cells: string[] = [];
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === 'Họ và tên') header = n;
      cells.push(row.getCell(1).text);
    });
    expect(cells).toContain('DANH SÁCH NHÂN SỰ — HỘI LIÊN HIỆP PHỤ NỮ XÃ THỬ NGHIỆM');
    rows.forEach((values, i) => {
      values.forEach((v, c) => (sheet.getCell(header + 1 + i, c + 1).value = v));
    });
    return Object.assign(Buffer.from(await workbook.xlsx.writeBuffer()), { firstRow: header + 1 });
  }

  const members = async (organisation: string) =>
    (
      await t.dataSource.query(`SELECT count(*)::int AS n FROM person WHERE organisation_id = $1`, [
        organisation,
      ])
    )[0].n as number;

  it('previews, then writes everyone into the head’s organisation, wherever they live', async () => {
    const file = await filled([
      [
        'Nhân viên thử nghiệm Một',
        '02/09/1985',
        null,
        'Nữ',
        communes[0],
        'Cán bộ, công chức, viên chức',
        null,
        null,
      ],
      // Living in another commune than the organisation's: still its staff.
      [
        'Nhân viên thử nghiệm Hai',
        null,
        1992,
        'Nữ',
        communes[2],
        'Phụ nữ',
        cccdFor('female', 1992),
        '0987 111 222',
      ],
    ]);
    const preview = await upload(t, path(X, true), file, head.http.token);
    expect(preview).toEqual({
      status: 200,
      body: { dryRun: true, rows: 2, created: 2, existing: 0, attached: 0, elsewhere: 0 },
    });
    expect(await members(X)).toBe(0);
    const commit = await upload(t, path(X), file, head.http.token);
    expect(commit.body).toEqual({
      dryRun: false,
      rows: 2,
      created: 2,
      existing: 0,
      attached: 0,
      elsewhere: 0,
    });
    expect(await members(X)).toBe(2);
    // The head's people list shows them; a second import of the same file creates nobody.
    const list = await head.http.get(`/api/v1/people?organisationId=${X}`);
    expect(list.body.items.map((p: any) => p.fullName).sort()).toEqual(
      ['Nhân viên thử nghiệm Một', 'Nhân viên thử nghiệm Hai'].sort(),
    );
    // Personal data masked for the head, as in every people list.
    const second = list.body.items.find((p: any) => p.fullName === 'Nhân viên thử nghiệm Hai');
    expect(second.cccd).toMatch(/^\d{3}\*+\d{3}$/);
    const again = await upload(t, path(X), file, head.http.token);
    expect(again.body).toEqual({
      dryRun: false,
      rows: 2,
      created: 0,
      existing: 2,
      attached: 0,
      elsewhere: 0,
    });
    expect(await members(X)).toBe(2);
  });

  it('attaches people already registered without an organisation, and leaves another organisation’s', async () => {
    const cccd = cccdFor('male', 1978);
    // Registered before, by the commune: one with a CCCD and no organisation; one matched by name, birth
    // year, commune and phone (no CCCD), already a member of another organisation.
    const Z = await createOrganisation(t, communes[3], 'Hợp tác xã thử nghiệm');
    const steering = await createUser(t, [{ role: 'steering', unitCode: communes[3] }]);
    const free = await steering.http.post('/api/v1/people', {
      fullName: 'Người đã có Một',
      birthYear: 1978,
      gender: 'male',
      communeCode: communes[3],
      segment: 'farmer',
      cccd,
    });
    expect(free.status).toBe(201);
    const taken = await steering.http.post('/api/v1/people', {
      fullName: 'Người đã có Hai',
      birthYear: 1969,
      gender: 'female',
      communeCode: communes[3],
      segment: 'farmer',
      phone: '0912 345 678',
    });
    expect(taken.status).toBe(201);
    await t.dataSource.query(`UPDATE person SET organisation_id = $1 WHERE id = $2`, [Z, taken.body.id]);
    const organisationOf = async (id: string) =>
      (await t.dataSource.query(`SELECT organisation_id AS o FROM person WHERE id = $1`, [id]))[0].o as
        string | null;
    const file = await filled([
      // Typed without diacritics in another case: the CCCD decides.
      ['NGUOI DA CO MOT', null, 1978, 'Nam', communes[3], 'Nông dân', cccd, null],
      ['người đã có hai', null, 1969, 'Nữ', communes[3], 'Nông dân', null, '0912345678'],
      ['Nhân viên thử nghiệm Sáu', null, 1995, 'Nam', communes[0], 'Thanh niên', null, null],
    ]);
    const before = await members(X);
    const preview = await upload(t, path(X, true), file, head.http.token);
    expect(preview.body).toEqual({
      dryRun: true,
      rows: 3,
      created: 1,
      existing: 0,
      attached: 1,
      elsewhere: 1,
    });
    expect(await organisationOf(free.body.id)).toBeNull();
    expect(await members(X)).toBe(before);
    const commit = await upload(t, path(X), file, head.http.token);
    expect(commit.body).toEqual({
      dryRun: false,
      rows: 3,
      created: 1,
      existing: 0,
      attached: 1,
      elsewhere: 1,
    });
    expect(await organisationOf(free.body.id)).toBe(X);
    expect(await organisationOf(taken.body.id)).toBe(Z);
    expect(await members(X)).toBe(before + 2);
    // Nobody was created twice, and the attachment is in the audit trail.
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM person WHERE cccd = $1`, [cccd]);
    expect(n).toBe(1);
    const audit = await t.dataSource.query(
      `SELECT after FROM audit_log WHERE action = 'person.updated' AND entity_id = $1`,
      [free.body.id],
    );
    expect(audit.map((a: any) => a.after)).toEqual([{ organisationId: X }]);
    // Again: now a member, nothing changes.
    const again = await upload(t, path(X), file, head.http.token);
    expect(again.body).toEqual({
      dryRun: false,
      rows: 3,
      created: 0,
      existing: 2,
      attached: 0,
      elsewhere: 1,
    });
  });

  it('names bad rows by number and writes nothing', async () => {
    const file = await filled([
      ['Nhân viên thử nghiệm Ba', null, 1990, 'Nữ', communes[0], 'Phụ nữ', null, null],
      ['Nhân viên thử nghiệm Bốn', null, null, 'Nam', '99999', 'Thanh niên', null, '12345'],
    ]);
    const before = await members(X);
    for (const dryRun of [true, false]) {
      const res = await upload(t, path(X, dryRun), file, head.http.token);
      expect([res.status, res.body.code]).toEqual([400, 'IMPORT_ROWS_INVALID']);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { row: file.firstRow + 1, field: 'Năm sinh', reason: 'cần Ngày sinh hoặc Năm sinh' },
          { row: file.firstRow + 1, field: 'Mã xã, phường', reason: '99999 không phải xã, phường hiện hành' },
          {
            row: file.firstRow + 1,
            field: 'Số điện thoại',
            reason: 'không phải số điện thoại Việt Nam hợp lệ',
          },
        ]),
      );
      expect(res.body.errors.every((e: any) => e.row === file.firstRow + 1)).toBe(true);
    }
    // The good row was not written either.
    expect(await members(X)).toBe(before);
  });

  it("refuses another organisation's import and template, and an unknown one", async () => {
    const file = await filled([
      ['Nhân viên thử nghiệm Năm', null, 1980, 'Nam', communes[1], 'Nông dân', null, null],
    ]);
    const other = await upload(t, path(Y), file, head.http.token);
    expect([other.status, other.body.code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect((await download(t, `${path(Y)}/template`, head.http.token)).status).toBe(403);
    expect(await members(Y)).toBe(0);
    const unknown = await upload(t, path('00000000-0000-4000-8000-000000000000'), file, head.http.token);
    expect(unknown.status).toBe(404);
    // A steering member of Y's commune imports Y's staff; one of another commune cannot.
    const steeringY = await createUser(t, [{ role: 'steering', unitCode: communes[1] }]);
    const steeringX = await createUser(t, [{ role: 'steering', unitCode: communes[0] }]);
    expect((await upload(t, path(Y, true), file, steeringX.http.token)).status).toBe(403);
    expect((await upload(t, path(Y, true), file, steeringY.http.token)).body).toMatchObject({ created: 1 });
  });
});
