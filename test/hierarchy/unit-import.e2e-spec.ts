import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_UNITS_FILE, UnitImportService } from '../../libs/hierarchy/src';
import { DomainError } from '../../libs/platform/src';
import { startTestApp, TestApp } from '../support/test-app';

const REAL_FILE = join(__dirname, '../..', BUNDLED_UNITS_FILE);
const THREE_LEVEL_FILE = join(__dirname, '../fixtures/units-three-level.json');

describe('importing administrative units (on an empty database)', () => {
  let t: TestApp;
  let importer: UnitImportService;

  const counts = (): Promise<{ level: string; n: number; lastUpdate: Date }[]> =>
    t.dataSource.query(
      `SELECT level, count(*)::int AS n, max(updated_at) AS "lastUpdate" FROM admin_unit GROUP BY level ORDER BY level`,
    );

  beforeAll(async () => {
    t = await startTestApp({ template: 'empty' });
    importer = t.app.get(UnitImportService);
  });
  afterAll(() => t.close());

  it('rejects a malformed file and writes nothing', async () => {
    const broken = JSON.parse(readFileSync(REAL_FILE, 'utf8'));
    // Valid provinces first, then one bad commune deep in the file.
    broken[30].Wards[5].Code = '12AB';
    const error = await importer.importText(JSON.stringify(broken)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('UNIT_FILE_INVALID');
    expect((error as DomainError).errors).toEqual([
      {
        field: '[30].Wards[5].Code',
        reason: `${broken[30].Wards[5].FullName} (mã 12AB): mã 12AB không hợp lệ: cấp này dùng mã 5 chữ số`,
      },
    ]);
    expect(await counts()).toEqual([]);
  });

  it('imports the real file: 34 provinces and 3,321 communes', async () => {
    const summary = await importer.importFile(REAL_FILE);
    expect(summary).toMatchObject({
      shape: 'two-level',
      total: 3355,
      created: 3355,
      updated: 0,
      unchanged: 0,
    });
    expect((await counts()).map(({ level, n }) => [level, n])).toEqual([
      ['commune', 3321],
      ['province', 34],
    ]);
    const [thaiNguyen] = await t.dataSource.query(
      `SELECT u.full_name, count(c.id)::int AS communes FROM admin_unit u JOIN admin_unit c ON c.parent_id = u.id
        WHERE u.code = '19' GROUP BY u.full_name`,
    );
    expect(thaiNguyen).toEqual({ full_name: 'Tỉnh Thái Nguyên', communes: 92 });
    // Materialised paths agree with the parent links.
    const [bad] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM admin_unit c JOIN admin_unit p ON p.id = c.parent_id
        WHERE c.path <> p.path || c.id || '/' OR c.depth <> p.depth + 1`,
    );
    expect(bad.n).toBe(0);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await counts();
    const summary = await importer.importFile(REAL_FILE);
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 3355 });
    expect(await counts()).toEqual(before);
  });

  it('imports an older three-level file for its own validity period, beside today’s units', async () => {
    const summary = await importer.importFile(THREE_LEVEL_FILE, {
      validFrom: '2008-08-01',
      validTo: '2025-07-01',
    });
    expect(summary).toMatchObject({ shape: 'three-level', created: 11, updated: 0 });
    const again = await importer.importFile(THREE_LEVEL_FILE, {
      validFrom: '2008-08-01',
      validTo: '2025-07-01',
    });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 11 });

    const district = await t.http.get('/api/v1/units?parent=001&asOf=2020-05-01');
    expect(district.status).toBe(200);
    expect(district.body.items.map((u: { fullName: string }) => u.fullName)).toEqual([
      'Phường Phúc Xá',
      'Phường Trúc Bạch',
      'Phường Vĩnh Phúc',
    ]);
    const hanoi2020 = await t.http.get('/api/v1/units?parent=01&asOf=2020-05-01');
    expect(hanoi2020.body.items.map((u: { code: string; level: string }) => [u.code, u.level])).toEqual([
      ['001', 'district'],
      ['018', 'district'],
    ]);
    const commune = await t.http.get('/api/v1/units/00526?asOf=2020-05-01');
    expect(commune.body.ancestors.map((u: { code: string }) => u.code)).toEqual(['01', '018']);
    expect(commune.body.type).toBe('Thị trấn');

    // Today the same code 00004 is a ward of the two-level map, not the old one.
    const today = await t.http.get('/api/v1/units/00004');
    expect(today.body).toMatchObject({ fullName: 'Phường Ba Đình', ancestors: [{ code: '01' }] });
    const before = await t.http.get('/api/v1/units/00004?asOf=2020-05-01');
    expect(before.body).toMatchObject({ fullName: 'Phường Trúc Bạch', validTo: '2025-07-01' });
    // Districts exist only before the reform.
    expect((await t.http.get('/api/v1/units/001')).body.validTo).toBe('2025-07-01');
    expect((await t.http.get('/api/v1/units/001?asOf=2026-01-01')).status).toBe(404);
  });

  it('corrects a renamed unit on re-import, without touching the others', async () => {
    const file = JSON.parse(readFileSync(REAL_FILE, 'utf8'));
    const province = file.find((p: { Code: string }) => p.Code === '19');
    province.Wards[0].FullName = 'Phường Đức Xuân Mới';
    province.Wards[0].Name = 'Đức Xuân Mới';
    const summary = await importer.importText(JSON.stringify(file));
    expect(summary).toMatchObject({ created: 0, updated: 1, unchanged: 3354 });
    const unit = await t.http.get(`/api/v1/units/${province.Wards[0].Code}`);
    expect(unit.body.fullName).toBe('Phường Đức Xuân Mới');
  });
});

describe('an older map imported first on a fresh database', () => {
  let t: TestApp;
  let importer: UnitImportService;

  beforeAll(async () => {
    t = await startTestApp({ template: 'empty' });
    importer = t.app.get(UnitImportService);
  });
  afterAll(() => t.close());

  it('does not stop today’s list from being seeded at the start', async () => {
    expect(await importer.importFile(THREE_LEVEL_FILE)).toMatchObject({ history: true, created: 11 });
    // What the service does at every start (HierarchyModule): today's units are missing, so they come.
    expect(await importer.seedIfEmpty('default')).toMatchObject({ shape: 'two-level', created: 3355 });
    expect(await importer.seedIfEmpty('default')).toBeNull();
    expect((await t.http.get('/api/v1/units/00004')).body).toMatchObject({ fullName: 'Phường Ba Đình' });
    expect((await t.http.get('/api/v1/units/00004?asOf=2020-05-01')).body).toMatchObject({
      fullName: 'Phường Trúc Bạch',
      validTo: '2025-07-01',
    });
  });

  it('answers a file that is not there in plain words, not with a system error code', async () => {
    for (const run of [
      () => importer.importFile('/no/such/units.json'),
      () => importer.seedIfEmpty('/no/such/units.json'),
    ]) {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('DATA_FILE_UNREADABLE');
      expect((error as DomainError).message).toBe(
        'Không đọc được tệp /no/such/units.json: tệp không tồn tại (file not found).',
      );
    }
    const folder = await importer.importFile(__dirname).catch((e: DomainError) => e);
    expect((folder as DomainError).message).toContain('đây là một thư mục, không phải tệp (is a directory)');
  });
});
