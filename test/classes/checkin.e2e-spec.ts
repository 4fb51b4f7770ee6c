import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { FixedClock } from '../../libs/platform/src';
import { chromiumAvailable, launchChromium } from '../support/browser';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('QR self check-in', () => {
  // 5 minutes into session 1 (20 November, 08:00–09:30 Vietnam time).
  const clock = new FixedClock(new Date('2026-11-20T08:05:00+07:00'));
  let t: TestApp;
  let classA: Awaited<ReturnType<typeof createClass>>;
  let classB: Awaited<ReturnType<typeof createClass>>;
  const learner = { phone: '0912 888 777', birthYear: 1984 };
  let learnerId: string;
  let otherId: string;
  let program: string;
  let lead: string;

  const token = async (c: typeof classA, session = 0): Promise<string> =>
    (await t.http.get(`/api/v1/classes/${c.id}/sessions/${c.sessions[session].id}/checkin`)).body.token;
  const checkIn = (tok: string, identifier: string, birthYear: number | string) =>
    fetch(`${t.baseUrl}/checkin/${tok}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ identifier, birthYear: String(birthYear) }),
    }).then(async (r) => ({ status: r.status, html: await r.text() }));

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const communes = await communesOf(t, '19');
    program = (await createProgram(t.http, { completionRule: { minSessions: 2 } })).id;
    lead = (await createTrainer(t.http, program, communes[0])).id;
    classA = await createClass(t.http, program, lead, communes[0], {
      title: 'Lớp AI cho bà con xóm Đồng Tâm',
    });
    classB = await createClass(t.http, program, lead, communes[0], { title: 'Lớp AI thôn Bãi Vàng' });
    learnerId = (
      await createPerson(t.http, communes[0], {
        fullName: 'Hoàng Văn Thưởng',
        phone: learner.phone,
        birthYear: learner.birthYear,
      })
    ).id;
    otherId = (
      await createPerson(t.http, communes[0], {
        fullName: 'Lò Thị Ỷ',
        gender: 'female',
        birthYear: 1990,
        phone: '0912 000 999',
      })
    ).id;
    await t.http.post(`/api/v1/classes/${classA.id}/enrolments`, { personId: learnerId });
    await t.http.post(`/api/v1/classes/${classB.id}/enrolments`, { personId: otherId });
  });
  afterAll(() => t.close());

  it('gives the trainer a rotating signed token with its QR code', async () => {
    const res = await t.http.get(`/api/v1/classes/${classA.id}/sessions/${classA.sessions[0].id}/checkin`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token: expect.stringMatching(/^[0-9a-f]{72}$/), sessionOpen: true });
    expect(res.body.url).toMatch(new RegExp(`/checkin/${res.body.token}$`));
    expect(res.body.svg).toMatch(/^<svg/);
    expect(res.body.refreshAfterSeconds).toBeGreaterThan(0);
    expect(res.body.refreshAfterSeconds).toBeLessThanOrEqual(30);
  });

  it('refuses forged, expired and out-of-time tokens with clear messages', async () => {
    const good = await token(classA);
    const forged = `${good.slice(0, 70)}${good.endsWith('00') ? '11' : '00'}`;
    expect((await fetch(`${t.baseUrl}/checkin/${forged}`)).status).toBe(404);
    clock.advance(61_000);
    const expired = await fetch(`${t.baseUrl}/checkin/${good}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('Mã QR đã hết hạn');
    // A fresh token for session 2 (tomorrow) is not usable today.
    const tomorrow = await fetch(`${t.baseUrl}/checkin/${await token(classA, 1)}`);
    expect(tomorrow.status).toBe(409);
    expect(await tomorrow.text()).toContain('không mở điểm danh');
  });

  it('marks an enrolled learner present once; replays and another class’s token are refused', async () => {
    const other = await checkIn(await token(classB), learner.phone, learner.birthYear);
    expect(other.status).toBe(404);
    expect(other.html).toContain('Không tìm thấy bạn trong danh sách của buổi học này');
    const wrongYear = await checkIn(await token(classA), learner.phone, 1985);
    expect(wrongYear.status).toBe(404);

    const tok = await token(classA);
    const ok = await checkIn(tok, '+84912888777', learner.birthYear);
    expect(ok.status).toBe(200);
    expect(ok.html).toContain('Đã điểm danh');
    expect(ok.html).toContain('Hoàng Văn Thưởng');
    const replay = await checkIn(tok, learner.phone, learner.birthYear);
    expect([replay.status, replay.html.includes('đã được dùng')]).toEqual([409, true]);
    // The code on the trainer's screen has changed since: a new token, but the learner is already present.
    clock.advance(30_000);
    const later = await checkIn(await token(classA), learner.phone, learner.birthYear);
    expect([later.status, later.html.includes('đã được điểm danh có mặt')]).toEqual([409, true]);
    const [row] = await t.dataSource.query(`SELECT status, method FROM attendance WHERE person_id = $1`, [
      learnerId,
    ]);
    expect(row).toEqual({ status: 'present', method: 'qr' });
  });

  const describeBrowser = chromiumAvailable('the check-in page in a browser') ? describe : describe.skip;
  describeBrowser('in a real browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser?.close());

    it('renders on a small phone screen, with labelled fields, and checks a learner in', async () => {
      const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
      await page.goto(`${t.baseUrl}/checkin/${await token(classB)}`);
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
      await expect(page.title()).resolves.toBe('Điểm danh buổi học');
      expect(await page.locator('main').innerText()).toContain('Lớp AI thôn Bãi Vàng');
      // Labels are real labels: the fields are found by their Vietnamese captions.
      await page.getByLabel('Số điện thoại hoặc số CCCD').fill('0912 000 999');
      await page.getByLabel('Năm sinh').fill('1990');
      const button = page.getByRole('button', { name: 'Điểm danh' });
      const box = await button.boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      const folder = join(__dirname, '../../dist/test-artifacts');
      mkdirSync(folder, { recursive: true });
      const form = await page.screenshot({ path: join(folder, 'checkin-form.png'), fullPage: true });
      expect(form.length).toBeGreaterThan(10_000);
      await button.click();
      await page.waitForSelector('.card.ok');
      expect(await page.locator('.card.ok').innerText()).toContain('Lò Thị Ỷ');
      const done = await page.screenshot({ path: join(folder, 'checkin-done.png'), fullPage: true });
      expect(done.length).toBeGreaterThan(10_000);
      // The page kept its width: nothing overflows a 360-pixel screen.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
      await page.close();
    });
  });
});
