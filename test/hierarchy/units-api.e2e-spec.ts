import { startTestApp, TestApp } from '../support/test-app';

type Unit = { code: string; fullName: string; name: string; parentCode: string | null; childCount: number };

describe('administrative units API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lists the 34 provinces in Vietnamese alphabetical order', async () => {
    const res = await t.http.get('/api/v1/units?limit=100');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(34);
    const names: string[] = res.body.items.map((u: Unit) => u.name);
    expect(names).toHaveLength(34);
    const at = (name: string) => names.indexOf(name);
    // Đ sorts after D, not after Z; "Hà …" before "Hải …"; tones after the base letter.
    expect(at('Cần Thơ')).toBeLessThan(at('Đà Nẵng'));
    expect(at('Đà Nẵng')).toBeLessThan(at('Điện Biên'));
    expect(at('Điện Biên')).toBeLessThan(at('Gia Lai'));
    expect(at('Hà Nội')).toBeLessThan(at('Hà Tĩnh'));
    expect(at('Hà Tĩnh')).toBeLessThan(at('Hải Phòng'));
    expect(names[names.length - 1]).toBe('Vĩnh Long');
  });

  it('lists the communes of Thái Nguyên (code 19)', async () => {
    const res = await t.http.get('/api/v1/units?parent=19&limit=500');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(92);
    expect(res.body.items).toHaveLength(92);
    expect(res.body.items.every((u: Unit) => u.parentCode === '19' && u.childCount === 0)).toBe(true);
    expect(res.body.items.map((u: Unit) => u.fullName)).toContain('Xã Đồng Hỷ');
  });

  it('pages every list the same way and rejects out-of-range paging with a 400', async () => {
    const last = await t.http.get('/api/v1/units?parent=19&limit=10&offset=90');
    expect(last.body).toMatchObject({ total: 92, limit: 10, offset: 90 });
    expect(last.body.items).toHaveLength(2);
    const past = await t.http.get('/api/v1/units?parent=19&offset=500');
    expect(past.body).toMatchObject({ items: [], total: 92 });
    const first = await t.http.get('/api/v1/units?parent=19&limit=50');
    const second = await t.http.get('/api/v1/units?parent=19&limit=50&offset=50');
    const codes = [...first.body.items, ...second.body.items].map((u: Unit) => u.code);
    expect(new Set(codes).size).toBe(92);

    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['offset=-1', 'offset'],
      ['parent=xyz', 'parent'],
      ['asOf=2026-02-30', 'asOf'],
    ]) {
      const res = await t.http.get(`/api/v1/units?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([expect.objectContaining({ field, reason: expect.any(String) })]);
    }
    const unknown = await t.http.get('/api/v1/units?colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'colour', rule: 'whitelistValidation' });
  });

  it('returns one unit with its ancestors and child count', async () => {
    const province = await t.http.get('/api/v1/units/19');
    expect(province.status).toBe(200);
    expect(province.body).toMatchObject({
      code: '19',
      level: 'province',
      type: 'Tỉnh',
      fullName: 'Tỉnh Thái Nguyên',
      ancestors: [],
      childCount: 92,
      validFrom: '2025-07-01',
      validTo: null,
    });
    const search = await t.http.get('/api/v1/units/search?q=dong%20hy');
    const code = search.body.items[0].code;
    const commune = await t.http.get(`/api/v1/units/${code}`);
    expect(commune.body).toMatchObject({ fullName: 'Xã Đồng Hỷ', childCount: 0 });
    expect(commune.body.ancestors).toEqual([
      expect.objectContaining({ code: '19', fullName: 'Tỉnh Thái Nguyên' }),
    ]);
  });

  it('answers an unknown code with 404 and a malformed one with 400, as problem+json', async () => {
    const missing = await t.http.get('/api/v1/units/99');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ status: 404, code: 'UNIT_NOT_FOUND', unitCode: '99' });
    expect(missing.body.detail).toContain('99');
    const bad = await t.http.get('/api/v1/units/ha-noi');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('code');
  });

  it.each([
    ['dong hy', 'Xã Đồng Hỷ'],
    ['thai nguyen', 'Tỉnh Thái Nguyên'],
    ['ĐỒNG HỶ', 'Xã Đồng Hỷ'],
    ['Đồng Hỷ', 'Xã Đồng Hỷ'],
    ['phu quoc', 'Đặc khu Phú Quốc'],
    ['ha noi', 'Thành phố Hà Nội'],
  ])('search "%s" finds %s first', async (q, fullName) => {
    const res = await t.http.get(`/api/v1/units/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    expect(res.body.items[0].fullName).toBe(fullName);
  });

  it('search narrows by level and by subtree', async () => {
    const all = await t.http.get('/api/v1/units/search?q=tan&level=commune&limit=500');
    const inThaiNguyen = await t.http.get('/api/v1/units/search?q=tan&level=commune&within=19&limit=500');
    expect(inThaiNguyen.body.total).toBeGreaterThan(0);
    expect(inThaiNguyen.body.total).toBeLessThan(all.body.total);
    expect(inThaiNguyen.body.items.every((u: Unit) => u.parentCode === '19')).toBe(true);
    const provinces = await t.http.get('/api/v1/units/search?q=thai&level=province');
    expect(provinces.body.items.map((u: Unit) => u.fullName)).toEqual(['Tỉnh Thái Nguyên']);
    const empty = await t.http.get('/api/v1/units/search?q=');
    expect(empty.status).toBe(400);
  });
});
