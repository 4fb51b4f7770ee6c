import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BUNDLED_HISTORY_FILE,
  BUNDLED_SUCCESSIONS_FILE,
  BUNDLED_UNITS_FILE,
  UnitImportService,
  UnitSuccessionService,
} from '../../libs/hierarchy/src';
import { DomainError } from '../../libs/platform/src';
import { LAO_CAI_REORGANISATION, OLD_LAO_CAI_UNITS, oldUnitId } from '../support/old-map';
import { startTestApp, TestApp } from '../support/test-app';

const root = join(__dirname, '../..');
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (error instanceof DomainError) return error;
  throw error;
}

/**
 * The real list of 2024 (63 provinces, 696 districts, 10,035 communes, the last three-level map) imported
 * over today's units, and the real 2025 reorganisation recorded between the two.
 */
describe('the map before 1 July 2025 beside today’s (the real 2024 list and the 2025 reorganisation)', () => {
  let t: TestApp;
  let importer: UnitImportService;
  let successions: UnitSuccessionService;
  let today: unknown[];

  const todaysUnits = () =>
    t.dataSource.query(
      `SELECT id, code, level, type, name, full_name, parent_id, path, depth, valid_from, valid_to, state_from,
              updated_at
         FROM admin_unit WHERE valid_from >= '2025-07-01' ORDER BY id`,
    );
  const linkCount = async () =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM admin_unit_succession`))[0].n as number;
  const jobs = async () =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM job WHERE kind = 'kpi.rebuild'`))[0]
      .n as number;
  const unit = async (code: string, asOf?: string) => {
    const res = await t.http.get(`/api/v1/units/${code}${asOf ? `?asOf=${asOf}` : ''}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp();
    importer = t.app.get(UnitImportService);
    successions = t.app.get(UnitSuccessionService);
    today = await todaysUnits();
    expect(today).toHaveLength(3355);
  });
  afterAll(() => t.close());

  it('imports the real 2024 list without any flag as history ending on 1 July 2025, leaving today’s map as it was', async () => {
    const started = Date.now();
    const summary = await importer.importFile(join(root, BUNDLED_HISTORY_FILE));
    console.log(`the 2024 list: ${summary.created} units imported in ${Date.now() - started} ms`);
    expect(summary).toEqual({
      shape: 'three-level',
      validFrom: '2000-01-01',
      validTo: '2025-07-01',
      history: true,
      total: 10794,
      created: 10794,
      updated: 0,
      unchanged: 0,
    });
    // Not one of today's units was touched: same names, parents, paths, validity, not even updated_at.
    expect(await todaysUnits()).toEqual(today);
    const ended = await t.dataSource.query(
      `SELECT level, count(*)::int AS n FROM admin_unit WHERE valid_to = '2025-07-01' GROUP BY level ORDER BY level`,
    );
    expect(ended).toEqual([
      { level: 'commune', n: 10035 },
      { level: 'district', n: 696 },
      { level: 'province', n: 63 },
    ]);

    expect((await t.http.get('/api/v1/units')).body.total).toBe(34);
    expect((await t.http.get('/api/v1/units?asOf=2024-12-31')).body.total).toBe(63);
    // Code 15 is today's Lào Cai and was Yên Bái; code 04375 is today's commune and was a township.
    expect(await unit('15')).toMatchObject({ fullName: 'Tỉnh Lào Cai', validTo: null });
    expect(await unit('15', '2024-12-31')).toMatchObject({ fullName: 'Tỉnh Yên Bái', validTo: '2025-07-01' });
    const mauA = await unit('04375');
    expect(mauA).toMatchObject({
      fullName: 'Xã Mậu A',
      ancestors: [{ code: '15', fullName: 'Tỉnh Lào Cai' }],
    });
    const township = await unit('04375', '2024-12-31');
    expect(township).toMatchObject({ fullName: 'Thị trấn Mậu A', type: 'Thị trấn' });
    expect(township.ancestors.map((a: { fullName: string }) => a.fullName)).toEqual([
      'Tỉnh Yên Bái',
      'Huyện Văn Yên',
    ]);
    // An island district has no communes, and is kept.
    expect(await unit('318', '2024-12-31')).toMatchObject({ fullName: 'Huyện Bạch Long Vĩ', childCount: 0 });
    expect((await t.http.get('/api/v1/units/136')).body).toMatchObject({
      fullName: 'Huyện Văn Yên',
      validTo: '2025-07-01',
    });
  });

  it('re-importing it, with or without the end date, changes nothing', async () => {
    for (const options of [{}, { validTo: '2025-07-01' }]) {
      const again = await importer.importFile(join(root, BUNDLED_HISTORY_FILE), options);
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 10794 });
    }
    expect(await todaysUnits()).toEqual(today);
  });

  it('refuses validity flags that would put an older map on today’s, writing nothing', async () => {
    const threeLevel = readFileSync(OLD_LAO_CAI_UNITS, 'utf8');
    const late = await failure(importer.importText(threeLevel, { validTo: '2026-01-01' }));
    expect(late.code).toBe('UNIT_FILE_INVALID');
    expect(late.errors).toEqual([
      { field: 'validTo', reason: expect.stringContaining('danh mục ba cấp (có cấp huyện)') },
    ]);
    const inverted = await failure(importer.importText(threeLevel, { validFrom: '2025-08-01' }));
    expect(inverted.errors).toEqual([{ field: 'validTo', reason: 'phải sau ngày bắt đầu 2025-08-01' }]);

    const thaiNguyen = read(join(root, BUNDLED_UNITS_FILE)).filter((p: { Code: string }) => p.Code === '19');
    const early = await failure(importer.importText(JSON.stringify(thaiNguyen), { validFrom: '2024-01-01' }));
    expect(early.errors).toEqual([
      {
        field: 'validFrom',
        reason: expect.stringContaining('danh mục hai cấp (không có cấp huyện) chỉ có từ'),
      },
    ]);
    // A two-level list given an end date is an earlier version of today's map: it may not rename today's.
    thaiNguyen[0].Wards[0].FullName = 'Phường Tên Cũ';
    const overlap = await failure(importer.importText(JSON.stringify(thaiNguyen), { validTo: '2026-01-01' }));
    expect(overlap.code).toBe('UNIT_HISTORY_OVERLAPS_CURRENT');
    expect(overlap.details.errorCount).toBe(93);
    expect(overlap.errors[0]).toEqual({
      field: '[0]',
      reason:
        'Tỉnh Thái Nguyên (mã 19) của tệp, hiệu lực 2025-07-01 – 2026-01-01, trùng thời gian với đơn vị hiện hành Tỉnh Thái Nguyên (mã 19, từ 2025-07-01); ngày kết thúc của danh mục cũ phải không muộn hơn 2025-07-01',
    });
    expect(await todaysUnits()).toEqual(today);
  });

  it('records the real 2025 reorganisation: every earlier province, district and commune linked to today’s map', async () => {
    const jobsBefore = await jobs();
    const started = Date.now();
    const summary = await successions.importBundled();
    console.log(
      `the 2025 reorganisation: ${summary.links.created} links recorded in ${Date.now() - started} ms`,
    );
    expect(summary).toMatchObject({
      effectiveDate: '2025-07-01',
      predecessors: { province: 63, district: 696, commune: 10035 },
      successors: 3355,
      links: { created: summary.links.total, updated: 0, unchanged: 0, removed: 0 },
      unmatched: { today: [] },
    });
    // Twelve communes of the file had been merged away before the 2024 list was made; two of today's codes
    // were corrected after the resolutions, and are found by name in their province.
    expect(summary.unmatched.earlier.map((u) => `${u.code} ${u.name}`)).toEqual([
      '07732 Xã Nham Sơn',
      '07744 Xã Thắng Cương',
      '07693 Xã Tân An',
      '16411 Xã Đông Xuân',
      '16387 Xã Đông Khê',
      '18448 Xã Bình Lộc',
      '20176 Xã Hương Hòa',
      '20674 Xã Quế Phước',
      "25102 Xã Đạ M'ri",
      '25174 Xã Mỹ Lâm',
      '25177 Xã Tư Nghĩa',
      '25186 Xã Phù Mỹ',
    ]);
    expect(summary.matchedByName.map((u) => [u.code, u.name, u.matchedCode])).toEqual([
      ['06970', 'Xã Ba Chẽ', '06978'],
      ['23737', 'Xã Ia Mơ', '23938'],
    ]);
    expect(await linkCount()).toBe(summary.links.total);
    expect(await jobs()).toBe(jobsBefore + 1);

    // Yên Bái and the old Lào Cai formed today's Lào Cai; Văn Yên district went into it.
    const yenBai = await unit('15', '2024-12-31');
    expect(yenBai.successors).toEqual([
      { code: '15', fullName: 'Tỉnh Lào Cai', kind: 'merge', effectiveDate: '2025-07-01' },
    ]);
    const laoCai = await unit('15');
    const predecessors = laoCai.predecessors.map(
      (p: { code: string; fullName: string }) => `${p.code} ${p.fullName}`,
    );
    expect(predecessors).toEqual(
      expect.arrayContaining(['10 Tỉnh Lào Cai', '15 Tỉnh Yên Bái', '136 Huyện Văn Yên']),
    );
    expect(predecessors).toHaveLength(2 + 18);
    // Resolution 1673/NQ-UBTVQH15, Article 1 §20: Mậu A township and the communes of Yên Thái, An Thịnh,
    // Mậu Đông and Ngòi A formed the commune of Mậu A.
    const mauA = await unit('04375');
    expect(mauA.predecessors.map((p: { fullName: string }) => p.fullName).sort()).toEqual(
      ['Thị trấn Mậu A', 'Xã An Thịnh', 'Xã Mậu Đông', 'Xã Ngòi A', 'Xã Yên Thái'].sort(),
    );

    // Figures follow: the KPI's "today's map" maps each earlier unit to the unit it became.
    const [current] = await t.dataSource.query(
      `SELECT (SELECT code FROM admin_unit WHERE id = kpi_current_unit($1)) AS commune,
              (SELECT code FROM admin_unit WHERE id = kpi_current_unit($2)) AS district,
              (SELECT code || ' ' || full_name FROM admin_unit WHERE id = kpi_current_unit($3)) AS province`,
      [await oldUnitId(t, '04405'), await oldUnitId(t, '136'), await oldUnitId(t, '15')],
    );
    expect(current).toEqual({ commune: '04375', district: '15', province: '15 Tỉnh Lào Cai' });
  });

  it('gives each earlier unit a scope on today’s map: its successor, or what holds all of them', async () => {
    const scope = async (id: number) =>
      (await t.dataSource.query(`SELECT admin_unit_scope_path($1) AS path`, [id]))[0].path as string;
    const path = async (code: string) =>
      (
        await t.dataSource.query(`SELECT path FROM admin_unit WHERE code = $1 AND valid_to IS NULL`, [code])
      )[0].path as string;
    expect(await scope(await oldUnitId(t, '15'))).toBe(await path('15'));
    expect(await scope(await oldUnitId(t, '136'))).toBe(await path('15'));
    expect(await scope(await oldUnitId(t, '04405'))).toBe(await path('04375'));
    expect(
      await scope(
        (await t.dataSource.query(`SELECT id FROM admin_unit WHERE code = '15' AND valid_to IS NULL`))[0].id,
      ),
    ).toBe(await path('15'));
    // A commune divided among communes of one province stands for the province; one divided among
    // provinces for no unit ('/': administrators only).
    const divided: { id: number; provinces: number }[] = await t.dataSource.query(
      `SELECT s.predecessor_id AS id, count(DISTINCT split_part(n.path, '/', 2))::int AS provinces
         FROM admin_unit_succession s JOIN admin_unit n ON n.id = s.successor_id
        GROUP BY s.predecessor_id HAVING count(*) > 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    );
    expect(divided[0].provinces).toBe(2);
    expect(await scope(divided[0].id)).toBe('/');
    const [withinProvince]: { id: number; province: string }[] = await t.dataSource.query(
      `SELECT s.predecessor_id AS id, min(split_part(n.path, '/', 2)) AS province
         FROM admin_unit_succession s JOIN admin_unit n ON n.id = s.successor_id
        GROUP BY s.predecessor_id HAVING count(*) > 1 AND count(DISTINCT split_part(n.path, '/', 2)) = 1 LIMIT 1`,
    );
    expect(await scope(withinProvince.id)).toBe(`/${withinProvince.province}/`);
  });

  it('loading it again changes nothing; a strict load refuses codes that match no unit, writing nothing', async () => {
    const links = await linkCount();
    const jobsBefore = await jobs();
    const again = await successions.importBundled();
    expect(again.links).toEqual({ total: links, created: 0, updated: 0, unchanged: links, removed: 0 });
    expect(await jobs()).toBe(jobsBefore);

    const strict = await failure(successions.importBundled({ strict: true }));
    expect(strict.code).toBe('SUCCESSION_UNITS_UNMATCHED');
    expect(strict.details.errorCount).toBe(12);
    expect(strict.errors[0]).toEqual({
      field: 'data[10].level2s[0].merges[7]',
      reason:
        'Xã Nham Sơn (mã 07732): không có đơn vị mã này kết thúc hiệu lực ngày 2025-07-01 (đã nhập danh mục cũ chưa?)',
    });
    expect(await linkCount()).toBe(links);
  });

  it('a corrected file replaces the links of the units it names, and only theirs', async () => {
    const links = await linkCount();
    const file = read(LAO_CAI_REORGANISATION);
    const communes = file.data[0].level2s;
    const mauA = communes.find((c: { level2_id: string }) => c.level2_id === '04375');
    const xuanAi = communes.find((c: { level2_id: string }) => c.level2_id === '04441');
    const mauDong = mauA.merges.findIndex((m: { old_id: string }) => m.old_id === '04405');
    xuanAi.merges.push(...mauA.merges.splice(mauDong, 1));
    const moved = await successions.importText(JSON.stringify(file), { strict: true });
    expect(moved.links).toMatchObject({ created: 1, updated: 0, removed: 1 });
    expect((await unit('04405', '2024-12-31')).successors.map((s: { code: string }) => s.code)).toEqual([
      '04441',
    ]);
    expect(await linkCount()).toBe(links);

    const restored = await successions.importFile(LAO_CAI_REORGANISATION, { strict: true });
    expect(restored.links).toMatchObject({ created: 1, removed: 1 });
    expect((await unit('04405', '2024-12-31')).successors.map((s: { code: string }) => s.code)).toEqual([
      '04375',
    ]);
  });

  it('refuses a malformed reorganisation file, naming every unit by code and name', async () => {
    const error = await failure(
      successions.importText(
        JSON.stringify({
          data: [
            {
              level1_id: '15',
              name: 'Tỉnh Lào Cai',
              merges: [{ old_id: '1', name: 'Tỉnh Yên Bái', type: 'full' }],
              level2s: [
                {
                  level2_id: '04375',
                  name: 'Xã Mậu A',
                  merges: [{ old_id: '04405', name: 'Xã Mậu Đông', type: 'all' }],
                },
                { level2_id: '4441', name: 'Xã Xuân Ái', merges: [] },
                { level2_id: '04450', name: 'Xã Mỏ Vàng' },
                { level2_id: '04381', name: 'Xã Lâm Giang', merges: [] },
              ],
            },
          ],
        }),
      ),
    );
    expect(error.code).toBe('SUCCESSION_FILE_INVALID');
    expect(error.errors).toEqual([
      {
        field: 'data[0].merges[0].old_id',
        reason:
          'Tỉnh Yên Bái (mã 1), nhập vào Tỉnh Lào Cai (mã 15): old_id phải là mã tỉnh 2 chữ số, không phải "1"',
      },
      {
        field: 'data[0].level2s[0].merges[0].type',
        reason: 'Xã Mậu Đông (mã 04405), nhập vào Xã Mậu A (mã 04375): type phải là "full" hoặc "partial"',
      },
      {
        field: 'data[0].level2s[1].level2_id',
        reason:
          'Xã Xuân Ái (mã 4441), xã mới của Tỉnh Lào Cai (mã 15): level2_id phải là mã xã 5 chữ số, không phải "4441"',
      },
      { field: 'data[0].level2s[2].merges', reason: 'Xã Mỏ Vàng (mã 04450): merges phải là một danh sách' },
      {
        field: 'data[0].level2s[3].merges',
        reason: 'Xã Lâm Giang (mã 04381): không có đơn vị nào trước sắp xếp',
      },
    ]);
    const missing = await failure(successions.importFile('/no/such/reorganisation.json'));
    expect(missing.code).toBe('DATA_FILE_UNREADABLE');
    expect(missing.message).toBe(
      'Không đọc được tệp /no/such/reorganisation.json: tệp không tồn tại (file not found).',
    );
  });

  it('the Lào Cai fixtures are exact parts of the bundled files', () => {
    const old = read(join(root, BUNDLED_HISTORY_FILE));
    expect(read(OLD_LAO_CAI_UNITS)).toEqual(
      old.filter((p: { Code: string }) => ['10', '15'].includes(p.Code)),
    );
    const merges = read(join(root, BUNDLED_SUCCESSIONS_FILE));
    expect(read(LAO_CAI_REORGANISATION)).toEqual({
      data: merges.data.filter((p: { level1_id: string }) => p.level1_id === '15'),
    });
  });
});
