import ExcelJS from 'exceljs';
import { createProgram } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { upload } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';

describe('programs, organisations and population figures', () => {
  let t: TestApp;
  let communes: string[];
  beforeAll(async () => {
    t = await startTestApp();
    communes = await communesOf(t, '19');
  });
  afterAll(() => t.close());

  it('creates a program with phases, the default 5-level curriculum and a completion rule', async () => {
    const res = await t.http.post('/api/v1/programs', {
      code: 'TNX',
      name: 'Bình dân học AI — Thái Nguyên',
      ownerUnitCode: '19',
      startsOn: '2026-03-01',
      endsOn: '2026-12-31',
      completionRule: { minShare: 0.67 },
      phases: [
        { name: 'Chuẩn bị', startsOn: '2026-03-01', endsOn: '2026-03-31' },
        { name: 'Đào tạo lực lượng nòng cốt', startsOn: '2026-04-01', endsOn: '2026-05-31' },
        { name: 'Triển khai đại trà', startsOn: '2026-06-01', endsOn: '2026-12-31' },
      ],
      extraSegments: [{ code: 'ethnic_minority', name: 'Đồng bào dân tộc thiểu số' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: 'TNX',
      ownerUnit: { code: '19', fullName: 'Tỉnh Thái Nguyên' },
      defaultQuota: 1500,
      completionRule: { minShare: 0.67 },
      materialCount: 0,
    });
    expect(res.body.phases.map((p: { name: string }) => p.name)).toEqual([
      'Chuẩn bị',
      'Đào tạo lực lượng nòng cốt',
      'Triển khai đại trà',
    ]);
    expect(res.body.levels.map((l: { level: number }) => l.level)).toEqual([1, 2, 3, 4, 5]);

    const material = await t.http.post(`/api/v1/programs/${res.body.id}/materials`, {
      level: 2,
      title: 'Trò chuyện với trợ lý AI bằng tiếng Việt',
      kind: 'video',
      url: 'https://example.org/video-2.mp4',
    });
    expect(material.status).toBe(201);
    expect((await t.http.get(`/api/v1/programs/${res.body.id}`)).body.materialCount).toBe(1);
    expect((await t.http.get(`/api/v1/programs/${res.body.id}/materials?level=2`)).body.total).toBe(1);

    // The program's own segment is now a valid learner segment.
    const learner = await t.http.post('/api/v1/people', {
      fullName: 'Ma Thị Nhung',
      birthYear: 1995,
      gender: 'female',
      communeCode: communes[0],
      segment: 'ethnic_minority',
    });
    expect(learner.status).toBe(201);
  });

  it('rejects inconsistent programs field by field', async () => {
    const res = await t.http.post('/api/v1/programs', {
      code: 'BAD1',
      name: 'Sai',
      ownerUnitCode: '19',
      startsOn: '2026-06-01',
      endsOn: '2026-01-01',
      completionRule: { minSessions: 2, minShare: 0.5 },
      phases: [{ name: 'Ngoài', startsOn: '2025-01-01', endsOn: '2025-02-01' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'endsOn',
      'completionRule',
      'phases[0]',
    ]);
    const taken = await createProgram(t.http);
    const again = await t.http.post('/api/v1/programs', {
      code: taken.code,
      name: 'Trùng mã',
      ownerUnitCode: '19',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      completionRule: { minSessions: 2 },
    });
    expect([again.status, again.body.code, again.body.programCode]).toEqual([
      409,
      'PROGRAM_CODE_TAKEN',
      taken.code,
    ]);
  });

  it('attaches organisations to units, with a head', async () => {
    const me = (await t.http.get('/api/v1/auth/me')).body;
    const res = await t.http.post('/api/v1/organisations', {
      unitCode: communes[0],
      name: 'Hội Liên hiệp Phụ nữ xã',
      kind: 'mass_organisation',
      headUserId: me.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'mass_organisation',
      kindName: 'Tổ chức chính trị - xã hội',
      head: { id: me.id },
    });
    const list = await t.http.get(`/api/v1/organisations?unit=19&kind=mass_organisation`);
    expect(list.body.items.map((o: { id: string }) => o.id)).toContain(res.body.id);
  });

  it('keeps population figures per unit and year, entered through the API', async () => {
    const put = await t.http.put('/api/v1/units/19/population', {
      year: 2026,
      figures: { total: 1_320_000, working_age: 780_000, civil_servants: 42_000, farmers: 300_000 },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      unit: { code: '19', fullName: 'Tỉnh Thái Nguyên' },
      year: 2026,
      figures: { total: 1_320_000, working_age: 780_000, civil_servants: 42_000, farmers: 300_000 },
    });
    await t.http.put('/api/v1/units/19/population', { year: 2026, figures: { farmers: null } });
    expect((await t.http.get('/api/v1/units/19/population')).body.figures).not.toHaveProperty('farmers');
    const bad = await t.http.put('/api/v1/units/19/population', {
      year: 2026,
      figures: { total: -1, 'Dân số': 5 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'figures.Dân số',
      'figures.total',
    ]);
  });

  it('imports population figures from the Excel template: dry run, row errors, all or nothing', async () => {
    const template = await fetch(`${t.baseUrl}/api/v1/units/19/population/template?year=2026`, {
      headers: { authorization: `Bearer ${t.http.token}` },
    });
    expect(template.status).toBe(200);
    expect(template.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''so-lieu-dan-so-19-2026.xlsx",
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await template.arrayBuffer());
    const sheet = workbook.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(sheet.getRow(7).values).toEqual(
      expect.arrayContaining([
        'Mã đơn vị',
        'Tên đơn vị',
        'Năm',
        'Tổng dân số',
        'Người trong độ tuổi lao động',
      ]),
    );
    // Row 8 is the province itself (pre-filled), then its 92 communes.
    expect(sheet.getCell('A8').value).toBe('19');
    expect(sheet.getCell('D8').value).toBe(1_320_000);
    expect(sheet.rowCount).toBe(7 + 1 + 92);
    for (let r = 9; r <= 12; r++) {
      sheet.getCell(`D${r}`).value = 10_000 + r;
      sheet.getCell(`E${r}`).value = 6_000 + r;
    }
    sheet.getCell('D13').value = 'mười nghìn';
    sheet.getCell('A14').value = '99999';
    const broken = Buffer.from(await workbook.xlsx.writeBuffer());
    const rejected = await upload(t, '/api/v1/units/19/population/import', broken);
    expect(rejected.status).toBe(400);
    expect(rejected.body.code).toBe('IMPORT_ROWS_INVALID');
    expect(rejected.body.errors).toEqual([
      { row: 13, field: 'Tổng dân số', reason: expect.stringContaining('mười nghìn') },
    ]);
    sheet.getCell('D13').value = 20_000;
    const secondPass = await upload(
      t,
      '/api/v1/units/19/population/import',
      Buffer.from(await workbook.xlsx.writeBuffer()),
    );
    expect(secondPass.body.errors).toEqual([
      { row: 14, field: 'Mã đơn vị', reason: expect.stringContaining('99999') },
    ]);
    sheet.getCell('A14').value = sheet.getCell('A15').value;
    sheet.spliceRows(15, 1);
    const fixed = Buffer.from(await workbook.xlsx.writeBuffer());
    const count = async () =>
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM population_figure`))[0].n as number;
    const before = await count();

    const preview = await upload(t, '/api/v1/units/19/population/import?dryRun=true', fixed);
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ dryRun: true, rows: 92, created: 9, unchanged: 3 });
    expect(await count()).toBe(before);
    const commit = await upload(t, '/api/v1/units/19/population/import', fixed);
    expect(commit.body).toMatchObject({ dryRun: false, created: 9 });
    expect(await count()).toBe(before + 9);
    const again = await upload(t, '/api/v1/units/19/population/import', fixed);
    expect(again.body).toMatchObject({ created: 0, updated: 0 });
    const commune = sheet.getCell('A9').value as string;
    expect((await t.http.get(`/api/v1/units/${commune}/population?year=2026`)).body.figures).toEqual({
      total: 10_009,
      working_age: 6_009,
    });
  });

  it('rejects a workbook that is not the template, or not a workbook at all, writing nothing', async () => {
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').addRow(['Họ tên', 'Ngày sinh']);
    const wrong = await upload(
      t,
      '/api/v1/units/19/population/import',
      Buffer.from(await other.xlsx.writeBuffer()),
    );
    expect([wrong.status, wrong.body.code]).toEqual([400, 'IMPORT_TEMPLATE_INVALID']);
    const junk = await upload(t, '/api/v1/units/19/population/import', Buffer.from('not a spreadsheet'));
    expect([junk.status, junk.body.code]).toEqual([400, 'IMPORT_FILE_INVALID']);
  });
});
