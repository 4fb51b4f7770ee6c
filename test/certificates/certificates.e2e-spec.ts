import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { FixedClock } from '../../libs/platform/src';
import { chromiumAvailable, launchChromium } from '../support/browser';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { decodeQr, pdfPages, pdfText, pdfToPng, toolAvailable } from '../support/tools';

const artifacts = join(__dirname, '../../dist/test-artifacts');

describe('certificates', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let communes: string[];
  let program: { id: string; code: string };
  let lead: string;

  const download = async (path: string, method = 'GET') => {
    const res = await fetch(t.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${t.http.token}` },
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: Buffer.from(await res.arrayBuffer()),
    };
  };

  /** A class whose learners (with these names) all completed it. */
  async function completedClass(names: string[], programId = program.id, trainer = lead) {
    const c = await createClass(t.http, programId, trainer, communes[0]);
    const people: string[] = [];
    for (const fullName of names) {
      const p = await createPerson(t.http, communes[0], {
        fullName,
        gender: /Thị/.test(fullName) ? 'female' : 'male',
      });
      await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: p.id });
      people.push(p.id);
    }
    for (const s of c.sessions.slice(0, 2)) {
      await t.http.put(`/api/v1/classes/${c.id}/sessions/${s.id}/attendance`, {
        marks: people.map((personId) => ({ personId, status: 'present' })),
      });
    }
    return { ...c, people };
  }

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: {
        CERTIFICATE_SYNC_LIMIT: '3',
        RUN_JOBS: 'true',
        JOBS_POLL_MS: '100',
        VERIFY_RATE_LIMIT: '8',
        PUBLIC_URL: 'https://lantoa.thainguyen.gov.vn',
      },
    });
    communes = await communesOf(t, '19');
    program = await createProgram(t.http, {
      code: 'TN',
      certificate: {
        issuer: 'Ban Chỉ đạo Bình dân học AI tỉnh Thái Nguyên',
        signerTitle: 'Trưởng Ban Chỉ đạo',
        place: 'Thái Nguyên',
      },
    });
    lead = (await createTrainer(t.http, program.id, communes[0])).id;
  });
  afterAll(() => t.close());

  it('issues one certificate per person and level, with serials and unguessable codes', async () => {
    const c = await completedClass(['Nguyễn Thị Ánh Tuyết', 'Hoàng Văn Thưởng', 'Lò Thị Ỷ']);
    const res = await t.http.post(`/api/v1/classes/${c.id}/certificates`, {});
    expect(res.status).toBe(201);
    expect(res.body.map((k: { serial: string }) => k.serial).sort()).toEqual([
      'TN-2026-000001',
      'TN-2026-000002',
      'TN-2026-000003',
    ]);
    for (const k of res.body) {
      expect(k.status).toBe('valid');
      const code = k.verifyUrl.split('/verify/')[1];
      expect(code).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(Buffer.from(code, 'base64url')).toHaveLength(24);
      expect(k.verifyUrl.startsWith('https://lantoa.thainguyen.gov.vn/verify/')).toBe(true);
    }
    expect((await t.http.post(`/api/v1/classes/${c.id}/certificates`, {})).body).toEqual([]);
  });

  it('keeps serials unique and gapless when many are issued at once', async () => {
    const classes = [];
    for (let i = 0; i < 6; i++)
      classes.push(
        await completedClass([`Trần Văn A${i}`, `Trần Văn B${i}`, `Trần Văn C${i}`, `Trần Văn D${i}`]),
      );
    const results = await Promise.all(
      classes.map((c) => t.http.post(`/api/v1/classes/${c.id}/certificates`, {})),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    const numbers = results.flatMap((r) => r.body.map((k: { serial: string }) => Number(k.serial.slice(-6))));
    expect(numbers).toHaveLength(24);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 4));
  });

  it('issues automatically on completion in auto mode, and revokes when a correction undoes it', async () => {
    const auto = await createProgram(t.http, { certificate: { issueMode: 'auto' } });
    const autoLead = (await createTrainer(t.http, auto.id, communes[1])).id;
    const c = await completedClass(['Ma Thị Nhung'], auto.id, autoLead);
    const [k] = (await t.http.get(`/api/v1/certificates?classId=${c.id}`)).body.items;
    expect(k).toMatchObject({ status: 'valid', serial: `${auto.code}-2026-000001` });
    await t.http.put(`/api/v1/classes/${c.id}/sessions/${c.sessions[1].id}/attendance`, {
      marks: [{ personId: c.people[0], status: 'absent' }],
    });
    const after = (await t.http.get(`/api/v1/certificates/${k.id}`)).body;
    expect(after.status).toBe('revoked');
    expect(after.revokedReason).toContain('điểm danh được điều chỉnh');
  });

  it('keeps a certificate that another completed class of the same level still justifies', async () => {
    const auto = await createProgram(t.http, { certificate: { issueMode: 'auto' } });
    const autoLead = (await createTrainer(t.http, auto.id, communes[1])).id;
    const first = await completedClass(['Hà Thị Mai'], auto.id, autoLead);
    const person = first.people[0];
    const second = await createClass(t.http, auto.id, autoLead, communes[0]);
    await t.http.post(`/api/v1/classes/${second.id}/enrolments`, { personId: person });
    for (const s of second.sessions.slice(0, 2)) {
      await t.http.put(`/api/v1/classes/${second.id}/sessions/${s.id}/attendance`, {
        marks: [{ personId: person, status: 'present' }],
      });
    }
    const [k] = (await t.http.get(`/api/v1/certificates?classId=${first.id}`)).body.items;
    expect(k.status).toBe('valid');
    // The first class's completion is undone: the second class still justifies the certificate.
    await t.http.put(`/api/v1/classes/${first.id}/sessions/${first.sessions[1].id}/attendance`, {
      marks: [{ personId: person, status: 'absent' }],
    });
    const kept = (await t.http.get(`/api/v1/certificates/${k.id}`)).body;
    expect([kept.status, kept.classId]).toEqual(['valid', second.id]);
    // Undoing the second one too leaves nothing to justify it.
    await t.http.put(`/api/v1/classes/${second.id}/sessions/${second.sessions[1].id}/attendance`, {
      marks: [{ personId: person, status: 'absent' }],
    });
    expect((await t.http.get(`/api/v1/certificates/${k.id}`)).body.status).toBe('revoked');
  });

  const pdfTools = toolAvailable('pdftotext', 'reading certificate PDFs', 'poppler-utils');
  (pdfTools ? it : it.skip)(
    'prints a Vietnamese certificate whose text layer keeps every diacritic',
    async () => {
      const [k] = (await t.http.get('/api/v1/certificates?serial=TN-2026-000001')).body.items;
      const file = await download(`/api/v1/certificates/${k.id}/pdf`);
      expect(file.type).toBe('application/pdf');
      expect(pdfPages(file.body)).toBe(1);
      const text = pdfText(file.body).replace(/\s+/g, ' ');
      for (const expected of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'BAN CHỈ ĐẠO BÌNH DÂN HỌC AI TỈNH THÁI NGUYÊN',
        'GIẤY CHỨNG NHẬN',
        k.learner.fullName,
        'Số hiệu: TN-2026-000001',
        'Quét mã để xác thực',
        'Thái Nguyên, ngày 25 tháng 11 năm 2026',
        'TRƯỞNG BAN CHỈ ĐẠO',
      ]) {
        expect(text).toContain(expected);
      }
      const all = await Promise.all(
        (await t.http.get('/api/v1/certificates?limit=500')).body.items
          .filter((x: { serial: string }) =>
            ['TN-2026-000001', 'TN-2026-000002', 'TN-2026-000003'].includes(x.serial),
          )
          .map(async (x: { id: string }) =>
            pdfText((await download(`/api/v1/certificates/${x.id}/pdf`)).body),
          ),
      );
      const names = all.join('\n');
      for (const name of ['Nguyễn Thị Ánh Tuyết', 'Hoàng Văn Thưởng', 'Lò Thị Ỷ'])
        expect(names).toContain(name);
      mkdirSync(artifacts, { recursive: true });
      pdfToPng(file.body, join(artifacts, 'certificate.png'));
      // The QR code on the paper leads to this certificate's verification page (read at print resolution).
      expect(decodeQr(pdfToPng(file.body, join(artifacts, 'certificate-200dpi.png'), 1, 200))).toBe(
        k.verifyUrl,
      );
    },
  );

  it('prints a whole class as one PDF; a large class becomes a job with progress and a stable file', async () => {
    const small = (await t.http.get('/api/v1/certificates?serial=TN-2026-000001')).body.items[0].classId;
    const direct = await download(`/api/v1/classes/${small}/certificates/pdf`, 'POST');
    expect(direct.status).toBe(200);
    if (pdfTools) expect(pdfPages(direct.body)).toBe(3);

    const big = await completedClass(['Đỗ Văn Một', 'Đỗ Văn Hai', 'Đỗ Văn Ba', 'Đỗ Văn Bốn', 'Đỗ Văn Năm']);
    await t.http.post(`/api/v1/classes/${big.id}/certificates`, {});
    const queued = await t.http.post(`/api/v1/classes/${big.id}/certificates/pdf`);
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ kind: 'certificates.class-batch', total: 5 });
    let job = queued.body;
    for (let i = 0; i < 100 && job.status !== 'succeeded' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await t.http.get(`/api/v1/jobs/${job.id}`)).body;
    }
    expect(job).toMatchObject({ status: 'succeeded', progress: 5, total: 5, result: { pages: 5 } });
    const first = await download(job.downloadUrl);
    const second = await download(job.downloadUrl);
    expect(first.type).toBe('application/pdf');
    expect(createHash('sha256').update(first.body).digest('hex')).toBe(
      createHash('sha256').update(second.body).digest('hex'),
    );
    if (pdfTools) expect(pdfPages(first.body)).toBe(5);
    // Someone else's job is not theirs to see.
    const stranger = await t.login(
      (
        await t.http.post('/api/v1/users', {
          login: 'nguoi.la@test.lantoa.vn',
          displayName: 'Người Lạ',
          password: 'Stranger-Pass-1',
          mustChangePassword: false,
          assignments: [{ role: 'steering', unitCode: '19' }],
        })
      ).body.login,
      'Stranger-Pass-1',
    );
    expect((await stranger.get(`/api/v1/jobs/${job.id}`)).status).toBe(404);
  });

  it('verifies publicly: valid, revoked with date and reason, reissued pointing to the replacement, unknown', async () => {
    const [k] = (await t.http.get('/api/v1/certificates?serial=TN-2026-000002')).body.items;
    const code = k.verifyUrl.split('/verify/')[1];
    const valid = await t.anonymous.get(`/api/v1/certificates/verify/${code}`);
    expect(valid.status).toBe(200);
    expect(Object.keys(valid.body).sort()).toEqual(
      [
        'birthYear',
        'commune',
        'issuedOn',
        'issuer',
        'learnerName',
        'level',
        'levelTitle',
        'programName',
        'province',
        'replacement',
        'revokedOn',
        'revokedReason',
        'serial',
        'status',
        'statusText',
      ].sort(),
    );
    expect(valid.body).toMatchObject({
      status: 'valid',
      serial: 'TN-2026-000002',
      learnerName: k.learner.fullName,
      issuedOn: '2026-11-25',
    });
    expect(valid.text).not.toMatch(/personId|cccd|phone|\+84/);

    const reissued = await t.http.post(`/api/v1/certificates/${k.id}/reissue`, {
      reason: 'Sửa họ tên theo CCCD',
    });
    expect(reissued.status).toBe(201);
    expect(reissued.body).toMatchObject({ status: 'valid', replacesId: k.id });
    expect(reissued.body.serial).not.toBe(k.serial);
    const old = await t.anonymous.get(`/api/v1/certificates/verify/${code}`);
    expect(old.body).toMatchObject({
      status: 'revoked',
      revokedOn: '2026-11-25',
      revokedReason: 'Cấp lại: Sửa họ tên theo CCCD',
      replacement: { serial: reissued.body.serial, verifyUrl: reissued.body.verifyUrl },
    });

    const target = (await t.http.get('/api/v1/certificates?serial=TN-2026-000003')).body.items[0];
    const revoked = await t.http.post(`/api/v1/certificates/${target.id}/revoke`, {
      reason: 'Cấp nhầm người',
    });
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedReason: 'Cấp nhầm người' });
    expect(
      (await t.http.post(`/api/v1/certificates/${target.id}/revoke`, { reason: 'Lần nữa' })).body.code,
    ).toBe('CERTIFICATE_REVOKED');
    const trail = await t.http.get(`/api/v1/audit?entityType=certificate&entityId=${target.id}`);
    expect(trail.body.items.map((e: { action: string }) => e.action)).toContain('certificate.revoked');

    const unknown = await t.anonymous.get('/api/v1/certificates/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'CERTIFICATE_NOT_FOUND']);
    const page = await fetch(`${t.baseUrl}/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Không tìm thấy giấy chứng nhận');
  });

  it('limits lookups per address', async () => {
    const headers = { 'x-forwarded-for': '10.20.30.40' };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push(
        (await t.anonymous.get('/api/v1/certificates/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { headers }))
          .status,
      );
    expect(statuses.slice(0, 7)).toEqual(Array(7).fill(404));
    expect(statuses.slice(-2)).toEqual([429, 429]);
    const limited = await t.anonymous.get('/api/v1/certificates/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', {
      headers,
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (
        await t.anonymous.get('/api/v1/certificates/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', {
          headers: { 'x-forwarded-for': '10.20.30.41' },
        })
      ).status,
    ).toBe(404);
  });

  const describeBrowser = chromiumAvailable('the verification page in a browser') ? describe : describe.skip;
  describeBrowser('the verification page in a real browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser?.close());

    it('shows a valid, a revoked and an unknown certificate clearly, on a phone screen', async () => {
      const items = (await t.http.get('/api/v1/certificates?limit=500')).body.items as {
        serial: string;
        status: string;
        verifyUrl: string;
      }[];
      const valid = items.find((k) => k.serial === 'TN-2026-000001')!;
      const revoked = items.find((k) => k.serial === 'TN-2026-000003')!;
      const page = await browser.newPage({
        viewport: { width: 360, height: 740 },
        extraHTTPHeaders: { 'x-forwarded-for': '10.50.0.1' },
      });
      const open = async (url: string) =>
        page.goto(url.replace('https://lantoa.thainguyen.gov.vn', t.baseUrl));
      mkdirSync(artifacts, { recursive: true });

      expect((await open(valid.verifyUrl))!.status()).toBe(200);
      expect(await page.locator('.card.ok h2').innerText()).toBe('Giấy chứng nhận hợp lệ');
      expect(await page.locator('main').innerText()).toContain('TN-2026-000001');
      await page.screenshot({ path: join(artifacts, 'verify-valid.png'), fullPage: true });

      expect((await open(revoked.verifyUrl))!.status()).toBe(200);
      expect(await page.locator('.card.error h2').innerText()).toBe('Giấy chứng nhận đã bị thu hồi');
      expect(await page.locator('main').innerText()).toContain('Cấp nhầm người');
      await page.screenshot({ path: join(artifacts, 'verify-revoked.png'), fullPage: true });

      expect((await open(`${t.baseUrl}/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`))!.status()).toBe(404);
      expect(await page.locator('[role=alert]').innerText()).toContain('Không tìm thấy giấy chứng nhận');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
      await page.close();
    });
  });
});
