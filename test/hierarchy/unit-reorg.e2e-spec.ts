import { startTestApp, TestApp } from '../support/test-app';

type Unit = { code: string; fullName: string; parentCode: string | null };

describe('reorganising units with history', () => {
  let t: TestApp;
  const codes = async (parent: string, asOf: string): Promise<string[]> => {
    const res = await t.http.get(`/api/v1/units?parent=${parent}&asOf=${asOf}&limit=500`);
    expect(res.status).toBe(200);
    return res.body.items.map((u: Unit) => u.code);
  };
  const find = async (q: string): Promise<Unit> =>
    (await t.http.get(`/api/v1/units/search?q=${encodeURIComponent(q)}&within=19`)).body.items[0];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('merges communes into a new one; the tree reads right on both sides of the effective date', async () => {
    const a = await find('Xã Đồng Hỷ');
    const b = await find('Xã Văn Hán');
    const before = await codes('19', '2026-09-30');
    expect(before).toEqual(expect.arrayContaining([a.code, b.code]));

    const merged = await t.http.post('/api/v1/units/merge', {
      sources: [a.code, b.code],
      into: { code: a.code, name: 'Đồng Hỷ Văn Hán', fullName: 'Xã Đồng Hỷ Văn Hán', type: 'Xã' },
      effectiveDate: '2026-10-01',
    });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({
      code: a.code,
      fullName: 'Xã Đồng Hỷ Văn Hán',
      validFrom: '2026-10-01',
      parentCode: '19',
    });
    expect(merged.body.predecessors.map((p: { fullName: string }) => p.fullName).sort()).toEqual([
      'Xã Văn Hán',
      'Xã Đồng Hỷ',
    ]);

    // The day before: both old communes, not the new one; from the date: the new one only.
    expect(await codes('19', '2026-09-30')).toEqual(before);
    const after = await codes('19', '2026-10-01');
    expect(after).toHaveLength(before.length - 1);
    expect(after).not.toContain(b.code);
    expect((await t.http.get(`/api/v1/units/${a.code}?asOf=2026-09-30`)).body.fullName).toBe('Xã Đồng Hỷ');
    expect((await t.http.get(`/api/v1/units/${a.code}?asOf=2026-10-01`)).body.fullName).toBe(
      'Xã Đồng Hỷ Văn Hán',
    );

    // An ended unit is still found by its code, and points to its successor.
    const old = await t.http.get(`/api/v1/units/${b.code}`);
    expect(old.body).toMatchObject({ fullName: 'Xã Văn Hán', validTo: '2026-10-01' });
    expect(old.body.successors).toEqual([
      { code: a.code, fullName: 'Xã Đồng Hỷ Văn Hán', kind: 'merge', effectiveDate: '2026-10-01' },
    ]);
    expect((await t.http.get(`/api/v1/units/${b.code}?asOf=2026-10-01`)).status).toBe(404);

    // Search follows the date too.
    const now = await t.http.get('/api/v1/units/search?q=van%20han&within=19');
    expect(now.body.items.map((u: Unit) => u.fullName)).toEqual(['Xã Đồng Hỷ Văn Hán']);
    const then = await t.http.get('/api/v1/units/search?q=van%20han&asOf=2026-09-01');
    expect(then.body.items.map((u: Unit) => u.fullName)).toEqual(['Xã Văn Hán']);
    const oldName = await t.http.get('/api/v1/units/search?q=dong%20hy&asOf=2026-09-01&level=commune');
    expect(oldName.body.items[0].fullName).toBe('Xã Đồng Hỷ');
  });

  it('merges a province into another: its communes move, and the old map stays readable', async () => {
    const bacNinh = (await t.http.get('/api/v1/units/24')).body;
    const langSon = (await t.http.get('/api/v1/units/20')).body;
    const res = await t.http.post('/api/v1/units/merge', {
      sources: ['20'],
      into: { code: '24' },
      effectiveDate: '2026-11-01',
    });
    expect(res.status).toBe(200);
    expect(res.body.childCount).toBe(bacNinh.childCount + langSon.childCount);
    expect(await codes('20', '2026-10-31')).toHaveLength(langSon.childCount);
    const moved = (await t.http.get(`/api/v1/units?parent=20&asOf=2026-10-31&limit=1`)).body.items[0].code;
    const now = await t.http.get(`/api/v1/units/${moved}`);
    expect(now.body.ancestors.map((u: Unit) => u.code)).toEqual(['24']);
    const then = await t.http.get(`/api/v1/units/${moved}?asOf=2026-10-31`);
    expect(then.body.ancestors.map((u: Unit) => u.code)).toEqual(['20']);
    expect((await t.http.get('/api/v1/units?limit=100')).body.total).toBe(33);
    expect((await t.http.get('/api/v1/units?limit=100&asOf=2026-10-31')).body.total).toBe(34);
  });

  it('renames from a date, keeping the old name before it', async () => {
    const unit = await find('Phường Phổ Yên');
    const res = await t.http.post(`/api/v1/units/${unit.code}/rename`, {
      name: 'Phổ Yên Mới',
      fullName: 'Phường Phổ Yên Mới',
      effectiveDate: '2026-08-15',
    });
    expect(res.status).toBe(200);
    expect(res.body.fullName).toBe('Phường Phổ Yên Mới');
    expect((await t.http.get(`/api/v1/units/${unit.code}?asOf=2026-08-14`)).body.fullName).toBe(
      'Phường Phổ Yên',
    );
    expect((await t.http.get(`/api/v1/units/${unit.code}`)).body.fullName).toBe('Phường Phổ Yên Mới');
    // A change dated before the last one would rewrite history: refused.
    const earlier = await t.http.post(`/api/v1/units/${unit.code}/rename`, {
      name: 'X',
      fullName: 'Phường X',
      effectiveDate: '2026-08-01',
    });
    expect(earlier.status).toBe(409);
    expect(earlier.body.code).toBe('EFFECTIVE_DATE_INVALID');
  });

  it('re-parents a commune to another province from a date', async () => {
    const unit = await find('Xã Tân Cương');
    const res = await t.http.post(`/api/v1/units/${unit.code}/reparent`, {
      parentCode: '25',
      effectiveDate: '2026-09-01',
    });
    expect(res.status).toBe(200);
    expect(res.body.ancestors.map((u: Unit) => u.code)).toEqual(['25']);
    expect(await codes('19', '2026-08-31')).toContain(unit.code);
    expect(await codes('19', '2026-09-01')).not.toContain(unit.code);
    expect(await codes('25', '2026-09-01')).toContain(unit.code);
    const cycle = await t.http.post('/api/v1/units/19/reparent', {
      parentCode: '25',
      effectiveDate: '2026-09-02',
    });
    expect(cycle.status).toBe(409);
    expect(cycle.body.code).toBe('UNIT_LEVEL_MISMATCH');
  });

  it('splits a commune into two new ones', async () => {
    const unit = await find('Xã La Hiên');
    const res = await t.http.post(`/api/v1/units/${unit.code}/split`, {
      parts: [
        { code: '99901', name: 'La Hiên Bắc', fullName: 'Xã La Hiên Bắc', type: 'Xã' },
        { code: '99902', name: 'La Hiên Nam', fullName: 'Xã La Hiên Nam', type: 'Xã' },
      ],
      effectiveDate: '2026-07-01',
    });
    expect(res.status).toBe(200);
    expect(res.body.map((u: { predecessors: { code: string }[] }) => u.predecessors[0].code)).toEqual([
      unit.code,
      unit.code,
    ]);
    expect(await codes('19', '2026-06-30')).toContain(unit.code);
    const after = await codes('19', '2026-07-01');
    expect(after).toEqual(expect.arrayContaining(['99901', '99902']));
    expect(after).not.toContain(unit.code);
    const old = (await t.http.get(`/api/v1/units/${unit.code}`)).body;
    expect(old.successors.map((s: { code: string }) => s.code)).toEqual(['99901', '99902']);
  });

  it('refuses impossible reorganisations with clear errors', async () => {
    const unit = await find('Xã Vô Tranh');
    const other = await find('Xã Trại Cau');
    const cases: [unknown, string, number, string][] = [
      [
        { sources: ['99999'], into: { code: '19' }, effectiveDate: '2026-10-01' },
        'merge',
        404,
        'UNIT_NOT_FOUND',
      ],
      [
        { sources: [unit.code], into: { code: '19' }, effectiveDate: '2026-10-01' },
        'merge',
        409,
        'UNIT_LEVEL_MISMATCH',
      ],
      [
        {
          sources: [unit.code],
          into: { code: other.code, name: 'X', fullName: 'Xã X', type: 'Xã' },
          effectiveDate: '2026-10-01',
        },
        'merge',
        409,
        'UNIT_CODE_TAKEN',
      ],
      [
        { sources: [unit.code], into: { code: other.code }, effectiveDate: '2025-07-01' },
        'merge',
        409,
        'EFFECTIVE_DATE_INVALID',
      ],
      [
        { sources: [unit.code], into: { code: other.code }, effectiveDate: '2024-01-01' },
        'merge',
        404,
        'UNIT_NOT_FOUND',
      ],
      [
        { sources: [unit.code], into: { code: other.code, fullName: 'Xã X' }, effectiveDate: '2026-10-01' },
        'merge',
        400,
        'VALIDATION_FAILED',
      ],
      [
        { sources: [], into: { code: other.code }, effectiveDate: '2026-10-01' },
        'merge',
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [body, path, status, code] of cases) {
      const res = await t.http.post(`/api/v1/units/${path}`, body);
      expect([res.status, res.body.code]).toEqual([status, code]);
    }
    const split = await t.http.post('/api/v1/units/19/split', {
      parts: [
        { code: '88', name: 'A', fullName: 'Tỉnh A', type: 'Tỉnh' },
        { code: '89', name: 'B', fullName: 'Tỉnh B', type: 'Tỉnh' },
      ],
      effectiveDate: '2026-10-01',
    });
    expect([split.status, split.body.code]).toEqual([409, 'UNIT_HAS_CHILDREN']);
    // Nothing above changed the map.
    expect((await t.http.get(`/api/v1/units/${unit.code}`)).body.validTo).toBeNull();
  });
});
