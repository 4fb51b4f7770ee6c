import { cccdFor, createPerson } from '../support/campaign';
import { communesOf, createUser, TestUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('people: validation, duplicates, masking', () => {
  let t: TestApp;
  let communes: string[];
  let viewer: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    communes = await communesOf(t, '19');
    viewer = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
  });
  afterAll(() => t.close());

  const person = (overrides: Record<string, unknown> = {}) => ({
    fullName: 'Nguyễn Thị Ánh Tuyết',
    birthDate: '1992-04-15',
    gender: 'female',
    communeCode: communes[0],
    segment: 'women',
    ...overrides,
  });

  it('stores a learner with NFC name, normalised phone and the commune’s province', async () => {
    const decomposed = 'Nguyê\u0303n Thi\u0323 Ánh Tuyê\u0301t';
    const res = await t.http.post(
      '/api/v1/people',
      person({ fullName: decomposed, phone: '0912 345 678', cccd: cccdFor('female', 1992) }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      fullName: 'Nguyễn Thị Ánh Tuyết',
      birthYear: 1992,
      birthDate: '1992-04-15',
      phone: '+84912345678',
      province: { code: '19', fullName: 'Tỉnh Thái Nguyên' },
      personalData: true,
      possibleDuplicates: [],
    });
    const found = await t.http.get('/api/v1/people?q=' + encodeURIComponent('nguyen thi anh tuyet'));
    expect(found.body.items.map((p: { id: string }) => p.id)).toContain(res.body.id);
  });

  it.each([
    [{ cccd: '01919200123' }, 'cccd', '12 chữ số'],
    [{ cccd: '003192001234' }, 'cccd', 'mã tỉnh'],
    [{ cccd: '019092001234' }, 'cccd', 'giới tính nam'],
    [{ cccd: '019193001234' }, 'cccd', 'năm sinh 1993'],
    [{ phone: '0123 456' }, 'phone', 'điện thoại'],
    [{ phone: '+1 415 555 0100' }, 'phone', 'điện thoại'],
    [{ communeCode: '19' }, 'communeCode', '5 chữ số'],
    [{ communeCode: '99999' }, 'communeCode', 'hiện hành'],
    [{ segment: 'astronauts' }, 'segment', 'farmer'],
    [{ birthDate: undefined, birthYear: undefined }, 'birthYear', 'năm sinh'],
    [{ birthYear: 1990 }, 'birthYear', 'không khớp'],
    [{ birthDate: '2999-01-01', birthYear: undefined }, 'birthDate', 'tương lai'],
  ])('rejects %j on %s', async (overrides, field, reason) => {
    const res = await t.http.post('/api/v1/people', person(overrides));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, reason: expect.stringContaining(reason) })]),
    );
  });

  it('refuses a second record with the same CCCD, pointing to the existing one', async () => {
    const cccd = cccdFor('male', 1985);
    const first = await createPerson(t.http, communes[1], {
      fullName: 'Hoàng Văn Thưởng',
      birthYear: 1985,
      cccd,
    });
    const again = await t.http.post('/api/v1/people', {
      fullName: 'Hoang Van Thuong',
      birthYear: 1985,
      gender: 'male',
      communeCode: communes[2],
      segment: 'farmer',
      cccd,
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'PERSON_CCCD_EXISTS', existingPersonId: first.id });
  });

  it('flags each likely-duplicate rule into the review queue', async () => {
    const base = await createPerson(t.http, communes[3], {
      fullName: 'Lò Thị Ỷ',
      birthYear: 1970,
      gender: 'female',
      phone: '0987 654 321',
    });
    const sameName = await createPerson(t.http, communes[3], {
      fullName: 'LO THI Y',
      birthYear: 1970,
      gender: 'female',
    });
    const samePhone = await createPerson(t.http, communes[4], {
      fullName: 'Ma Văn Khánh',
      birthYear: 1960,
      phone: '+84987654321',
    });
    const swapped = await createPerson(t.http, communes[5], {
      fullName: 'Ỷ Thị Lò',
      birthYear: 1970,
      gender: 'female',
    });
    const elsewhere = await createPerson(t.http, communes[6], {
      fullName: 'Lò Thị Ỷ',
      birthYear: 1970,
      gender: 'female',
    });

    expect(sameName.body.possibleDuplicates).toEqual([{ personId: base.id, reason: 'same_name' }]);
    expect(samePhone.body.possibleDuplicates).toEqual([{ personId: base.id, reason: 'same_phone' }]);
    expect(swapped.body.possibleDuplicates).toEqual(
      expect.arrayContaining([
        { personId: base.id, reason: 'swapped_name' },
        { personId: sameName.id, reason: 'swapped_name' },
      ]),
    );
    // Same name and year in another commune is a different person as far as the rule goes.
    expect(
      elsewhere.body.possibleDuplicates.filter((d: { reason: string }) => d.reason === 'same_name'),
    ).toEqual([]);

    const queue = await t.http.get('/api/v1/people/duplicates?limit=500');
    const pairs = queue.body.items.map((d: { reason: string; people: { id: string }[] }) => [
      d.reason,
      d.people.map((p) => p.id).sort(),
    ]);
    expect(pairs).toEqual(
      expect.arrayContaining([
        ['same_name', [base.id, sameName.id].sort()],
        ['same_phone', [base.id, samePhone.id].sort()],
        ['swapped_name', [base.id, swapped.id].sort()],
      ]),
    );
    const entry = queue.body.items.find(
      (d: { reason: string; people: { id: string }[] }) =>
        d.reason === 'same_phone' && d.people.some((p) => p.id === samePhone.id),
    );
    expect((await t.http.post(`/api/v1/people/duplicates/${entry.id}/dismiss`)).status).toBe(204);
    const after = await t.http.get('/api/v1/people/duplicates?status=dismissed');
    expect(after.body.items.map((d: { id: string }) => d.id)).toContain(entry.id);
  });

  it('masks CCCD, phone and birth date for roles that do not need them', async () => {
    const cccd = cccdFor('female', 1992);
    const created = await createPerson(t.http, communes[7], {
      fullName: 'Đặng Thu Hà',
      birthDate: '1992-02-02',
      birthYear: undefined,
      gender: 'female',
      cccd,
      phone: '0912 000 111',
    });
    const full = await t.http.get(`/api/v1/people/${created.id}`);
    expect(full.body).toMatchObject({
      cccd,
      phone: '+84912000111',
      birthDate: '1992-02-02',
      personalData: true,
    });
    const masked = await viewer.http.get(`/api/v1/people/${created.id}`);
    expect(masked.body).toMatchObject({
      cccd: `${cccd.slice(0, 3)}******${cccd.slice(-3)}`,
      phone: '+8491****111',
      birthDate: null,
      birthYear: 1992,
      personalData: false,
    });
    const list = await viewer.http.get('/api/v1/people?q=' + encodeURIComponent('đặng thu hà'));
    expect(list.text).not.toContain(cccd);
    expect(list.text).not.toContain('+84912000111');
    expect(list.body.items[0].personalData).toBe(false);
  });

  it('lists people in Vietnamese order of given names', async () => {
    const names = ['Trần Văn Bình', 'Lê Thị Ánh', 'Phạm Đức An', 'Vũ Thị Anh', 'Bùi Văn Đức', 'Đỗ Văn Dũng'];
    for (const fullName of names) await createPerson(t.http, communes[8], { fullName });
    const res = await t.http.get(`/api/v1/people?unit=${communes[8]}&limit=50`);
    expect(res.body.items.map((p: { fullName: string }) => p.fullName)).toEqual([
      'Phạm Đức An',
      'Vũ Thị Anh',
      'Lê Thị Ánh',
      'Trần Văn Bình',
      'Đỗ Văn Dũng',
      'Bùi Văn Đức',
    ]);
  });

  it('counts a search only up to 1,000 ("more than"), pages on beyond it, and counts a short list exactly', async () => {
    const [unit] = await t.dataSource.query(
      `SELECT id FROM admin_unit WHERE code = $1 AND valid_to IS NULL`,
      [communes[9]],
    );
    // 1,003 people of one name (written directly: the list's count is what is under test).
    await t.dataSource.query(
      `INSERT INTO person (full_name, name_key, swapped_name_key, sort_key, birth_year, gender, commune_id, segment)
       SELECT 'Khổng Thị Đếm ' || n, 'khong thi dem ' || n, 'dem ' || n || ' khong thi', 'dem ' || lpad(n::text, 4, '0'),
              1990, 'female', $1, 'farmer'
         FROM generate_series(1, 1003) n`,
      [unit.id],
    );
    const first = await t.http.get(`/api/v1/people?q=${encodeURIComponent('khổng thị đếm')}&limit=50`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 1000, totalCapped: true, limit: 50, offset: 0 });
    expect(first.body.items.map((p: { fullName: string }) => p.fullName).slice(0, 2)).toEqual([
      'Khổng Thị Đếm 1',
      'Khổng Thị Đếm 2',
    ]);
    // Deeper pages count up to their own end: more than 1,050 here, then the exact end.
    const deeper = await t.http.get(`/api/v1/people?q=khong%20thi%20dem&limit=50&offset=1000`);
    expect(deeper.body).toMatchObject({ total: 1003, offset: 1000 });
    expect(deeper.body.totalCapped).toBeUndefined();
    expect(deeper.body.items).toHaveLength(3);
    const middle = await t.http.get(`/api/v1/people?q=khong%20thi%20dem&limit=500&offset=500`);
    expect(middle.body).toMatchObject({ total: 1000, totalCapped: true });
    expect(middle.body.items).toHaveLength(500);
    const few = await t.http.get(`/api/v1/people?q=khong%20thi%20dem%20100&limit=50`);
    expect(few.body.total).toBe(5); // 100 and 1000–1003
    expect(few.body.totalCapped).toBeUndefined();
    // The viewer of another province sees none of them: the scope is part of the count.
    const other = await createUser(t, [{ role: 'viewer', unitCode: '01' }]);
    const outside = await other.http.get(`/api/v1/people?q=khong%20thi%20dem&limit=50`);
    expect(outside.body).toMatchObject({ total: 0, items: [] });
  });
});
