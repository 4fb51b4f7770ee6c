import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { Http } from '../support/http';
import {
  ACCOUNTS,
  apiAs,
  expectAccessible,
  baseUrl,
  sharedBrowser,
  DESKTOP,
  journey,
  newPage,
  PHONE,
  screenshot,
  webIt,
} from './support';

/**
 * The citizens' page, as an elderly person uses it on a phone: finds a class in their commune by typing its
 * name without accents, registers, checks in with the QR code at the class, completes it, signs in with
 * VNeID (the test's OpenID provider, its own sign-in page) and sees the certificate. axe finds no WCAG 2.1
 * A/AA violation on any of these pages, at 360 px and at 1280 px.
 */
describe("the citizens' page", () => {
  const b = sharedBrowser();
  let api: Http;
  let classId: string;
  let sessions: { id: string }[];
  const title = `Lớp AI cho người cao tuổi ${randomBytes(2).toString('hex')}`;
  const elder = {
    fullName: 'Nguyễn Thị Hồng Lựu',
    birthYear: '1956',
    phone: '0987 654 321',
    cccd: '019156004321',
  };

  beforeAll(async () => {
    if (process.env.LANTOA_WEB_SKIP) return;
    api = await apiAs(ACCOUNTS.province);
    const program = (await api.get('/api/v1/programs')).body.items[0];
    const commune = (await api.get('/api/v1/units/search?q=dong%20hy')).body.items[0];
    const trainer = (await api.get(`/api/v1/programs/${program.id}/trainers?limit=1`)).body.items[0];
    const now = Date.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    // The first session was this morning; the second is on now, its QR check-in open.
    const created = await api.post('/api/v1/classes', {
      programId: program.id,
      level: 1,
      kind: 'citizen',
      title,
      leadTrainerId: trainer.id,
      unitCode: commune.code,
      venueType: 'cultural_house',
      venueAddress: 'Nhà văn hóa xóm Đồng Bẩm',
      mode: 'in_person',
      capacity: 30,
      sessions: [
        { startsAt: at(-240), endsAt: at(-150) },
        { startsAt: at(-20), endsAt: at(70) },
      ],
    });
    expect(created.status).toBe(201);
    classId = created.body.id;
    sessions = created.body.sessions;
    expect((await api.post(`/api/v1/classes/${classId}/status`, { status: 'scheduled' })).status).toBe(200);
  });
  async function check(page: Page, name: string, width: number): Promise<void> {
    await expectAccessible(page, `${name} ${width}`);
    await screenshot(page, `citizen-${name}-${width}`);
  }

  webIt(
    'finds a class without accents, registers, checks in, completes and sees the certificate',
    async () => {
      const { page, errors } = await newPage(b(), PHONE);
      await journey(page, 'citizen-phone', async () => {
        await page.goto(`${baseUrl()}/hoc-vien`);
        await page.getByRole('heading', { name: 'Học AI miễn phí, gần nhà bạn' }).waitFor();
        await check(page, 'start', PHONE.width);

        // Typed the way a phone keyboard makes it easy: no accents.
        await page.getByLabel('Xã, phường nơi bạn ở').fill('dong hy');
        await page.getByRole('button', { name: 'Tìm lớp' }).click();
        const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) });
        await card.waitFor();
        await expect(card.innerText()).resolves.toMatch(/Còn 30 chỗ/);
        await expect(card.innerText()).resolves.toMatch(/Nhà văn hóa — Nhà văn hóa xóm Đồng Bẩm/);
        await check(page, 'found', PHONE.width);

        await card.getByRole('button', { name: 'Đăng ký lớp này' }).click();
        await card.getByLabel('Họ và tên').fill(elder.fullName);
        await card.getByLabel('Năm sinh').fill(elder.birthYear);
        await card.getByLabel('Số điện thoại').fill(elder.phone);
        await card.getByLabel('Số CCCD (không bắt buộc)').fill(elder.cccd);
        await card.getByRole('button', { name: 'Xác nhận đăng ký' }).click();
        await card.getByText('Đăng ký thành công!').waitFor();
        await check(page, 'registered', PHONE.width);

        // At the class: the trainer's screen shows the QR code; the phone opens it and checks in.
        const qr = await api.get(`/api/v1/classes/${classId}/sessions/${sessions[1].id}/checkin`);
        expect(qr.status).toBe(200);
        await page.goto(qr.body.url.replace(/^https?:\/\/[^/]+/, baseUrl()));
        await page.getByLabel('Số điện thoại hoặc số CCCD').fill(elder.phone);
        await page.getByLabel('Năm sinh').fill(elder.birthYear);
        await page.getByRole('button', { name: 'Điểm danh' }).click();
        await page.getByRole('heading', { name: 'Đã điểm danh' }).waitFor();
        await check(page, 'checked-in', PHONE.width);

        // The trainer records the morning session from the roster; the class is complete, the certificate issued.
        const roster = (await api.get(`/api/v1/classes/${classId}/enrolments`)).body as {
          person: { id: string };
        }[];
        expect(roster).toHaveLength(1);
        const marked = await api.put(`/api/v1/classes/${classId}/sessions/${sessions[0].id}/attendance`, {
          marks: [{ personId: roster[0].person.id, status: 'present' }],
        });
        expect(marked.status).toBe(200);
        const issued = await api.post(`/api/v1/classes/${classId}/certificates`, {});
        expect(issued.status).toBe(201);

        // Later, at home: signs in with VNeID and finds the certificate.
        await page.goto(`${baseUrl()}/hoc-vien`);
        await page.getByRole('link', { name: /Đăng nhập bằng VNeID/ }).click();
        await page.getByLabel('Số định danh cá nhân').fill(elder.cccd);
        await page.getByLabel('Họ và tên').fill(elder.fullName);
        await page.getByRole('button', { name: 'Đăng nhập' }).click();
        await page.waitForURL(`${baseUrl()}/hoc-vien`);
        await page.getByText(`Xin chào ${elder.fullName}`).waitFor();
        const certificate = page.locator('.citizen-card.certificate');
        await certificate.waitFor();
        await expect(certificate.innerText()).resolves.toMatch(/Cấp độ 1/);
        await page.getByText('Đã hoàn thành lớp học').waitFor();
        await check(page, 'certificate', PHONE.width);
        const pdf = await page.request.get(
          `${baseUrl()}${await certificate.getByRole('link', { name: 'Tải giấy chứng nhận (PDF)' }).getAttribute('href')}`,
        );
        expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);

        // The same page on a desktop.
        await page.setViewportSize(DESKTOP);
        await check(page, 'certificate', DESKTOP.width);
        await page.getByRole('button', { name: 'Đăng xuất' }).click();
        await page.waitForURL(
          (url) => !url.pathname.startsWith('/hoc-vien') || url.host !== new URL(baseUrl()).host,
        );
      });
      expect(errors).toEqual([]);
    },
  );

  webIt('shows the start page accessibly on a desktop too', async () => {
    const { page, errors } = await newPage(b(), DESKTOP);
    await journey(page, 'citizen-desktop', async () => {
      await page.goto(`${baseUrl()}/hoc-vien?xa=dong%20hy`);
      await page.getByRole('heading', { name: title }).waitFor();
      await check(page, 'found', DESKTOP.width);
    });
    expect(errors).toEqual([]);
  });
});
