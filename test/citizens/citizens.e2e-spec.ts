import { FixedClock } from '../../libs/platform/src';
import { createClass, createProgram, createTrainer } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { Browser, startTestProvider, TestProvider } from '../support/oidc-provider';
import { freePort, startTestApp, TestApp } from '../support/test-app';

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();

/**
 * The citizens' API: classes found by commune without accents (no personal data), registration with the
 * check-in page's identity rules, and a citizen signed in with VNeID (a real OpenID provider on loopback)
 * seeing their own classes, attendance and certificates — and nobody else's.
 */
describe("citizens' page API", () => {
  const clock = new FixedClock(new Date('2026-11-19T10:00:00+07:00'));
  let t: TestApp;
  let idp: TestProvider;
  let commune: { code: string; fullName: string };
  let classId: string;
  let sessions: { id: string }[];
  const elder = { fullName: 'Trần Văn Lão', birthYear: 1958, phone: '0912 345 678', cccd: '019058001234' };

  async function signIn(nationalId: string, name: string): Promise<Browser> {
    const browser = new Browser();
    idp.nextLogin = { sub: `citizen-${nationalId}`, acr: 'loa2', name, national_id: nationalId };
    const start = await browser.request(`${t.baseUrl}/api/v1/auth/oidc/vneid/start?purpose=citizen`);
    const callback = await browser.follow(start.location!, t.baseUrl);
    const done = await browser.request(callback);
    expect(done.location).toBe(`${t.baseUrl}/hoc-vien`);
    return browser;
  }
  const me = async (browser: Browser) => {
    const res = await browser.request(`${t.baseUrl}/api/v1/citizen/me`);
    return { status: res.status, body: JSON.parse(res.text) };
  };

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    idp = await startTestProvider(`${base}/api/v1/auth/oidc/vneid/callback`, `${base}/hoc-vien`);
    t = await startTestApp({ clock, port, env: { PUBLIC_URL: base, ...idp.env() } });
    const code = (await communesOf(t, '19'))[3];
    commune = (await t.http.get(`/api/v1/units/${code}`)).body;
    const program = await createProgram(t.http);
    const trainer = await createTrainer(t.http, program.id, code);
    const c = await createClass(t.http, program.id, trainer.id, code, { capacity: 25 });
    classId = c.id;
    sessions = c.sessions;
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('finds the upcoming classes of a commune typed without accents, with venue and seats, and no one’s name', async () => {
    const q = fold(commune.fullName).replace(/^(xa|phuong|dac khu) /, '');
    const res = await t.anonymous.get(`/api/v1/public/classes?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([classId]);
    const found = res.body.items[0];
    expect(found).toMatchObject({
      commune: commune.fullName,
      province: 'Tỉnh Thái Nguyên',
      venueType: 'cultural_house',
      venueAddress: 'Nhà văn hóa xóm Làng Mới',
      seatsLeft: 25,
      level: 1,
    });
    expect(found.sessions).toHaveLength(3);
    expect(Object.keys(found).sort()).toEqual(
      [
        'commune',
        'id',
        'level',
        'mode',
        'programName',
        'province',
        'seatsLeft',
        'sessions',
        'title',
        'venueAddress',
        'venueType',
      ].sort(),
    );
    // Another commune's name finds nothing here; a class that is over is not offered.
    const other = await t.anonymous.get('/api/v1/public/classes?q=ba%20dinh');
    expect(other.body.items.map((c: { id: string }) => c.id)).not.toContain(classId);
  });

  it('registers once: phone and birth year find the same person again, whatever the name typed', async () => {
    const first = await t.anonymous.post(`/api/v1/public/classes/${classId}/registrations`, elder);
    expect([first.status, first.body.status]).toEqual([201, 'registered']);
    const again = await t.anonymous.post(`/api/v1/public/classes/${classId}/registrations`, {
      ...elder,
      fullName: 'Tran Van Lao',
      cccd: undefined,
    });
    expect([again.status, again.body.status, again.body.fullName]).toEqual([
      201,
      'already_registered',
      elder.fullName,
    ]);
    const seats = await t.anonymous.get(
      `/api/v1/public/classes?q=${encodeURIComponent(fold(commune.fullName))}`,
    );
    expect(seats.body.items[0].seatsLeft).toBe(24);
    const bad = await t.anonymous.post(`/api/v1/public/classes/${classId}/registrations`, {
      fullName: 'A',
      birthYear: 1958,
      phone: 'abc',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['fullName', 'phone']);
    const wrongYear = await t.anonymous.post(`/api/v1/public/classes/${classId}/registrations`, {
      ...elder,
      birthYear: 1960,
    });
    expect([wrongYear.status, wrongYear.body.code]).toEqual([409, 'IDENTITY_MISMATCH']);
  });

  it('a citizen signed in with VNeID sees their classes, attendance and certificate; another sees none of it', async () => {
    const anonymous = await t.anonymous.get('/api/v1/citizen/me');
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'CITIZEN_SIGN_IN_REQUIRED']);
    // The class takes place: two sessions attended, the certificate issued.
    clock.set(new Date('2026-11-25T10:00:00+07:00'));
    await t.reauthenticate();
    const enrolled = (await t.http.get(`/api/v1/classes/${classId}/enrolments`)).body as {
      person: { id: string };
    }[];
    for (const s of sessions.slice(0, 2)) {
      const marked = await t.http.put(`/api/v1/classes/${classId}/sessions/${s.id}/attendance`, {
        marks: enrolled.map(({ person }) => ({ personId: person.id, status: 'present' })),
      });
      expect(marked.status).toBe(200);
    }
    expect((await t.http.post(`/api/v1/classes/${classId}/certificates`, {})).status).toBe(201);

    const browser = await signIn(elder.cccd, elder.fullName);
    const mine = await me(browser);
    expect(mine.status).toBe(200);
    expect(mine.body.found).toBe(true);
    expect(mine.body.classes).toHaveLength(1);
    expect(mine.body.classes[0]).toMatchObject({ id: classId, completed: true });
    expect(mine.body.classes[0].sessions.map((s: { status: string | null }) => s.status)).toEqual([
      'present',
      'present',
      null,
    ]);
    expect(mine.body.certificates).toHaveLength(1);
    const certificate = mine.body.certificates[0];
    expect(certificate).toMatchObject({ status: 'valid', level: 1 });
    const pdf = await browser.request(`${t.baseUrl}${certificate.pdfUrl}`);
    expect(pdf.status).toBe(200);
    expect(pdf.text.startsWith('%PDF')).toBe(true);
    expect((await browser.request(`${t.baseUrl}${certificate.credentialUrl}`)).status).toBe(200);

    // Someone else, signed in with their own CCCD, sees nothing of it and cannot fetch it.
    const stranger = await signIn('001199009999', 'Người Khác');
    const theirs = await me(stranger);
    expect(theirs.body).toEqual({ name: 'Người Khác', found: false, classes: [], certificates: [] });
    expect((await stranger.request(`${t.baseUrl}${certificate.pdfUrl}`)).status).toBe(404);

    // Signing out forgets the identity and hands back VNeID's end-session address.
    const out = await browser.request(`${t.baseUrl}/api/v1/citizen/session`, { method: 'DELETE' });
    expect(out.status).toBe(200);
    expect(JSON.parse(out.text).endSessionUrl).toMatch(new RegExp(`^${idp.issuer}/session/end\\?`));
    expect((await me(browser)).status).toBe(401);
  });

  it('registers a signed-in citizen under their CCCD', async () => {
    const browser = await signIn('001199009999', 'Người Khác');
    clock.set(new Date('2026-11-19T10:00:00+07:00'));
    const res = await browser.request(`${t.baseUrl}/api/v1/citizen/classes/${classId}/registrations`, {
      method: 'POST',
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text)).toMatchObject({ status: 'registered', fullName: 'Người Khác' });
    const person: { birth_year: number; gender: string }[] = await t.dataSource.query(
      `SELECT birth_year, gender FROM person WHERE cccd = '001199009999'`,
    );
    expect(person).toEqual([{ birth_year: 1999, gender: 'female' }]);
  });
});
