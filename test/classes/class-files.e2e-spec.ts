import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { FixedClock } from '../../libs/platform/src';
import { cccdFor, createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { download, upload } from '../support/files';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { pdfPages, pdfText, pdfToPng, toolAvailable } from '../support/tools';

describe('class rosters in Excel and printable attendance sheets', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let c: Awaited<ReturnType<typeof createClass>>;
  let program: string;
  let lead: string;
  let enrolled: string;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const communes = await communesOf(t, '19');
    program = (await createProgram(t.http, { completionRule: { minSessions: 2 } })).id;
    const leadPerson = await createPerson(t.http, communes[0], { fullName: 'Nông Văn Dũng' });
    lead = (await createTrainer(t.http, program, communes[0], { personId: leadPerson.id })).id;
    c = await createClass(t.http, program, lead, communes[0], {
      title: 'Lớp AI cho hội viên phụ nữ xóm Cây Thị',
      capacity: 10,
    });
    enrolled = (
      await createPerson(t.http, communes[0], {
        fullName: 'Nguyễn Thị Ánh Tuyết',
        gender: 'female',
        birthYear: 1988,
      })
    ).id;
    await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: enrolled });
  });
  afterAll(() => t.close());

  const template = async () => {
    const file = await download(t, `/api/v1/classes/${c.id}/attendance/template`);
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    return workbook;
  };
  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM person) AS people, (SELECT count(*)::int FROM enrolment WHERE class_id = $1) AS enrolments,
              (SELECT count(*)::int FROM attendance WHERE class_id = $1) AS marks`,
        [c.id],
      )
    )[0];

  it('offers a template with the roster pre-filled and dropdowns for gender, segment and statuses', async () => {
    const sheet = (await template()).worksheets[0];
    const header = sheet.getRow(7).values as string[];
    expect(header.slice(1)).toEqual([
      'Mã người học',
      'Họ và tên',
      'Năm sinh',
      'Giới tính',
      'Số điện thoại',
      'Số CCCD',
      'Đối tượng',
      'Buổi 1 (20/11)',
      'Buổi 2 (21/11)',
      'Buổi 3 (22/11)',
      'Ứng dụng được công cụ AI',
    ]);
    expect(sheet.getCell('A8').value).toBe(enrolled);
    expect(sheet.getCell('B8').value).toBe('Nguyễn Thị Ánh Tuyết');
    expect(sheet.getCell('D9').dataValidation).toMatchObject({ type: 'list', formulae: ['"Nam,Nữ,Khác"'] });
    expect(sheet.getCell('H9').dataValidation.formulae).toEqual(['"Có mặt,Đi muộn,Vắng có phép,Vắng"']);
  });

  it('previews an import without writing, then commits it all at once', async () => {
    const workbook = await template();
    const sheet = workbook.worksheets[0];
    sheet.getCell('H8').value = 'Có mặt';
    sheet.getCell('I8').value = 'Đi muộn';
    const newcomer = cccdFor('male', 1979);
    sheet.getRow(9).values = [
      null,
      'Hoàng Văn Thưởng',
      1979,
      'Nam',
      '0987 123 456',
      newcomer,
      'Nông dân',
      'Có mặt',
      'Vắng',
      'Có mặt',
      'Có',
    ];
    sheet.getRow(10).values = [null, 'Lò Thị Ỷ', 1992, 'Nữ', null, null, 'Phụ nữ', 'Vắng có phép'];
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const before = await counts();

    const preview = await upload(t, `/api/v1/classes/${c.id}/attendance/import?dryRun=true`, file);
    expect(preview.status).toBe(201);
    expect(preview.body).toEqual({
      dryRun: true,
      rows: 3,
      newPeople: 2,
      newEnrolments: 2,
      marks: 6,
      outcomes: 1,
      possibleDuplicates: 0,
    });
    expect(await counts()).toEqual(before);

    const commit = await upload(t, `/api/v1/classes/${c.id}/attendance/import`, file);
    expect(commit.body).toEqual({ ...preview.body, dryRun: false });
    expect(await counts()).toEqual({ people: before.people + 2, enrolments: 3, marks: 6 });
    const roster = (await t.http.get(`/api/v1/classes/${c.id}/enrolments`)).body;
    // The outcome column of the workbook: he can apply an AI tool.
    expect(
      roster.find((e: { person: { fullName: string } }) => e.person.fullName === 'Hoàng Văn Thưởng'),
    ).toMatchObject({ status: 'completed', canApplyAiTool: true });
    expect(roster.find((e: { person: { id: string } }) => e.person.id === enrolled)).toMatchObject({
      status: 'completed',
    });
    const [{ method }] = await t.dataSource.query(
      `SELECT DISTINCT method FROM attendance WHERE class_id = $1`,
      [c.id],
    );
    expect(method).toBe('import');
    expect((await t.http.get(`/api/v1/programs/${program}/trainers/${lead}/reach`)).body.directReach).toBe(2);
  });

  it('rejects bad rows with row, column and reason, writing nothing', async () => {
    const workbook = await template();
    const sheet = workbook.worksheets[0];
    const next = sheet.rowCount + 1;
    sheet.getRow(next).values = [null, 'Trần Văn Mới', 'năm ngoái', 'Nam', null, null, 'Nông dân', 'Có mặt'];
    sheet.getRow(next + 1).values = [null, 'Bùi Thị Sai', 1990, 'Nữ', '0123', '001', 'Phụ nữ', 'Ở nhà'];
    sheet.getRow(next + 2).values = ['00000000-0000-0000-0000-000000000000', 'Người Lạ', 1990, 'Nam'];
    const before = await counts();
    const res = await upload(
      t,
      `/api/v1/classes/${c.id}/attendance/import`,
      Buffer.from(await workbook.xlsx.writeBuffer()),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IMPORT_ROWS_INVALID');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          row: next,
          field: 'Năm sinh',
          reason: expect.stringContaining('không phải số nguyên'),
        }),
        expect.objectContaining({
          row: next + 1,
          field: 'Buổi 1 (20/11)',
          reason: expect.stringContaining('Ở nhà'),
        }),
      ]),
    );
    // Cell-level errors come first; once cells are right, the rows meet the people module's rules.
    sheet.getCell(`C${next}`).value = 1990;
    sheet.getCell(`H${next + 1}`).value = 'Vắng';
    const second = await upload(
      t,
      `/api/v1/classes/${c.id}/attendance/import`,
      Buffer.from(await workbook.xlsx.writeBuffer()),
    );
    expect(second.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: next + 1, field: 'Số điện thoại' }),
        expect.objectContaining({ row: next + 1, field: 'Số CCCD' }),
        expect.objectContaining({
          row: next + 2,
          field: 'Mã người học',
          reason: 'không có trong danh sách lớp',
        }),
      ]),
    );
    expect(await counts()).toEqual(before);

    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').addRow(['Tên', 'Tuổi']);
    const wrong = await upload(
      t,
      `/api/v1/classes/${c.id}/attendance/import`,
      Buffer.from(await other.xlsx.writeBuffer()),
    );
    expect([wrong.status, wrong.body.code]).toEqual([400, 'IMPORT_TEMPLATE_INVALID']);
    expect(await counts()).toEqual(before);
  });

  it('prints the attendance sheet as Excel', async () => {
    const file = await download(t, `/api/v1/classes/${c.id}/attendance-sheet.xlsx`);
    expect(file.type).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(sheet.getCell('A4').value).toBe('DANH SÁCH ĐIỂM DANH LỚP HỌC');
    expect((sheet.getRow(9).values as string[]).slice(-1)).toEqual(['Ký tên']);
    const names = [10, 11, 12].map((r) => sheet.getCell(`B${r}`).value);
    expect(names).toEqual(['Hoàng Văn Thưởng', 'Nguyễn Thị Ánh Tuyết', 'Lò Thị Ỷ']);
  });

  const pdfTools = toolAvailable('pdftotext', 'reading the printed attendance sheet', 'poppler-utils');
  (pdfTools ? it : it.skip)(
    'prints the attendance sheet as a PDF whose text keeps every diacritic',
    async () => {
      const file = await download(t, `/api/v1/classes/${c.id}/attendance-sheet.pdf`);
      expect(file.type).toBe('application/pdf');
      const text = pdfText(file.body);
      for (const expected of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'DANH SÁCH ĐIỂM DANH LỚP HỌC',
        'Lớp AI cho hội viên phụ nữ xóm Cây Thị',
        'Nguyễn Thị Ánh Tuyết',
        'Hoàng Văn Thưởng',
        'Lò Thị Ỷ',
        'Nông Văn Dũng',
        'Ký tên',
        'NGƯỜI LẬP BIỂU',
      ]) {
        expect(text).toContain(expected);
      }
      expect(pdfPages(file.body)).toBe(1);
      const folder = join(__dirname, '../../dist/test-artifacts');
      mkdirSync(folder, { recursive: true });
      pdfToPng(file.body, join(folder, 'attendance-sheet.png'));
    },
  );
});
